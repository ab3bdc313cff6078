"""R6: Repassar para… acts on the ticket as the agent's card showed it (who had it)."""

from __future__ import annotations

import pytest

from core.errors import Conflict
from core.i18n import t
from core.models import Status
from core.services import handling


def test_r6_repassar_as_drawn_refuses_a_ticket_that_changed_hands_and_moves_nothing(world):
    ticket = world.open()
    world.run(handling.take, world.ids["bruno"], ticket.id)
    with pytest.raises(Conflict) as err:  # drawn with nobody responsible
        world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["coord"], seen_holder=0)
    assert t(err.value.key, "en", **err.value.params).startswith(
        f"Ticket {ticket.number} changed hands since the card was drawn: it is now with "
        "Bruno Suporte.")
    with pytest.raises(Conflict):  # taking it over for herself, unseen, neither
        world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["ana"], seen_holder=0)
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["bruno"])
    world.run(handling.release, world.read(lambda uow: uow.users.get(world.ids["bruno"])))
    with pytest.raises(Conflict) as err:  # drawn with Bruno, who has left it since
        world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["coord"],
                  seen_holder=world.ids["bruno"])
    assert err.value.key == "error.changed_hands_nobody"
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["coord"], seen_holder=0)
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.ASSIGNED, world.ids["coord"])


def test_r6_the_same_repassar_pick_twice_says_it_is_already_theirs_not_changed_hands(world):
    """Ana picked Bruno on a card drawn with nobody responsible, then (a double click, or the
    card not redrawn yet) picked Bruno again: she was told the ticket 'changed hands since the
    card was drawn: it is now with Bruno', her own pick told as a colleague's change."""
    from core.errors import InvalidInput

    ticket = world.open()
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["bruno"], seen_holder=0)
    with pytest.raises(InvalidInput) as err:
        world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["bruno"], seen_holder=0)
    assert t(err.value.key, "pt_BR", **err.value.params) == \
        f"O ticket {ticket.number} já está com Bruno Suporte."
    assert world.ticket(ticket.id).assignee_id == world.ids["bruno"]


def test_r6_repassar_on_a_card_drawn_before_the_agent_took_it_herself_still_goes(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["bruno"], seen_holder=0)
    assert world.ticket(ticket.id).assignee_id == world.ids["bruno"]


def test_r6_repassar_in_the_chat_after_a_colleague_took_the_ticket_moves_nothing(world):
    """Ana's chat asked 'Para quem repassar? Responsável hoje: ninguém'; Bruno took the ticket
    while she chose, and her pick (Anderson) took it from him unseen. She is told who has it
    now and asked again, the question naming him; picked again, it goes."""
    from fakes.chat import chat_for, pt

    ticket = world.open()
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("slack.btn.assign"))
    world.run(handling.take, world.ids["bruno"], ticket.id)
    chat.click("Anderson")
    assert pt("conv.staff.changed_hands", number=ticket.number, assignee="Bruno Suporte") \
        in chat.text
    assert pt("conv.staff.ask_assign", number=ticket.number, assignee="Bruno Suporte") \
        in chat.prompt.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["bruno"])
    chat.click("Anderson")
    assert pt("conv.staff.assigned", number=ticket.number, name="Anderson Coordenação") \
        in chat.text
    assert world.ticket(ticket.id).assignee_id == world.ids["coord"]
