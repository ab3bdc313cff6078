"""R6, R13: a Repassada ticket answered by the agent it was passed to is Em atendimento, his.

The manual's list shows "1. Repassada" (passed to a responsible, with its prazo) apart from
"3. Em Atendimento", whose responsible "is the professional working on it" (§6.1, §6.3): there
is no Repassada tab (our Em atendimento tab holds both), only the status. Bruno passed Carla's
ticket to Ana; Ana answered Carla and the ticket still said Repassada, as if nobody had
started on it."""

from __future__ import annotations

from core.models import EntryKind, Status
from core.services import handling, tramites
from core.services.system_lines import system_text


def _lines(world, ticket_id):
    entries = world.read(lambda uow: uow.entries.list(ticket_id, True))
    return [system_text(e, "Ana Atendente", {}, "pt_BR", for_customer=False)
            for e in entries if e.kind == EntryKind.SYSTEM]


def test_r6_r13_an_answer_by_the_agent_a_ticket_was_passed_to_puts_it_in_attendance(world):
    ticket = world.open()
    world.run(handling.assign, world.ids["bruno"], ticket.id, world.ids["ana"])
    passed = world.ticket(ticket.id)
    assert (passed.status, passed.assignee_id) == (Status.ASSIGNED, world.ids["ana"])
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id,
              "Olá Carla, pode enviar o XML da nota?")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["ana"])
    assert (stored.assigned_at, stored.due_at) == (passed.assigned_at, passed.due_at)  # R13
    assert _lines(world, ticket.id)[-1] == "Ana Atendente assumiu o ticket."
    told = [m.kind for m in world.outbox() if m.params.get("text", "").startswith("Olá Carla")
            or m.kind == "ticket.status"]
    assert "ticket.tramite" in told
    assert told.count("ticket.status") == 1  # the passing only: her answer says the rest


def test_r6_a_colleagues_answer_or_a_note_leaves_a_repassada_ticket_as_it_is(world):
    ticket = world.open()
    world.run(handling.assign, world.ids["bruno"], ticket.id, world.ids["ana"])
    world.run(tramites.add_internal_note, world.ids["ana"], ticket.id, "vou olhar o XML")
    world.run(tramites.add_tramite, world.ids["bruno"], ticket.id,
              "Carla, a Ana vai cuidar do seu ticket.")
    world.run(tramites.add_tramite, world.ids["carla"], ticket.id, "Obrigada!")
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.ASSIGNED, world.ids["ana"])
