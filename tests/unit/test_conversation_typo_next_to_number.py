"""A ticket word typed with a typo next to a number is read as the right spelling is: "tiket 12"
and "chamdo 12" were, "tiket12" (against the number, as "ticket12" is read) and "protocoo 12",
"prtocolo 12" (a typo of "protocolo") were not: offered as a matter to open a ticket about."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation import intents
from core.conversation.replies import Command


@pytest.mark.parametrize(("typed", "arg"), [
    ("tiket 12", "12"), ("tiket12", "12"), ("chamdo12", "12"), ("status do tiket12", "12"),
    ("protocoo 12", "12"), ("prtocolo 12", "12"), ("prtocolo 202612/0003", "202612/0003")])
def test_a_typo_of_a_ticket_word_next_to_a_number_names_that_ticket(typed, arg):
    assert intents.command(typed) == (Command.TICKET, arg)


@pytest.mark.parametrize("typed", ["protocolou o pedido 12", "abc12", "caixa12 travou"])
def test_other_words_next_to_a_number_are_no_ticket(typed):
    assert intents.command(typed) is None


def test_protocoo_and_its_number_at_the_menu_open_the_ticket(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"protocoo {ticket.seq}")
    assert chat.state().step == "ticket.view"
    assert chat.state().data["ticket"]["id"] == ticket.id
