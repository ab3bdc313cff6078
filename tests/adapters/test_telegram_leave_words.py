"""R7 in Telegram: "sair" or "volta" typed at a ticket's page was offered as its trâmite
("Envio como trâmite do ticket …?"), one tap from the support team, and "abrri tiket" too. The
first leaves with a goodbye, the second goes back to the list, the third opens a ticket."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from telegram_harness import CARLA, TelegramWorld, link, open_ticket, seed

from core.i18n import t
from core.models import EntryKind


@pytest.mark.parametrize(("typed", "expected"), [
    ("sair", "conv.smalltalk.bye"), ("volta", "conv.list.header"),
    ("abrri tiket", "conv.intake.intro")])
def test_r7_leave_and_request_words_at_a_tickets_page_are_no_tramite(
        sqlite_url: str, tmp_path: Path, typed: str, expected: str) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            carla = world.chat(CARLA)
            await world.drain_outbox()
            await carla.say(f"ticket {ticket.number}")
            assert f"Ticket {ticket.number} — Pedido travado" in carla.last_text()
            await carla.say(typed)
            shown = " ".join(carla.texts()[-2:])
            assert t("conv.tramite.offer", "pt_BR", number=ticket.number) not in shown
            assert t(expected, "pt_BR").split("{")[0][:25] in shown, shown
            with world.desk.store() as uow:
                entries = uow.entries.list(ticket.id or 0, include_internal=True)
            assert [e for e in entries if e.kind == EntryKind.PUBLIC and e.text == typed] == []

    asyncio.run(story())
