"""What an agent reads when handing a ticket to themselves (R6) or typing a number no ticket has
(R8, R18), and what the customer and the ticket's history read after it."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.errors import InvalidInput, InvalidTransition, NotFound
from core.i18n import local_time, render_notification, t
from core.models import CriticalReason, EntryKind, Priority, Status
from core.outbox import Channel
from core.services import handling, queries
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


def test_r6_repassar_to_whoever_has_the_ticket_is_refused_and_changes_nothing(world):
    """An outdated card (or a second click) handed Bruno's ticket to Bruno again: back to
    Repassada while he worked on it, and the customer and Bruno told once more."""
    ticket = world.open()
    world.run(handling.take, world.ids["bruno"], ticket.id)
    before = len(world.outbox())
    with pytest.raises(InvalidInput) as err:
        world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["bruno"])
    assert t(err.value.key, "pt_BR", **err.value.params) == \
        f"O ticket {ticket.number} já está com Bruno Suporte."
    assert t(err.value.key, "en", **err.value.params) == \
        f"Ticket {ticket.number} is already with Bruno Suporte."
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["bruno"])
    assert len(world.outbox()) == before


def test_r18_a_mistyped_original_number_is_named_back_as_no_ticket_of_that_number(world):
    duplicate = world.open()
    with pytest.raises(NotFound) as err:
        world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, " 202611/0999 ")
    said = t(err.value.key, "pt_BR", **err.value.params)
    assert said.startswith("Nenhum ticket tem o número 202611/0999.")
    assert "entre os que você pode ver" not in said
    assert t(err.value.key, "en", **err.value.params).startswith(
        "No ticket has the number 202611/0999.")
    assert world.ticket(duplicate.id).status == Status.NEW


def test_r8_an_agent_opening_a_number_no_ticket_has_reads_it_plainly(world):
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("ticket 202611/0999")
    assert chat.replies[0].text == pt("error.no_such_number", number="202611/0999",
                                      example="202611/0001")
    chat = chat_for(world, "carla")  # a customer may be looking for another company's
    chat.send("oi")
    chat.send("ticket 202611/0999")
    assert chat.replies[0].text == pt("error.number_not_found", example="202611/0001")


def test_r6_the_agent_who_had_the_ticket_hears_it_was_taken_over_or_handed_on(world):
    """The one who had it is told (they would go on working on it); the one who hands their
    own ticket on is not told what they did."""
    ticket = world.open()
    world.run(handling.take, world.ids["bruno"], ticket.id)
    world.run(handling.assign, world.ids["ana"], ticket.id, world.ids["ana"])
    world.run(handling.assign, world.ids["coord"], ticket.id, world.ids["bruno"])
    world.run(handling.assign, world.ids["bruno"], ticket.id, world.ids["ana"])
    told = [(m.target, render_notification(m.kind, m.params, "pt_BR")[1])
            for m in world.outbox() if m.kind in ("agent.taken_over", "agent.reassigned")]
    number, assunto = ticket.number, ticket.assunto
    assert told == [
        ("user:UBRUNO", f"Ana Atendente assumiu o ticket {number} — {assunto}, que estava "
                        "com você."),
        ("user:UANA", f"Anderson Coordenação repassou o ticket {number} — {assunto}, que "
                      "estava com você, para Bruno Suporte."),
    ]


def test_r18_an_original_typed_with_other_numbers_beside_it_names_no_other_ticket(world):
    """The number's digits were read together with any other digit typed around it: 'o
    original é 202611/0001, item 3' (the Slack form takes no confirmation) rejected the
    duplicate as one of 202611/0013, and the customer was told so."""
    tickets = [world.open(assunto=f"Erro {n}") for n in range(13)]
    duplicate = tickets[4]
    for typed in ("o original é 202611/0001, item 3", "202611/0001 (2ª vez)",
                  "202611/0001-3"):
        with pytest.raises(NotFound) as err:
            world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, typed)
        assert t(err.value.key, "pt_BR", **err.value.params).startswith(
            f"Nenhum ticket tem o número {typed}."), typed
        assert world.ticket(duplicate.id).status == Status.NEW
    world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id,
              "duplicado do #202611/0001")
    stored = world.ticket(duplicate.id)
    assert (stored.status, stored.duplicate_of_id) == (Status.REJECTED, tickets[0].id)


def test_r8_a_number_typed_with_another_beside_it_opens_no_other_ticket(world):
    """'ticket 202611/0001 2' opened 202611/0012 (the digits read as one number)."""
    tickets = [world.open(assunto=f"Erro {n}") for n in range(12)]
    for typed in ("202611/0001 2", "2026110001 2"):
        with pytest.raises(NotFound):
            world.run(queries.ticket_by_number, world.ids["ana"], typed)
    for typed in ("202611/0001", "#202611/1", "2026110001", "202611-0001", "202611 / 0001"):
        assert world.run(queries.ticket_by_number, world.ids["ana"], typed).id == \
            tickets[0].id, typed


def test_r12_a_priority_set_again_as_it_is_is_refused_and_the_customer_hears_nothing(world):
    """A double click on the card's Prioridade (two interactions, each taken once), or Padrão
    picked on a standard ticket, e-mailed the customer 'A prioridade … agora é Crítico' again
    and logged the change twice; another reason is still a change."""
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    with pytest.raises(InvalidInput) as err:
        world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.STANDARD)
    assert t(err.value.key, "pt_BR", **err.value.params) == \
        f"O ticket {ticket.number} já tem essa prioridade: nada mudou."
    assert t(err.value.key, "en", **err.value.params) == \
        f"Ticket {ticket.number} already has that priority: nothing changed."
    stopped = CriticalReason.AREA_STOPPED
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL, stopped)
    before = len(world.outbox())
    with pytest.raises(InvalidInput):
        world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL, stopped)
    assert len(world.outbox()) == before
    assert len(told_customer(world)) == 2  # taken, made critical
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL,
              next(r for r in CriticalReason if r != stopped))
    assert world.ticket(ticket.id).critical_reason != stopped


def test_r15_r16_a_second_estimate_or_development_says_the_ticket_is_already_there(world):
    """A double click on Em estimativa or Encaminhar ao desenvolvimento said the card was out
    of date: the second click found the ticket where the first had put it. Nothing changes."""
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.move_to_estimate, world.ids["ana"], ticket.id)
    before = len(world.outbox())
    with pytest.raises(InvalidTransition) as err:
        world.run(handling.move_to_estimate, world.ids["ana"], ticket.id)
    assert t(err.value.key, "pt_BR", **err.value.params) == \
        f"O ticket {ticket.number} já está em estimativa: nada mudou."
    assert t(err.value.key, "en", **err.value.params) == \
        f"Ticket {ticket.number} is already in estimate: nothing changed."
    assert len(world.outbox()) == before
    other = world.open()
    world.run(handling.forward_to_development, world.ids["ana"], other.id, "ICMS-ST")
    before = len(world.outbox())
    with pytest.raises(InvalidTransition) as err:
        world.run(handling.forward_to_development, world.ids["bruno"], other.id, "ICMS-ST")
    assert t(err.value.key, "pt_BR", **err.value.params) == \
        f"O ticket {other.number} já está em desenvolvimento: nada mudou."
    assert t(err.value.key, "en", **err.value.params) == \
        f"Ticket {other.number} is already in development: nothing changed."
    assert len(world.outbox()) == before
    assert world.ticket(other.id).assignee_id == world.ids["ana"]


def test_r12_r13_a_priority_change_tells_the_customer_the_new_prazo(world):
    """Made critical, the ticket's prazo de entrega moved from 5 days to 1: the customer's
    notice said only the new priority, and they went on expecting the old date."""
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(handling.set_priority, world.ids["ana"], ticket.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    due = world.ticket(ticket.id).due_at
    shown = f"{local_time(due, world.policy.timezone):%d/%m/%Y %H:%M}"
    notice = told_customer(world)[-1]
    assert "Crítico" in notice
    assert pt("notify.due_line", due=shown).strip() in notice


def test_r12_r13_an_older_priority_notice_without_the_prazo_still_reads(world):
    _, text = render_notification("ticket.status", {"event": "priority", "number": "202612/0001",
                                                    "assunto": "x", "priority": "critico"})
    assert text == "A prioridade do ticket 202612/0001 — x agora é Crítico."


def test_r15_the_note_for_development_stays_out_of_the_customers_notices(world):
    """The note an agent writes for the developers ('Falha no ICMS-ST, ver log do cliente')
    was stored in the customer's notice of the forwarding (its params: never shown, but in a
    row addressed to the customer). It goes only to the team's card and thread."""
    ticket = world.open()
    world.run(handling.take, world.ids["ana"], ticket.id)
    note = "Falha no ICMS-ST, ver log do cliente"
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id, note)
    carla = {"carla@exemplo.com.br", str(world.ids["carla"])}
    theirs = [m for m in world.outbox() if m.target in carla or m.kind == "ticket.status"]
    assert any(m.params.get("event") == "development" for m in theirs)
    assert [m.params for m in theirs if note in str(m.params)] == []
    assert "desenvolvimento" in told_customer(world)[-1]
    assert [m for m in world.outbox() if m.kind == "dev.forwarded"][0].params["note"] == note
