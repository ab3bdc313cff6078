"""A message typed at the menu is offered as a ticket: "pode ser" is a yes, and "não, só
queria saber…" a no followed by a message of its own; both were joined to the message."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

FIRST = "o boleto da fatura 889 saiu com vencimento errado"


def offered(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(FIRST)
    assert chat.state().step == "menu.typed"
    return chat


@pytest.mark.parametrize("typed", ["pode ser", "com certeza", "bora"])
def test_a_yes_in_other_words_opens_the_ticket_with_the_message(world, typed):
    chat = offered(world)
    chat.send(typed)
    assert chat.state().flow == "intake"
    assert chat.state().data["intake"]["draft"]["descricao"] == FIRST


def test_a_no_followed_by_another_message_declines_the_first_and_offers_the_second(world):
    chat = offered(world)
    chat.send("não, só queria saber como cancelar uma nota")
    assert pt("conv.typed.declined") in chat.text
    assert chat.state().step == "menu.typed"
    assert chat.state().data["typed"]["text"] == "só queria saber como cancelar uma nota"
    assert pt("conv.typed.offer", text="só queria saber como cancelar uma nota") \
        in chat.prompt.text


def test_a_further_message_starting_with_nao_still_joins_the_first(world):
    chat = offered(world)
    chat.send("não consigo imprimir a segunda via também")
    assert chat.state().data["typed"]["text"] == \
        f"{FIRST}\nnão consigo imprimir a segunda via também"
