"""R12: an agent's "assign it to me" ("atribuir para mim", "passa pra mim") at a ticket's page
takes the ticket, as "take it" ("eu assumo") does; it said "There is no one called “me” on the
support team" and asked whom to pass it to."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "assign it to me"), ("en", "assign to me"), ("en", "assign this to myself"),
    ("pt_BR", "atribuir para mim"), ("pt_BR", "passa pra mim")])
def test_r12_an_agent_assigning_a_ticket_to_herself_takes_it(world, lang, typed):
    world.speaks("ana", lang)
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.send(typed)
    assert world.ticket(ticket.id).assignee_id == world.ids["ana"]
    assert t("conv.staff.assign_nobody", lang, name="me") not in chat.text
