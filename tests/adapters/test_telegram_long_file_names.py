"""R4 in Telegram: a file's long name is cut in the "Anexos até agora" list (its extension
kept, names that differ still differing), and stored whole."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from telegram_harness import (
    CARLA,
    TelegramWorld,
    document,
    linked_carla,
    open_ticket,
    tickets,
    to_attachments_step,
)

from bots.telegram.render import MAX_TEXT
from core.conversation.fmt import NAME_SHOWN
from core.i18n import t
from core.services import tramites

STEM = "Relatorio_de_rejeicao_da_NF-e_10125_emitida_no_caixa_3_" * 5


def _named(end: str, ext: str) -> str:
    """A name of 255 characters ending with `end` and the extension."""
    return STEM[: 255 - len(end) - len(ext)] + end + ext


def test_r4_a_255_character_file_name_is_cut_in_the_anexos_list_and_stored_whole(
        db_url: str, tmp_path: Path) -> None:
    """Carla sent two XML files with 255-character names and a print: each 'Anexos até agora'
    line repeated both names whole, 500 characters of them. The list cuts each in the middle,
    the extension and the end that tells them apart kept; the ticket stores the names whole."""
    world = TelegramWorld(db_url, tmp_path)
    first, second = _named("_parte1", ".xml"), _named("_parte2", ".xml")

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_attachments_step(carla)
            for name in (first, second, "tela.png"):
                await carla.send(api.message_update(CARLA, document=document(
                    api, name.encode(), name, "application/octet-stream")))
            asked = carla.last_text()
            [listed] = [line for line in asked.split("\n")
                        if line.startswith(t("conv.intake.anexos_so_far", count=3, names=""))]
            names = listed.removeprefix(t("conv.intake.anexos_so_far", count=3, names=""))
            shown = names.split(", ")
            assert len(shown) == 3
            assert shown[2] == "tela.png"
            assert all(len(name) <= NAME_SHOWN for name in shown)
            assert shown[0].endswith("parte1.xml")
            assert shown[1].endswith("parte2.xml")
            assert shown[0].startswith("Relatorio_de_rejeicao")
            assert first not in asked
            assert second not in asked
            await carla.click(t("conv.intake.anexos_done"))
            await carla.click("Padrão")
            await carla.click("Registrar o Ticket")
            [ticket] = tickets(world.desk)
            with world.desk.store() as uow:
                stored = [a.filename for a in uow.entries.attachments(ticket.id or 0)]
            assert stored == [first, second, "tela.png"]

    asyncio.run(story())


def test_r4_a_255_character_file_name_is_cut_in_recebi_and_on_the_tickets_page(
        db_url: str, tmp_path: Path) -> None:
    """'Recebi: …' said a 255-character name whole, and so did the ticket's page under its
    trâmite: both now cut it as the lists do, the extension kept."""
    world = TelegramWorld(db_url, tmp_path)
    long_name = _named("_parte1", ".xml")

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_attachments_step(carla)
            before = len(carla.texts())
            await carla.send(api.message_update(CARLA, document=document(
                api, b"<NFe/>", long_name, "application/xml")))
            received = carla.since(before)
            assert t("conv.intake.anexos_received", names="")[:-1] in received
            assert long_name not in received
            assert "parte1.xml." in received
            await carla.click(t("conv.intake.anexos_done"))
            await carla.click(t("conv.intake.anexos_done_anyway"))  # no print of the rejection
            await carla.click("Padrão")
            await carla.click("Registrar o Ticket")
            [ticket] = tickets(world.desk)
            before = len(carla.texts())
            await carla.say(f"ticket {ticket.number}")
            page = carla.since(before)
            assert f"Ticket {ticket.number}" in page
            assert long_name not in page
            assert "parte1.xml" in page

    asyncio.run(story())


def _middle(i: int) -> str:
    """The i-th of twenty 255-character names alike but for a few characters in the middle."""
    end = "_emitida_no_caixa_3.xml"
    head = STEM[:116] + f"_lote{i:02d}_"
    return head + STEM[116: 255 - len(head) - len(end) + 116] + end


def _files(names: list[str]) -> list[Any]:
    from core.models import Attachment
    return [Attachment(filename=name, content_type="application/xml", size=10,
                       sha256=f"{n:064x}") for n, name in enumerate(names, 1)]


def _page(carla: Any, before: int, number: str) -> tuple[list[str], str]:
    """The ticket's page as Telegram got it: its messages since `before`, and the last one."""
    sent = carla.texts()[before:]
    assert f"Ticket {number} —" in sent[0]  # the first, after the greeting in the same one
    return sent, sent[-1]


def test_r4_twenty_names_differing_in_the_middle_fit_the_page_each_told_apart(
        db_url: str, tmp_path: Path) -> None:
    """Twenty XML files whose 255-character names differ only in the middle ('…_lote07_…'):
    cutting each at its ends made them all alike, so the page named them whole, 5 200
    characters, and Telegram got the page in two messages. Each is now cut around where it
    differs (its start, the part that tells it apart, its end and extension): one message,
    every file told apart. Five such trâmites: the names past the room counted ('e mais N'),
    every one still in the whole thread."""
    world = TelegramWorld(db_url, tmp_path)
    names = [_middle(i) for i in range(1, 21)]
    assert all(len(n) == 255 for n in names)
    assert len(set(names)) == 20

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            ticket = open_ticket(world.desk, ids["carla"])
            world.desk.call(tramites.add_tramite, ids["carla"], ticket.id,
                            "Seguem os XML rejeitados", _files(names))
            await world.drain_outbox()  # the ticket's notice, before the page
            before = len(carla.texts())
            await carla.say(f"ticket {ticket.number}")
            sent, page = _page(carla, before, ticket.number)
            assert len(sent) == 1, [len(s) for s in sent]
            assert len(page) <= MAX_TEXT
            for i, name in enumerate(names, 1):
                assert f"_lote{i:02d}_" in page, i
                assert name not in page
            assert page.count(".xml") == 20

            for n in range(4):  # four more such trâmites, each shown whole (< 500 characters)
                world.desk.call(tramites.add_tramite, ids["carla"], ticket.id,
                                f"Mais XML, remessa {n}: " + "rejeição 539 " * 36,
                                _files(names))
            await world.drain_outbox()
            before = len(carla.texts())
            await carla.say(f"ticket {ticket.number}")
            sent, page = _page(carla, before, ticket.number)
            assert len(sent) == 1, [len(s) for s in sent]
            assert len(page) <= MAX_TEXT
            more = re.findall(re.escape(t("conv.files.more", count=999)).replace("999", r"(\d+)"),
                              page)
            assert more
            assert page.count(".xml") + sum(int(n) for n in more) == 100
            before = len(carla.texts())
            await carla.click(t("conv.ticket.whole_thread"))
            thread = carla.since(before)
            for i in range(1, 21):
                assert thread.count(f"_lote{i:02d}_") == 5, i

    asyncio.run(story())
