"""A ticket's page in Telegram (R7): words typed there become its trâmite after one click."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, link, open_ticket, seed

from core.i18n import t
from core.models import EntryKind


def test_r7_words_typed_at_a_tickets_page_are_sent_as_its_tramite(sqlite_url: str,
                                                                  tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            carla = world.chat(CARLA)
            await world.drain_outbox()  # the registration notice comes first
            await carla.say(f"qual o status do chamado {ticket.number}?")  # a session's first
            assert carla.last_text().startswith(f"Ticket {ticket.number} — Pedido travado")
            await carla.say("Ainda está travado, podem verificar?")
            assert t("conv.tramite.offer", "pt_BR", number=ticket.number) in carla.last_text()
            await carla.click(t("conv.tramite.send_said", "pt_BR"))
            assert t("conv.tramite.added", "pt_BR", number=ticket.number) in \
                " ".join(carla.texts()[-2:])
            with world.desk.store() as uow:
                entries = uow.entries.list(ticket.id or 0, include_internal=True)
            assert [e.text for e in entries if e.kind == EntryKind.PUBLIC] == \
                ["Ainda está travado, podem verificar?"]

    asyncio.run(story())
