"""Aprovar tapped on an old approval message once the chat's conversation was dropped (days of
silence swept it, or it went stale): the tap goes on as a fresh one would (R19, R20, R21), the
rating asked; a tap on a ticket the person may not answer is still refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram_harness import CARLA, TelegramWorld, link, linked_carla, open_ticket, tickets
from test_telegram_approval_expired import LATER, forget_conversations

from core.conversation import telegram_key
from core.i18n import t
from core.models import Decision, Rating, Status
from core.services import closing, sweeps
from core.services.context import Ctx


def stale_conversation(ctx: Ctx) -> None:
    """The chat's conversation kept, but older than the hours an answer is read by."""
    key = telegram_key(CARLA, CARLA)
    state = ctx.uow.conversations.get(key)
    assert state is not None
    state.updated_at = ctx.now - timedelta(hours=ctx.policy.stale_conversation_hours + 2)
    ctx.uow.conversations.save(state)


def relink_to_rita(ctx: Ctx, ids: dict[str, int]) -> None:
    """Carla's Telegram account unlinked, Rita's linked to it."""
    carla = ctx.uow.users.get(ids["carla"])
    assert carla is not None
    carla.telegram_id = None
    ctx.uow.users.update(carla)
    link(ctx, ids["rita"], CARLA)


async def asked(world: TelegramWorld, ids: dict[str, int], carla: Any) -> tuple[Any, Any]:
    """Carla's ticket awaiting her approval, its question on screen."""
    await carla.say("oi")
    opened = open_ticket(world.desk, ids["carla"], "Pedido travado")
    await world.bot_says(carla, opened.number)
    world.desk.call(closing.request_approval, ids["ana"], opened.id,
                    "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    question = await world.bot_says(carla, "Você aprova a solução?")
    await world.drain_outbox()
    return opened, question


def closed_by_itself(world: TelegramWorld) -> None:
    """The 15 days run out (R21)."""
    at = world.desk.at(LATER)
    try:
        at.call(sweeps.auto_close, sweeps.SweepReport())
    finally:
        at.close()


def test_r20_r21_aprovar_tapped_after_the_conversation_was_dropped_asks_the_rating(
        db_url: str, tmp_path: Path) -> None:
    """The ticket closed by itself, the conversation swept: said so, then the rating asked,
    its buttons rating it."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened, question = await asked(world, ids, carla)
            closed_by_itself(world)
            world.desk.call(forget_conversations)
            before = len(carla.texts())
            await carla.click(t("conv.closing.approve", "pt_BR"), question["message_id"])
            said = carla.since(before)
            assert f"O ticket {opened.number} foi encerrado como aprovado em" in said, said
            assert t("conv.closing.ask_rating", "pt_BR", number=opened.number) in said, said
            await carla.click(t("rating.otimo", "pt_BR"))
            [ticket] = tickets(world.desk)
            assert (ticket.decision, ticket.rating) == (Decision.AUTO_APPROVED, Rating.GREAT)

    asyncio.run(story())


def test_r20_r21_aprovar_tapped_after_the_step_went_stale_asks_the_rating(
        db_url: str, tmp_path: Path) -> None:
    """The conversation kept at the question but stale (no sweep yet): the same."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened, question = await asked(world, ids, carla)
            closed_by_itself(world)
            world.desk.call(stale_conversation)
            before = len(carla.texts())
            await carla.click(t("conv.closing.approve", "pt_BR"), question["message_id"])
            said = carla.since(before)
            assert f"O ticket {opened.number} foi encerrado como aprovado em" in said, said
            assert t("conv.closing.ask_rating", "pt_BR", number=opened.number) in said, said
            await carla.click(t("rating.bom", "pt_BR"))
            [ticket] = tickets(world.desk)
            assert ticket.rating == Rating.GOOD

    asyncio.run(story())


def test_r19_r20_aprovar_tapped_after_the_conversation_was_dropped_approves_and_asks_the_rating(
        db_url: str, tmp_path: Path) -> None:
    """The ticket still awaiting her approval: the tap is confirmed as typed words are (the
    solution may have changed since that message), then approves and asks the rating; it
    greeted her and offered the pending approvals, her tap lost."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened, question = await asked(world, ids, carla)
            world.desk.call(forget_conversations)
            before = len(carla.texts())
            await carla.click(t("conv.closing.approve", "pt_BR"), question["message_id"])
            said = carla.since(before)
            assert t("conv.closing.confirm_approve", "pt_BR", number=opened.number) in said, said
            assert "Olá" not in said
            await carla.click(t("conv.closing.confirm_yes", "pt_BR"))
            said = carla.since(before)
            assert t("conv.closing.approved", "pt_BR", number=opened.number) in said, said
            assert t("conv.closing.ask_rating", "pt_BR", number=opened.number) in said, said
            await carla.click(t("rating.otimo", "pt_BR"))
            [ticket] = tickets(world.desk)
            assert (ticket.status, ticket.decision, ticket.rating) == \
                (Status.CLOSED, Decision.APPROVED, Rating.GREAT)

    asyncio.run(story())


def test_r8_aprovar_tapped_by_another_companys_person_on_that_chat_is_refused(
        db_url: str, tmp_path: Path) -> None:
    """The chat now linked to Rita (another company): the old button approves nothing and
    names nothing of Carla's ticket."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened, question = await asked(world, ids, carla)
            world.desk.call(forget_conversations)
            world.desk.call(relink_to_rita, ids)
            before = len(carla.texts())
            await carla.click(t("conv.closing.approve", "pt_BR"), question["message_id"])
            said = carla.since(before)
            assert opened.number not in said, said
            [ticket] = tickets(world.desk)
            assert ticket.status == Status.AWAITING_APPROVAL

    asyncio.run(story())
