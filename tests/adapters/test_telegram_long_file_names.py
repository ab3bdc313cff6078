"""R4 in Telegram: a file's long name is cut in the "Anexos até agora" list (its extension
kept, names that differ still differing), and stored whole."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import (
    CARLA,
    TelegramWorld,
    document,
    linked_carla,
    tickets,
    to_attachments_step,
)

from core.conversation.fmt import NAME_SHOWN
from core.i18n import t

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
