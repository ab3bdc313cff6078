"""What an agent reads when handing a ticket to themselves (R6), and what the customer and the
ticket's history read after it."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.i18n import render_notification, t
from core.models import EntryKind, Status
from core.outbox import Channel
from core.services import handling
from core.services.system_lines import system_text


def course(world, ticket_id):
    """The ticket's history lines as the customer reads them."""
    entries = world.read(lambda uow: uow.entries.list(ticket_id, True))
    names = {world.ids[who]: name for who, name in (("ana", "Ana Atendente"),
                                                     ("bruno", "Bruno Suporte"))}
    return [system_text(e, names.get(e.author_id or 0), {}, "pt_BR", for_customer=True)
            for e in entries if e.kind == EntryKind.SYSTEM]


def told_customer(world):
    return [render_notification(m.kind, m.params, "pt_BR")[1] for m in world.outbox()
            if m.kind == "ticket.status" and m.channel == Channel.EMAIL]


def test_r6_repassar_to_oneself_a_ticket_nobody_has_takes_it(world):
    ticket = world.open()
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["ana"])
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["ana"])
    assert stored.due_at is not None
    assert course(world, ticket.id) == ["Ana Atendente assumiu o ticket."]
    assert told_customer(world)[-1].endswith("está com Ana Atendente. Status: Em atendimento.")
    assert not [m for m in world.outbox() if m.kind == "agent.assigned"]


def test_r6_repassar_to_oneself_a_ticket_someone_else_has_takes_it_over(world):
    ticket = world.open()
    world.run(handling.take, world.ids["bruno"], ticket.id)
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["ana"])
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["ana"])
    assert course(world, ticket.id)[-1] == "Ana Atendente assumiu o ticket."


def test_r6_repassar_to_oneself_ones_own_ticket_is_refused_and_changes_nothing(world):
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    before = len(world.outbox())
    with pytest.raises(InvalidInput) as err:
        world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["ana"])
    assert t(err.value.key, "pt_BR", **err.value.params).startswith(
        f"O ticket {ticket.number} já está com você.")
    assert t(err.value.key, "en", **err.value.params).startswith(
        f"Ticket {ticket.number} is already yours.")
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS
    assert len(world.outbox()) == before
    assert course(world, ticket.id) == ["Ana Atendente assumiu o ticket."]

