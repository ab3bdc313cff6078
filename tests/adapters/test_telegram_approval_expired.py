"""A customer back after the approval question expired (R21): the ticket closed by itself as
approved, the chat's conversation dropped after days of silence; the question's buttons are
still on screen in Telegram."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram_harness import TelegramWorld, linked_carla, open_ticket, tickets

from core.i18n import t
from core.models import Decision, Rating, Status
from core.services import closing, sweeps
from core.services.context import Ctx

LATER = datetime(2026, 12, 23, 12, 0, tzinfo=UTC)
"""A Wednesday in business hours, 17 days after the question (the host runs on the wall
clock, 6 December)."""


def forget_conversations(ctx: Ctx) -> None:
    """The cleanup sweep after a week of silence: every conversation is gone."""
    ctx.uow.conversations.delete_stale(ctx.now + timedelta(days=1))


def test_r21_aprovar_tapped_after_the_ticket_closed_by_itself_says_so(
        db_url: str, tmp_path: Path) -> None:
    """Not a bare greeting, as if the tap had not happened: the ticket named, closed as
    approved after the days of silence, for good; it is not closed a second time."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            await carla.say("oi")
            opened = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, opened.number)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            question = await world.bot_says(carla, "Você aprova a solução?")
            # The question's message is tied to its ticket just after the send: days pass here.
            await world.drain_outbox()
            at = world.desk.at(LATER)
            try:
                at.call(sweeps.auto_close, sweeps.SweepReport())
            finally:
                at.close()
            world.desk.call(forget_conversations)
            before = len(carla.texts())
            await carla.click(t("conv.closing.approve", "pt_BR"), question["message_id"])
            said = carla.since(before)
            assert f"O ticket {opened.number} foi encerrado como aprovado em" in said, said
            assert "não pode ser reaberto" in said
            assert f"Ticket {opened.number} aprovado e encerrado." not in said
            [ticket] = tickets(world.desk)
            assert (ticket.status, ticket.decision) == (Status.CLOSED, Decision.AUTO_APPROVED)

    asyncio.run(story())


def test_r20_r21_aprovar_tapped_in_the_same_conversation_after_the_close_asks_the_rating(
        db_url: str, tmp_path: Path) -> None:
    """The conversation still at the question (no days of silence dropped it): it went to the
    menu after saying the ticket closed, though the closing notice invites the rating."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            await carla.say("oi")
            opened = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, opened.number)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            question = await world.bot_says(carla, "Você aprova a solução?")
            await world.drain_outbox()
            at = world.desk.at(LATER)
            try:
                at.call(sweeps.auto_close, sweeps.SweepReport())
            finally:
                at.close()
            before = len(carla.texts())
            await carla.click(t("conv.closing.approve", "pt_BR"), question["message_id"])
            said = carla.since(before)
            assert f"O ticket {opened.number} foi encerrado como aprovado em" in said, said
            assert t("conv.closing.ask_rating", "pt_BR", number=opened.number) in said, said
            await carla.click(t("rating.otimo", "pt_BR"))
            [ticket] = tickets(world.desk)
            assert (ticket.decision, ticket.rating) == (Decision.AUTO_APPROVED, Rating.GREAT)

    asyncio.run(story())
