"""Files in Telegram (R3, R4, R7): photos, documents, voice notes, albums, the 20 MB limit."""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path

from telegram_harness import (
    CARLA,
    TelegramWorld,
    document,
    linked_carla,
    open_ticket,
    photo,
    tickets,
    to_attachments_step,
    to_the_assunto,
    voice,
)

from core.i18n import t
from core.models import EntryKind, Rating
from core.services import closing

MB = 1024 * 1024


def stored(tmp_path: Path, content: bytes) -> Path:
    digest = hashlib.sha256(content).hexdigest()
    return tmp_path / "files" / digest[:2] / digest


def test_r3_photo_document_voice_and_album_in_the_attachments_step(sqlite_url: str,
                                                                  tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)
    screen, xml, audio = b"\x89PNG tela da rejeicao", b"<nfeProc>10125</nfeProc>", b"OggS voz"
    album = [b"foto 1 do album", b"foto 2 do album", b"foto 3 do album"]

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_attachments_step(carla)
            await carla.send(api.message_update(CARLA, photo=photo(api, screen)))
            assert "foto-" in carla.since(len(carla.texts()) - 2)
            assert api.calls_of("sendChatAction", CARLA)
            await carla.send(api.message_update(
                CARLA, document=document(api, xml, "nota-10125.xml", "application/xml")))
            assert "nota-10125.xml" in carla.last_text()
            await carla.send(api.message_update(CARLA, voice=voice(api, audio)))
            assert "audio-" in carla.last_text()
            before = len(carla.texts())
            done = world.conversations.stats.done
            for part in album:
                api.push_update(api.message_update(CARLA, photo=photo(api, part),
                                                   media_group_id="album-1"))
            await world_done(world, done + 3)
            new = carla.texts()[before:]
            # One answer for the three photos: "received" naming them, then the question.
            assert len(new) == 1, new
            assert new[0].split("\n\n")[0].count("foto-") == 3
            await carla.click("Concluir")
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            with world.desk.store() as uow:
                entries = uow.entries.list(ticket.id, include_internal=False)
            files = [a for e in entries if e.kind == EntryKind.PUBLIC for a in e.attachments]
            assert len(files) == 6
            by_hash = {a.sha256: a for a in files}
            for content in (screen, xml, audio, *album):
                digest = hashlib.sha256(content).hexdigest()
                assert digest in by_hash
                assert stored(tmp_path, content).read_bytes() == content
            assert by_hash[hashlib.sha256(xml).hexdigest()].filename == "nota-10125.xml"
            assert by_hash[hashlib.sha256(xml).hexdigest()].content_type == "application/xml"
            assert by_hash[hashlib.sha256(audio).hexdigest()].content_type == "audio/ogg"
            assert by_hash[hashlib.sha256(screen).hexdigest()].content_type == "image/jpeg"
            # Only the largest size of each photo was downloaded.
            assert len(api.calls_of("download")) == 6

    asyncio.run(story())


async def world_done(world: TelegramWorld, count: int) -> None:
    from telegram_harness import until

    await until(lambda: world.conversations.stats.done >= count, what="updates processed")


def test_a_file_over_20_mb_gets_a_clear_message(sqlite_url: str, tmp_path: Path) -> None:
    """Declared too big: not even asked for; undeclared: getFile refuses; both say what to do."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_attachments_step(carla)
            big = document(api, None, "backup-banco.zip", "application/zip", size=25 * MB)
            await carla.send(api.message_update(CARLA, document=big))
            notice = carla.texts()[-1]
            assert "backup-banco.zip" in notice
            assert "25,0 MB" in notice
            assert "20 MB" in notice
            assert "link" in notice
            assert api.calls_of("getFile") == []
            hidden = document(api, None, "video.mp4", "video/mp4", size=30 * MB,
                              declare_size=False)
            await carla.send(api.message_update(CARLA, document=hidden))
            assert "20 MB" in carla.texts()[-1]
            assert api.count(400, "getFile") == 1
            # Nothing was attached; the question is still the attachments one.
            await carla.click("Concluir")
            await carla.click("Concluir assim mesmo")  # a rejected nota: print and XML (R4)
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            with world.desk.store() as uow:
                assert uow.entries.attachments(ticket.id) == []

    asyncio.run(story())


def test_r3_an_empty_file_gets_a_clear_message_and_is_not_attached(sqlite_url: str,
                                                                    tmp_path: Path) -> None:
    """A 0-byte document was kept as an anexo: nothing in it for the team to read."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_attachments_step(carla)
            empty = document(api, b"", "nota-10125.xml", "application/xml")
            await carla.send(api.message_update(CARLA, document=empty))
            assert t("error.file_empty", name="nota-10125.xml") in carla.texts()
            xml = document(api, b"<nfe/>", "nota-10125.xml", "application/xml")
            await carla.send(api.message_update(CARLA, document=xml))
            await carla.click("Concluir")
            await carla.click("Concluir assim mesmo")  # a rejected nota: print and XML (R4)
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            with world.desk.store() as uow:
                assert [a.size for a in uow.entries.attachments(ticket.id)] == [6]
            assert not stored(tmp_path, b"").exists()

    asyncio.run(story())


