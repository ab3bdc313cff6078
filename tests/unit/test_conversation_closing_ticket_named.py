"""R19, R10: a ticket named at the restriction or the reason question ("answer 4", "0004",
"202611/0002") is the customer asking about that ticket, never the restriction that closes
this one for good (nor the reason that sends it back); words that name nothing ("o 4") are
refused. 'Responder 4' at the menu, the greeting's button typed, shows ticket 4's page."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_closing_restriction_check import at_answer

from core.models import Status


def at_question(world, button):
    other = world.open("carla", assunto="Boleto com vencimento errado")
    ticket, chat = at_answer(world, button)
    return ticket, other, chat


def named(other, form):
    seq = int(other.number.split("/")[1])
    return form.format(seq=seq, padded=f"{seq:04d}", number=other.number)


FORMS = ["answer {seq}", "responder {seq}", "Responder {number}", "responder o {padded}",
         "{number}", "{padded}", "#{seq}"]


@pytest.mark.parametrize("button", ["restrições", "Não aprovar"])
@pytest.mark.parametrize("form", FORMS)
def test_r19_a_ticket_named_at_the_restriction_shows_that_ticket_and_decides_nothing(
        world, button, form):
    ticket, other, chat = at_question(world, button)
    chat.send(named(other, form))
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.state().step == "ticket.view"
    assert chat.prompt.text.startswith(f"Ticket {other.number} — Boleto com vencimento errado")


@pytest.mark.parametrize("typed", ["o 4", "4?", "o 2."])
def test_r19_a_restriction_that_says_nothing_is_refused(world, typed):
    ticket, _, chat = at_question(world, "restrições")
    chat.send(typed)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.state().step == "closing.comment"
    assert pt("conv.closing.comment_small_talk", text=typed) in chat.text


@pytest.mark.parametrize("typed", ["NF-e 539", "falta o relatório 4"])
def test_r19_a_short_restriction_with_words_still_closes(world, typed):
    ticket, _, chat = at_question(world, "restrições")
    chat.send(typed)
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert world.ticket(ticket.id).decision_comment == typed


@pytest.mark.parametrize("form", ["responder {seq}", "answer {seq}", "Responder {number}",
                                  "reply to {padded}"])
def test_r10_responder_and_a_tickets_number_at_the_menu_shows_that_ticket(world, form):
    other = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("menu")
    chat.send(named(other, form))
    assert chat.state().step == "ticket.view"
    assert chat.prompt.text.startswith(f"Ticket {other.number} — Boleto com vencimento errado")
