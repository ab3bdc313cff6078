"""R19, R21: "não funcionou" typed days after the approval question, the ticket closed by
itself meanwhile: what happened to it is said, and the words offered as a new ticket naming
it; they were offered as a new ticket with no word on the closed one."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Status
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
