"""R19: a "restriction" that says the solution did not work ("não funcionou") does not close the
ticket at once: Aprovar com restrições closes it for good, so the customer is asked first."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Decision, Status
from core.services import closing, handling


def at_answer(world, button):
    """Carla's ticket awaiting her approval, her chat at `button`'s question (restrições, Não
    aprovar): (ticket, chat)."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.click(button)
    return ticket, chat


def at_restriction(world):
    ticket, chat = at_answer(world, "restrições")
    assert chat.state().step == "closing.comment"
    return ticket, chat


NOT_WORKING = "não funcionou, o pedido continua sem confirmar"


def test_r19_a_restriction_that_says_it_did_not_work_asks_before_closing(world):
    """It closed the ticket, approved with "não funcionou" as the restriction, for good."""
    ticket, chat = at_restriction(world)
    chat.send(NOT_WORKING)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.prompt.text == pt("conv.closing.comment_check", number=ticket.number)
    assert chat.labels == [pt("conv.closing.check_not_approve"),
                           pt("conv.closing.check_partial"), pt("conv.closing.back")]


def test_r19_the_customer_then_does_not_approve_with_those_words_as_the_reason(world):
    ticket, chat = at_restriction(world)
    chat.send(NOT_WORKING)
    chat.click(pt("conv.closing.check_not_approve"))
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    assert pt("conv.closing.not_approved", number=ticket.number) in chat.text
    assert (world.ticket(ticket.id).decision, world.ticket(ticket.id).decision_comment) == (
        Decision.NOT_APPROVED, NOT_WORKING)


def test_r19_or_approves_with_the_restriction_all_the_same(world):
    ticket, chat = at_restriction(world)
    chat.send(NOT_WORKING)
    chat.click(pt("conv.closing.check_partial"))
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert pt("conv.closing.approved_partial", number=ticket.number) in chat.text


@pytest.mark.parametrize("typed", ["funciona mas ficou lento no fechamento",
                                   "ok, só falta ajustar o relatório"])
def test_r19_a_real_restriction_still_closes_at_once(world, typed):
    ticket, chat = at_restriction(world)
    chat.send(typed)
    assert world.ticket(ticket.id).status == Status.CLOSED
