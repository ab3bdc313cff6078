"""R21: a ticket awaiting approval says on its page when it closes as approved if the
customer stays silent, as its approval question does; the page said only the status, and a
customer who left the question for later had no way to see the date again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fakes.chat import chat_for
from test_conversation_closing import at_decision

from core.services import handling


def closes_line(text):
    """The sentence saying when the ticket closes as approved (R21)."""
    found = re.findall(r"Sem resposta [^.]*aprovado\.", text)
    assert len(found) == 1, text
    return found[0]


@pytest.mark.parametrize("who", ["carla", "ana"])
def test_r21_the_page_of_a_ticket_awaiting_approval_says_when_it_closes(world, who):
    ticket, decision = at_decision(world)
    expected = closes_line(decision.prompt.text)
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert closes_line(chat.prompt.text) == expected


def test_r21_the_date_counts_down_as_days_pass(world):
    ticket, decision = at_decision(world)
    first = closes_line(decision.prompt.text)
    world.now += timedelta(days=3)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    later = closes_line(chat.prompt.text)
    assert later != first  # fewer days left
    assert later.split("(")[1] == first.split("(")[1]  # the same date


def test_r21_no_such_line_on_a_ticket_not_awaiting_approval(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert "encerrado como aprovado" not in chat.prompt.text
