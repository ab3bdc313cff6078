"""R22: every answered ticket has an origin; the solution is sent with it (R23 at the end)."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.i18n import t
from core.models import EntryKind, Status
from core.services import billing, closing, handling, tramites


def taken(world, assunto="Erro ao confirmar pedido de venda"):
    """A ticket Ana took and has not classified."""
    ticket = world.open("carla", assunto=assunto)
    world.run(handling.take, world.ids["ana"], ticket.id)
    return ticket


def history(world, ticket_id):
    """The events of the ticket's history, in order."""
    entries = world.read(lambda uow: uow.entries.list(ticket_id, True))
    return [tramites.read_system_entry(e.text)[0] for e in entries
            if e.kind == EntryKind.SYSTEM]


def test_r22_a_solution_without_an_origin_is_refused_naming_the_suggestion(world):
    ticket = taken(world)
    before = world.outbox()
    with pytest.raises(InvalidInput) as err:
        world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.")
    said = t(err.value.key, "pt_BR", **err.value.params)
    assert ticket.number in said
    assert "Erro de sistema" in said  # what core suggests for this ticket
    assert "classifique a origem" in said
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.origin) == (Status.IN_PROGRESS, None)
    assert world.outbox() == before  # the customer got nothing
    public = world.read(lambda uow: uow.entries.list(ticket.id, False))
    assert not [e for e in public if e.text == "Corrigido."]


def test_r22_the_origin_chosen_with_the_solution_is_recorded_before_it(world):
    ticket = taken(world)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="instrucao")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.origin, stored.covered, stored.billable) == (
        Status.AWAITING_APPROVAL, "instrucao", True, False)
    assert history(world, ticket.id)[-2:] == ["origin", "approval_requested"]


def test_r22_a_classified_ticket_is_answered_without_asking_again(world):
    ticket = taken(world)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "legislacao")
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.")
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "Ainda falha na filial 2")
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Agora sim.",
              origin_id="legislacao")  # the same origin again: nothing new to record
    assert world.ticket(ticket.id).origin == "legislacao"
    assert history(world, ticket.id).count("origin") == 1


def test_r23_an_origin_outside_the_contract_found_at_the_end_marks_it_billable(world):
    ticket = taken(world, assunto="Alterar layout do boleto")
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Layout alterado conforme pedido.", origin_id="layout")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.billable, stored.billing_authorized) == (
        Status.AWAITING_APPROVAL, True, None)
    told = {m.kind for m in world.outbox() if m.ticket_id == ticket.id}
    assert {"ticket.billing_prompt", "ticket.approval_requested"} <= told


def test_r22_an_unknown_origin_changes_nothing(world):
    ticket = taken(world)
    with pytest.raises(InvalidInput):
        world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
                  origin_id="inventado")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.origin) == (Status.IN_PROGRESS, None)
