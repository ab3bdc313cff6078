"""R13, R19: the prazo de entrega runs while the team works on the ticket, not while the
solution waits for the customer (the sweeps never warn a ticket awaiting approval). A customer
who took a week to answer Não aprovar sent the ticket back already overdue: the triage thread
and the agent were told 'venceu em 05/12' the minute it came back, for a solution sent with
four days to spare."""

from __future__ import annotations

from datetime import UTC, datetime

from core.models import CriticalReason, Priority
from core.services import closing, handling, sweeps


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3, no daylight saving) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


def sweep_at(world, moment):
    world.now = moment
    return world.run(sweeps.run_all)


def answered(world, taken, solved):
    """Carla's ticket, taken by Ana at `taken` (due five days later), answered at `solved`."""
    world.now = taken
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.now = solved
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido no pacote.",
              origin_id="erro_sistema")
    return ticket


def not_approved(world, ticket, moment):
    world.now = moment
    world.run(closing.not_approve, world.ids["carla"], ticket.id, "Ainda dá erro na nota 10126")


def test_r13_r19_not_approved_a_week_later_keeps_the_time_the_team_had_left(world):
    """Taken Monday 30/11 10:00 (due Saturday 05/12 10:00), answered Tuesday 01/12 10:00 with
    four days left; Não aprovar on Tuesday 08/12 10:00: due Saturday 12/12 10:00."""
    ticket = answered(world, sp(30, 11, 10), sp(1, 12, 10))
    assert sweep_at(world, sp(7, 12, 8)).overdue == 0  # awaiting approval: never warned
    not_approved(world, ticket, sp(8, 12, 10))
    assert world.ticket(ticket.id).due_at == sp(12, 12, 10)
    report = sweep_at(world, sp(8, 12, 10, 1))
    assert (report.overdue, report.due_soon) == (0, 0)
    assert [m for m in world.outbox() if m.kind == "ticket.overdue"] == []
    assert sweep_at(world, sp(11, 12, 11)).due_soon == 1  # the new date, told near it
    assert sweep_at(world, sp(14, 12, 8)).overdue == 1


def test_r13_r19_a_solution_sent_after_the_prazo_comes_back_as_late_as_it_was(world):
    ticket = answered(world, sp(30, 11, 10), sp(7, 12, 9))  # due 05/12: two days late
    not_approved(world, ticket, sp(9, 12, 10))
    assert world.ticket(ticket.id).due_at == sp(5, 12, 10)
    assert sweep_at(world, sp(9, 12, 10, 1)).overdue == 1


def test_r12_r13_a_priority_changed_after_the_wait_keeps_it(world):
    """Made critical after coming back: a day of prazo from the same start, the wait kept."""
    ticket = answered(world, sp(30, 11, 10), sp(1, 12, 10))
    not_approved(world, ticket, sp(8, 12, 10))
    world.run(handling.set_priority, world.ids["coord"], ticket.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    assert world.ticket(ticket.id).due_at == sp(8, 12, 10)  # 12/12 less four days


def test_r12_r13_a_critical_ticket_back_from_the_customer_is_due_soon_a_quarter_of_its_day_ahead(
        world):
    """Critical, taken Monday 30/11 09:00 (due Tuesday 09:00), answered at 10:00 with 23 hours
    left, Não aprovar on Monday 07/12 10:00: due Tuesday 08/12 09:00. Its prazo is still a day
    (510 business minutes): due soon at 16:53, not at once for the week it waited."""
    world.now = sp(30, 11, 9)
    ticket = world.open("carla")
    world.run(handling.set_priority, world.ids["coord"], ticket.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.now = sp(30, 11, 10)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Paliativo: emita em "
              "contingência.", origin_id="erro_sistema")
    not_approved(world, ticket, sp(7, 12, 10))
    assert world.ticket(ticket.id).due_at == sp(8, 12, 9)
    for moment in (sp(7, 12, 10, 1), sp(7, 12, 16, 52)):
        assert sweep_at(world, moment).due_soon == 0, moment
    assert sweep_at(world, sp(7, 12, 16, 53)).due_soon == 1
