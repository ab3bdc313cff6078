"""R19 in Telegram: the page of a ticket awaiting approval ends with the approval's question and
its three buttons; at the restriction's question a ticket named ("answer 2", "0002") shows that
ticket, never closing this one with those words as its restriction."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import TelegramWorld, linked_carla, two_awaiting_approval

from core.i18n import t
from core.models import Status


def status(world: TelegramWorld, ticket_id: int) -> Status:
    with world.desk.store() as uow:
        ticket = uow.tickets.get(ticket_id)
        assert ticket is not None
        return ticket.status


def test_r19_a_tickets_page_asks_for_the_approval_and_a_ticket_named_is_no_restriction(
        sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            first, second, _ = await two_awaiting_approval(world, ids, carla)
            await carla.say(f"ticket {first.number}")
            assert carla.last_text().startswith(f"Ticket {first.number} — Pedido travado")
            assert carla.last_text().endswith(t("conv.ticket.approval_question", "pt_BR"))
            await carla.click(t("conv.closing.partial", "pt_BR"))
            assert t("conv.closing.ask_comment", "pt_BR", number=first.number) \
                in carla.last_text()
            for typed in ("4", f"responder {int(second.number[-4:])}"):
                await carla.say(typed)
                assert status(world, first.id or 0) == Status.AWAITING_APPROVAL
            assert carla.last_text().startswith(f"Ticket {second.number} — Boleto errado")
            await carla.click(t("conv.closing.reject", "pt_BR"))
            assert t("conv.closing.ask_reason", "pt_BR", number=second.number) \
                in carla.last_text()
            await carla.say("o boleto continua com o vencimento de ontem")
            assert status(world, second.id or 0) == Status.IN_PROGRESS
            assert status(world, first.id or 0) == Status.AWAITING_APPROVAL

    asyncio.run(story())
