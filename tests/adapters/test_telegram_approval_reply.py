"""R19 in Telegram: a reply to the approval request in words that decide it is that ticket's
decision, not a trâmite left on a ticket still waiting (and closing itself as approved after
15 days, R21, whatever the words said)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import (
    TelegramWorld,
    closed_after_approval,
    linked_carla,
    two_awaiting_approval,
)

from core.conversation.contact import team_away
from core.i18n import t
from core.models import Decision, EntryKind, Status


def public_texts(world: TelegramWorld, ticket_id: int) -> list[str]:
    with world.desk.store() as uow:
        return [e.text for e in uow.entries.list(ticket_id, False)
                if e.kind == EntryKind.PUBLIC]


def status(world: TelegramWorld, ticket_id: int) -> tuple[Status, Decision | None]:
    with world.desk.store() as uow:
        ticket = uow.tickets.get(ticket_id)
        assert ticket is not None
        return ticket.status, ticket.decision


def test_r19_a_reply_to_the_approval_request_in_words_that_decide_it_is_its_decision(
        db_url: str, tmp_path: Path) -> None:
    """Carla moved on to her tickets, then swiped to reply "funcionou, pode encerrar" to the
    approval request: it became a trâmite ("Trâmite adicionado ao ticket …") and the ticket
    kept waiting; "não resolveu, o pedido 4431 continua travando" too. Now the first asks to
    confirm the approval and the second asks for the reason offering those words, as typed
    at the question; a reply that decides nothing is still a trâmite."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            first, second, asked = await two_awaiting_approval(world, ids, carla)
            await carla.say("/tickets")
            await carla.say("segue o print do erro", reply_to=asked[first.id]["message_id"])
            away = world.desk.call(team_away, "pt_BR")  # R14, outside business hours
            assert carla.last_text() == t("conv.tramite.added", number=first.number) \
                + (f"\n\n{away}" if away else "")

            await carla.say("funcionou, pode encerrar", reply_to=asked[first.id]["message_id"])
            assert carla.last_text() == t("conv.closing.confirm_approve", number=first.number)
            await carla.click(t("conv.closing.confirm_yes"))
            assert status(world, first.id) == (Status.CLOSED, Decision.APPROVED)
            assert public_texts(world, first.id)[-1] == "segue o print do erro"

            words = "não resolveu, o pedido 4431 continua travando"
            await carla.say(words, reply_to=asked[second.id]["message_id"])
            assert t("conv.closing.ask_reason", number=second.number) in carla.last_text()
            await carla.click(t("conv.closing.use_said"))
            assert status(world, second.id) == (Status.IN_PROGRESS, Decision.NOT_APPROVED)
            assert public_texts(world, second.id).count(words) == 1  # as the reason, once

    asyncio.run(story())


def test_r7_a_reply_to_a_closed_ticket_s_message_is_offered_as_a_new_ticket_citing_it(
        db_url: str, tmp_path: Path) -> None:
    """Carla replied "voltou a travar hoje no caixa 3" to the registration of a ticket closed
    since: she read "O ticket … está encerrado … abra um novo ticket" and her words were gone.
    Now they are kept and offered as a new ticket naming the closed one, as at its page."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened, note = await closed_after_approval(world, ids, carla)
            words = "voltou a travar hoje no caixa 3"
            await carla.say(words, reply_to=note["message_id"])
            said = carla.last_text()
            assert t("conv.tramite.not_open_closed", number=opened.number) in said
            assert words in said
            assert t("conv.typed.follows_note", number=opened.number) in said
            await carla.click(t("conv.typed.open"))
            assert t("conv.intake.intro") in carla.since(0)

    asyncio.run(story())


def test_r19_ainda_trava_replied_to_the_approval_request_is_not_approved(
        db_url: str, tmp_path: Path) -> None:
    """'ainda trava no caixa 2' replied to the approval request became a trâmite, the ticket
    waiting on (to close as approved after 15 days): the problem still there is a Não
    aprovar, the reason asked offering those words. 'ainda bem, funcionou' still approves."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            first, second, asked = await two_awaiting_approval(world, ids, carla)
            await carla.say("/tickets")
            words = "ainda trava no caixa 2"
            await carla.say(words, reply_to=asked[second.id]["message_id"])
            assert t("conv.closing.ask_reason", number=second.number) in carla.last_text()
            await carla.click(t("conv.closing.use_said"))
            assert status(world, second.id) == (Status.IN_PROGRESS, Decision.NOT_APPROVED)
            assert public_texts(world, second.id)[-1] == words

            await carla.say("ainda bem, funcionou", reply_to=asked[first.id]["message_id"])
            assert carla.last_text() == t("conv.closing.confirm_approve", number=first.number)

    asyncio.run(story())
