"""R19 in Telegram: a request in words typed at the Não aprovar reason question runs, as at
the intake's questions; it is no reason."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import TelegramWorld, linked_carla, open_ticket

from core.i18n import t
from core.models import EntryKind, Status
from core.services import closing


def test_r19_meus_tickets_at_the_reason_question_shows_the_tickets_not_the_reason(
        db_url: str, tmp_path: Path) -> None:
    """Carla tapped Não aprovar, then typed 'meus tickets' to look at her tickets first: the
    ticket went back to attendance with the reason 'meus tickets'. Her tickets are listed and
    the ticket still awaits her approval."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, ticket.number)
            world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await world.bot_says(carla, "Você aprova a solução?")
            await carla.click(t("conv.closing.reject"))
            assert t("conv.closing.ask_reason", number=ticket.number) in carla.last_text()
            before = len(carla.texts())
            await carla.say("meus tickets")
            said = carla.since(before)
            assert t("conv.list.scope_mine") in said
            assert t("conv.closing.not_approved", number=ticket.number) not in said
            with world.desk.store() as uow:
                stored = uow.tickets.get(ticket.id or 0)
                mine = [e for e in uow.entries.list(ticket.id or 0, False)
                        if e.kind == EntryKind.PUBLIC and e.author_id == ids["carla"]]
            assert stored is not None
            assert stored.status == Status.AWAITING_APPROVAL
            assert mine == []

    asyncio.run(story())
