"""R7: Voltar ao ticket after sending files for a trâmite dropped them without a word; the
files are now offered to send or discard."""

from __future__ import annotations

import pytest
from fakes.chat import attachment, chat_for, pt

from core.conversation import UserInput


def with_a_print(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.send(UserInput.of_files([attachment("tela.png")]))
    assert chat.state().step == "ticket.tramite"
    return ticket, chat


def entries(world, ticket):
    return world.read(lambda uow: uow.entries.list(ticket.id, True))


@pytest.mark.parametrize("back", ["click", "voltar"])
def test_r7_going_back_with_files_offers_them_instead_of_dropping_them(world, back):
    ticket, chat = with_a_print(world)
    before = len(entries(world, ticket))
    if back == "click":
        chat.click("Voltar ao ticket")
    else:
        chat.send("voltar")
    assert chat.state().step == "ticket.said"
    assert "tela.png" in chat.prompt.text
    assert [c.label for c in chat.prompt.choices] == ["Enviar como trâmite", "Descartar"]
    assert len(entries(world, ticket)) == before
    chat.click("Enviar")
    assert [a.filename for a in entries(world, ticket)[-1].attachments] == ["tela.png"]


def test_r7_the_files_offered_may_be_discarded(world):
    ticket, chat = with_a_print(world)
    before = len(entries(world, ticket))
    chat.click("Voltar ao ticket")
    chat.click("Descartar")
    assert pt("conv.tramite.dropped") in chat.text
    assert len(entries(world, ticket)) == before
    assert chat.state().step == "ticket.view"


def test_r7_going_back_with_nothing_sent_shows_the_ticket(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.click("Voltar ao ticket")
    assert chat.state().step == "ticket.view"
