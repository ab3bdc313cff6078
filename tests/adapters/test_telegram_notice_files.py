"""A trâmite's files reach the Telegram chat as documents, after its text, each once (R7):
the customer's of an agent's answer; a file gone from FILES_DIR or refused by Telegram is a
line in her language instead."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram_harness import (
    CARLA,
    FAST,
    TelegramWorld,
    linked_carla,
    open_ticket,
    until,
)

from bots.blobs import blob_path, store_bytes
from bots.telegram.channel import TelegramOptions
from bots.telegram.notice_files import SEND_DOCUMENT_LIMIT
from core.i18n import t
from core.models import Attachment, EntryKind
from core.services import tramites

PACOTE = b"PK\x03\x04 pacote de correcao 10125" * 40
PRINT = b"\x89PNG tela do erro" * 30


def stored(world: TelegramWorld, name: str, content: bytes, mime: str) -> Attachment:
    """The file kept in the world's FILES_DIR, as an agent's upload keeps it."""
    return store_bytes(world.settings().files_dir, name, content, mime)


def documents(world: TelegramWorld) -> list[tuple[str, bytes]]:
    """The files that reached Carla's chat (sendDocument answered), in order."""
    return [(c.params["document"]["filename"], c.params["document"]["content"])
            for c in world.api.calls_of("sendDocument", CARLA) if c.status == 200]


def chat_order(world: TelegramWorld) -> list[str]:
    """Carla's chat as she sees it: each text's first words, each document's name."""
    return [m["document"]["file_name"] if "document" in m else m["text"].split(":")[0]
            for m in world.chat(CARLA).messages()]


async def answered(world: TelegramWorld, files: list[Attachment], expected: int) -> int:
    """Ana answers Carla's ticket with the files; the outbox drained after `expected`
    documents reached the chat. The ticket's id."""
    ids, _ = linked_carla(world)
    opened = open_ticket(world.desk, ids["carla"])
    world.desk.call(tramites.add_tramite, ids["ana"], opened.id, "Segue o pacote de correção",
                    files)
    await until(lambda: len(documents(world)) >= expected, what="documents")
    await world.drain_outbox()
    return int(opened.id or 0)


def test_r7_an_agents_files_reach_the_telegram_customer_after_the_text(
        db_url: str, tmp_path: Path) -> None:
    """Ana's answer with a package and a print reaches Carla's chat: the text, then each file
    as a document (its bytes), in order; before, only their names. A reply to a document
    reaches the ticket as a reply to the text does."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            files = [stored(world, "pacote-10125.zip", PACOTE, "application/zip"),
                     stored(world, "tela.png", PRINT, "image/png")]
            ticket_id = await answered(world, files, 2)
            assert documents(world) == [("pacote-10125.zip", PACOTE), ("tela.png", PRINT)]
            order = chat_order(world)
            text = next(i for i, m in enumerate(order) if "escreveu no ticket" in m)
            assert order[text + 1:] == ["pacote-10125.zip", "tela.png"]
            print_id = world.chat(CARLA).messages()[-1]["message_id"]
            await world.chat(CARLA).say("Instalei, funcionou.", reply_to=print_id)
            with world.desk.store() as uow:
                said = [e.text for e in uow.entries.list(ticket_id, include_internal=False)
                        if e.kind == EntryKind.PUBLIC]
            assert said[-1] == "Instalei, funcionou."

    asyncio.run(story())


def test_a_file_telegram_failed_on_goes_on_the_next_attempt_the_text_once(
        db_url: str, tmp_path: Path) -> None:
    """Telegram fails on the first file (a 502 after the text went): the next attempt sends
    both files, the text not again; each reaches the chat once."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            world.api.fail_next(502, "Bad Gateway", method="sendDocument")
            files = [stored(world, "pacote-10125.zip", PACOTE, "application/zip"),
                     stored(world, "tela.png", PRINT, "image/png")]
            await answered(world, files, 2)
            assert [c.status for c in world.api.calls if c.method == "sendDocument"] == \
                [502, 200, 200]
            assert documents(world) == [("pacote-10125.zip", PACOTE), ("tela.png", PRINT)]
            assert sum("escreveu no ticket" in m for m in chat_order(world)) == 1

    asyncio.run(story())


def test_a_files_answer_telegram_gives_late_is_waited_for_the_file_once(
        db_url: str, tmp_path: Path) -> None:
    """Telegram takes the package but answers past a text's read timeout (a big file, a slow
    link): the upload is waited for, not taken for lost, so neither it nor the text goes
    again."""
    options = TelegramOptions(**{**FAST.__dict__, "read_timeout": 0.5})
    world = TelegramWorld(db_url, tmp_path, options=options)

    async def story() -> None:
        async with world:
            world.api.slow_next(1.5, method="sendDocument")
            files = [stored(world, "pacote-10125.zip", PACOTE, "application/zip"),
                     stored(world, "tela.png", PRINT, "image/png")]
            await answered(world, files, 2)
            assert documents(world) == [("pacote-10125.zip", PACOTE), ("tela.png", PRINT)]
            assert sum("escreveu no ticket" in m for m in chat_order(world)) == 1

    asyncio.run(story())


