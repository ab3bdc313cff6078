"""R19, R21: "não funcionou" typed days after the approval question, the ticket closed by
itself meanwhile: what happened to it is said, and the words offered as a new ticket naming
it; they were offered as a new ticket with no word on the closed one."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Rating, Status
from core.services import closing, handling, sweeps

WORDS = "não funcionou, continua dando erro ao confirmar o pedido"


def closed_by_silence(world, at_question):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    if at_question:
        chat.click("Responder")
    world.advance(days=16)
    for _ in range(72):  # the close waits for business hours (R14)
        if world.run(sweeps.run_all).auto_closed:
            break
        world.advance(hours=1)
    assert world.ticket(ticket.id).status == Status.CLOSED
    return ticket, chat


@pytest.mark.parametrize("at_question", [False, True])
def test_r21_words_deciding_a_ticket_closed_meanwhile_say_so_first(world, at_question):
    ticket, chat = closed_by_silence(world, at_question)
    chat.send(WORDS)
    closed = world.ticket(ticket.id)
    assert closed.status == Status.CLOSED  # never reopened
    assert "foi encerrado como aprovado" in chat.text
    assert ticket.number in chat.text
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text
    chat.click("Abrir ticket")
    assert ticket.number in chat.state().data["intake"]["draft"]["descricao"]
    assert WORDS in chat.state().data["intake"]["draft"]["descricao"]


@pytest.mark.parametrize("at_question", [False, True])
def test_r20_r21_a_mark_typed_after_the_ticket_closed_by_itself_rates_it(world, at_question):
    """'nota 10' after the 15 days was told the ticket cannot be reopened and offered as a new
    ticket's descrição, though the closing notice invites the rating."""
    ticket, chat = closed_by_silence(world, at_question)
    chat.send("nota 10")
    assert "foi encerrado como aprovado" in chat.text
    assert chat.prompt.text == pt("conv.closing.rate_named", rating="Ótimo")
    assert not (chat.state().data.get("typed") or {}).get("text")
    chat.click("Sim, Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT


def test_r20_r21_words_saying_it_worked_after_it_closed_by_itself_ask_the_rating(world):
    ticket, chat = closed_by_silence(world, False)
    chat.send("funcionou, obrigada")
    assert "foi encerrado como aprovado" in chat.text
    assert chat.prompt.text.startswith(pt("conv.closing.ask_rating", number=ticket.number))
    assert not (chat.state().data.get("typed") or {}).get("text")
    chat.click("Bom")
    assert world.ticket(ticket.id).rating == Rating.GOOD


def test_r20_r21_praise_with_feedback_after_it_closed_by_itself_keeps_the_comment(world):
    ticket, chat = closed_by_silence(world, False)
    chat.send("ótimo, a Ana resolveu rápido")
    chat.click("Sim, Ótimo")
    stored = world.ticket(ticket.id)
    assert (stored.rating, stored.rating_comment) == (Rating.GREAT, "ótimo, a Ana resolveu rápido")


def test_r20_r21_a_mark_typed_after_it_closed_by_itself_and_was_rated_is_not_asked(world):
    ticket, chat = closed_by_silence(world, False)
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.GOOD)
    chat.send("nota 10")
    assert world.ticket(ticket.id).rating == Rating.GOOD
    assert "foi encerrado como aprovado" in chat.text
    assert pt("conv.closing.rate_named", rating="Ótimo") not in chat.text
    assert not (chat.state().data.get("typed") or {}).get("text")  # no matter to open