def test_r4_a_customers_program_is_refused_and_the_ticket_registers_without_it(
        sqlite_url: str, tmp_path: Path) -> None:
    """A customer's setup.exe was kept as an anexo, one double-click away for the agent."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_attachments_step(carla)
            program = document(api, b"MZ\x90\x00", "setup.exe", "application/x-msdownload")
            await carla.send(api.message_update(CARLA, document=program))
            assert t("conv.files.executable", names="setup.exe") in carla.last_text()
            xml = document(api, b"<nfe/>", "nota-10125.xml", "application/xml")
            await carla.send(api.message_update(CARLA, document=xml))
            await carla.click("Concluir")
            await carla.click("Concluir assim mesmo")
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            with world.desk.store() as uow:
                assert [a.filename for a in uow.entries.attachments(ticket.id)] == \
                    ["nota-10125.xml"]

    asyncio.run(story())


def test_r3_a_captioned_screenshot_at_the_menu_is_offered_as_a_new_ticket(sqlite_url: str,
                                                                         tmp_path: Path) -> None:
    """Sent without a question pending, the photo and its caption are kept, not refused."""
    world = TelegramWorld(sqlite_url, tmp_path)
    screen = b"\x89PNG o PDV travado"

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await carla.say("oi")
            await carla.send(api.message_update(CARLA, photo=photo(api, screen),
                                                caption="O PDV trava ao emitir a NFC-e"))
            offer = carla.last_text()
            assert "O PDV trava ao emitir a NFC-e" in offer
            assert "1 arquivo: foto-" in offer
            await carla.click("Abrir ticket com isso")
            assert stored(tmp_path, screen).read_bytes() == screen

    asyncio.run(story())


def test_r20_a_photo_at_the_rating_question_keeps_it_and_is_offered_after_it(
        sqlite_url: str, tmp_path: Path) -> None:
    """A print sent at the rating question dropped the rating and offered a new ticket with no
    word on the ticket just closed: it is held, the rating asked again, then offered as a new
    ticket naming the closed one."""
    world = TelegramWorld(sqlite_url, tmp_path)
    screen = b"\x89PNG o pedido ainda trava"

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, ticket.number)
            world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await world.bot_says(carla, "Você aprova a solução?")
            await carla.click(t("conv.closing.approve"))
            asked = t("conv.closing.ask_rating", number=ticket.number)
            assert carla.last_text().endswith(asked)
            count = len(carla.texts())
            await carla.send(api.message_update(CARLA, photo=photo(api, screen)))
            said = carla.texts()[count:]
            assert said[0].startswith("Guardei o arquivo foto-")
            assert said[-1].endswith(asked)  # the rating is still asked
            await carla.click(t("rating.bom"))
            with world.desk.store() as uow:
                assert uow.tickets.get(ticket.id).rating == Rating.GOOD
            offer = carla.last_text()
            assert "1 arquivo: foto-" in offer
            assert t("conv.typed.follows_note", number=ticket.number) in offer
            await carla.click(t("conv.typed.open_files"))
            assert stored(tmp_path, screen).read_bytes() == screen

    asyncio.run(story())


def test_r3_r4_a_captioned_screenshot_at_the_assunto_question_answers_it(sqlite_url: str,
                                                                         tmp_path: Path) -> None:
    """The photo is kept for the anexos and its caption is taken as the assunto."""
    world = TelegramWorld(sqlite_url, tmp_path)
    screen = b"\x89PNG a rejeicao da nota"

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_the_assunto(carla)
            await carla.send(api.message_update(CARLA, photo=photo(api, screen),
                                                caption="Nota fiscal rejeitada"))
            assert "Guardei foto-" in carla.since(len(carla.texts()) - 2)
            await carla.say("Vendas / Notas / Emitir: a nota 10125 é rejeitada na versão 2026.11")
            assert "foto-" in carla.last_text()  # listed at the anexos question
            await carla.click("Concluir")
            await carla.click("Concluir assim mesmo")  # the XML of the rejected nota (R4)
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            assert ticket.assunto == "Nota fiscal rejeitada"
            with world.desk.store() as uow:
                [kept] = uow.entries.attachments(ticket.id)
            assert kept.filename.startswith("foto-")
            assert stored(tmp_path, screen).read_bytes() == screen

    asyncio.run(story())


def test_r3_a_document_with_no_name_or_a_hostile_one_is_stored_under_a_name_that_opens(
        sqlite_url: str, tmp_path: Path) -> None:
    """A document Telegram sends with no file name, or one of dots only, is named by the bot
    with the extension of its type (the team opens 'arquivo-….pdf', not a bare 'arquivo-…' or
    '..'); a path is cut to its last part, direction marks dropped, 300 characters cut to 255
    with the extension kept."""
    world = TelegramWorld(sqlite_url, tmp_path)
    sent = [(b"%PDF-1.7 boleto", None, "application/pdf"),
            (b"<nfeProc>539</nfeProc>", "", "application/xml"),
            (b"%PDF-1.7 dots", "..", "application/pdf"),
            (b"%PDF-1.7 path", "..\\..\\Windows\\relatorio.pdf", "application/pdf"),
            (b"%PDF-1.7 rtl", "\u202efdp.txt", "application/pdf"),
            (b"%PDF-1.7 long", "a" * 300 + ".pdf", "application/pdf")]

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_attachments_step(carla)
            for content, name, mime in sent:
                doc = document(api, content, name or "", mime)
                if name is None:
                    del doc["file_name"]
                await carla.send(api.message_update(CARLA, document=doc))
            await carla.click("Concluir")
            await carla.click("Concluir assim mesmo")
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            with world.desk.store() as uow:
                names = {a.sha256: a.filename for a in uow.entries.attachments(ticket.id)}
            named = [names[hashlib.sha256(content).hexdigest()] for content, _, _ in sent]
            bot_named = [re.fullmatch(r"arquivo-\d{8}-\d{6}-\w+(\.\w+)", n) for n in named[:3]]
            assert [m.group(1) if m else named for m in bot_named] == [".pdf", ".xml", ".pdf"]
            assert named[3:5] == ["relatorio.pdf", "fdp.txt"]
            assert named[5] == "a" * 251 + ".pdf"

    asyncio.run(story())


def test_r3_the_caption_of_a_file_over_20_mb_is_read_as_typed(sqlite_url: str,
                                                               tmp_path: Path) -> None:
    """A 40 MB screen recording captioned with the matter: the file cannot be fetched (said so),
    but the words are not lost with it: at the menu they are offered as a new ticket, at the
    assunto question they answer it."""
    world = TelegramWorld(sqlite_url, tmp_path)
    matter = "A nota 10125 é rejeitada com erro 539 ao emitir"

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await carla.say("oi")
            before = len(carla.texts())
            big = document(api, None, "tela.mp4", "video/mp4", size=40 * MB)
            await carla.send(api.message_update(CARLA, caption=matter, document=big))
            said = carla.since(before)
            assert "“tela.mp4” tem 40,0 MB" in said
            assert t("conv.typed.offer", "pt_BR", text=matter) in said
            await carla.click(t("conv.menu.back", "pt_BR"))
            await to_the_assunto(carla)
            big = document(api, None, "tela2.mp4", "video/mp4", size=40 * MB)
            await carla.send(api.message_update(CARLA, caption="Erro 539 ao emitir nota",
                                                document=big))
            assert "Agora descreva o problema" in carla.last_text()
            await carla.say("Vendas / Notas / Emitir: a nota 10125 é rejeitada na 2026.11")
            await carla.click("Concluir")
            await carla.click("Concluir assim mesmo")
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            assert ticket.assunto == "Erro 539 ao emitir nota"

    asyncio.run(story())