def test_a_send_given_up_by_the_upload_timeout_goes_on_at_the_file_it_stopped_at(
        db_url: str, tmp_path: Path) -> None:
    """The dispatcher gives the row's send up (its upload timeout, here 1 s) while Telegram
    has not answered the second file: the next attempt starts at that file, the text and the
    first file (answered) not sent again. That file goes twice, as Telegram had taken it: a
    lost answer tells nothing, and the Bot API has no idempotency key nor a way to read a
    chat's messages to look for it."""
    world = TelegramWorld(db_url, tmp_path, dispatcher={"upload_timeout": 1.0})

    async def story() -> None:
        async with world:
            world.api.slow_next(0.0, method="sendDocument")
            world.api.slow_next(3.0, method="sendDocument")
            files = [stored(world, "pacote-10125.zip", PACOTE, "application/zip"),
                     stored(world, "tela.png", PRINT, "image/png")]
            await answered(world, files, 3)
            assert documents(world) == [("pacote-10125.zip", PACOTE), ("tela.png", PRINT),
                                        ("tela.png", PRINT)]
            assert sum("escreveu no ticket" in m for m in chat_order(world)) == 1

    asyncio.run(story())


def test_a_file_gone_from_files_dir_is_a_line_and_the_next_one_still_goes(
        db_url: str, tmp_path: Path) -> None:
    """The package is no longer in FILES_DIR: Carla's chat says so, in her language, in its
    place; the print still goes and the row is sent."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            gone = stored(world, "pacote-10125.zip", PACOTE, "application/zip")
            blob_path(world.settings().files_dir, gone.sha256).unlink()
            await answered(world, [gone, stored(world, "tela.png", PRINT, "image/png")], 1)
            assert documents(world) == [("tela.png", PRINT)]
            texts = world.chat(CARLA).texts()
            line = next(x for x in texts if "pacote-10125.zip" in x and "não está" in x)
            assert texts.index(line) == len(texts) - 1  # after the text, before the print
            order = chat_order(world)
            assert order[-1] == "tela.png"
            assert line == t("telegram.notice_file.gone", "pt_BR", name="pacote-10125.zip",
                             number=_number(world))
            with world.desk.store() as uow:
                assert all(m.status.value == "sent" for m in uow.outbox.all()
                           if m.kind == "ticket.tramite" and m.target == str(CARLA))

    asyncio.run(story())


def test_a_file_telegram_refuses_for_good_is_a_line_and_the_next_one_still_goes(
        db_url: str, tmp_path: Path) -> None:
    """Telegram will not take the package (a 400 about the file): the chat says so, naming
    Telegram's words, and the print still goes."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            world.api.fail_next(400, "Bad Request: file must be non-empty", method="sendDocument")
            files = [stored(world, "pacote-10125.zip", PACOTE, "application/zip"),
                     stored(world, "tela.png", PRINT, "image/png")]
            await answered(world, files, 1)
            assert documents(world) == [("tela.png", PRINT)]
            texts = world.chat(CARLA).texts()
            assert any("pacote-10125.zip" in x and "file must be non-empty" in x.lower()
                       for x in texts)
            assert chat_order(world)[-1] == "tela.png"

    asyncio.run(story())


def _number(world: TelegramWorld) -> Any:
    with world.desk.store() as uow:
        return next(m.params["number"] for m in uow.outbox.all() if m.kind == "ticket.tramite")


def test_a_file_over_what_a_bot_may_send_is_a_line_and_the_next_one_still_goes(
        db_url: str, tmp_path: Path) -> None:
    """A stored file over the 50 MB a bot may send with sendDocument (kept by another way, a
    copy made by hand): the chat names it as too big, nothing of it is uploaded, and the
    print still goes."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            big = stored(world, "backup.zip", b"PK backup", "application/zip")
            with blob_path(world.settings().files_dir, big.sha256).open("r+b") as handle:
                handle.truncate(SEND_DOCUMENT_LIMIT + 1)  # sparse: no disk spent
            await answered(world, [big, stored(world, "tela.png", PRINT, "image/png")], 1)
            assert documents(world) == [("tela.png", PRINT)]
            assert world.chat(CARLA).texts()[-1] == t(
                "telegram.notice_file.too_big", "pt_BR", name="backup.zip",
                number=_number(world), max_mb=50)

    asyncio.run(story())



def test_files_a_row_kept_go_from_a_sender_without_the_desk(tmp_path: Path) -> None:
    """The files an attempt did not send are kept with the row; a sender without the desk (an
    instance with the token but not the channel) sends them from FILES_DIR, not from a 'files'
    folder of its own (where it said the package was gone)."""
    from datetime import UTC, datetime

    from fakes.telegram_api import FakeTelegramAPI

    from bots.delivery.results import Sent
    from bots.telegram.sender import TelegramSender
    from core.outbox import UNSENT, Channel, OutboxMessage

    files_dir = tmp_path / "kept"
    pacote = store_bytes(files_dir, "pacote-10125.zip", PACOTE, "application/zip")
    item = {"n": 0, "filename": pacote.filename, "content_type": pacote.content_type,
            "sha256": pacote.sha256, "number": "202612/0001", "language": "pt_BR"}
    row = OutboxMessage(id=1, channel=Channel.TELEGRAM, target=str(CARLA), kind="ticket.tramite",
                        ticket_id=1, created_at=datetime.now(UTC),
                        params={"entry_id": 1, "files": ["pacote-10125.zip"],
                                "number": "202612/0001", UNSENT: [{"stored": item,
                                                                   "ticket_id": 1}]})

    async def story() -> None:
        api = FakeTelegramAPI()
        root = await api.start()
        sender = TelegramSender.from_token(api.token, root, files_dir=str(files_dir))
        try:
            assert sender.uploads(row)
            assert isinstance(await sender.send(row), Sent)
        finally:
            await sender.aclose()
            await api.stop()
        assert [c.params["document"]["content"] for c in api.calls_of("sendDocument")] == \
            [PACOTE]
        assert api.sent_texts(CARLA) == []

    asyncio.run(story())
