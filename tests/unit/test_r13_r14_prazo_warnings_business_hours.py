"""R13, R14: the prazo warnings to the agents (the triage thread, the responsible agent's Slack DM
or e-mail) wait for business hours as the customers' reminders do: a prazo that runs out on a
Saturday or at night is told at the next opening, not on the agents' phones at the weekend."""

from __future__ import annotations

from datetime import UTC, datetime

from core.i18n import render_notification
from core.models import CriticalReason, Priority
from core.outbox import SLACK_TRIAGE
from core.services import handling, sweeps


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3, no daylight saving) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


def sweep_at(world, moment):
    world.now = moment
    return world.run(sweeps.run_all)


def warnings(world, kind):
    """Each warning of one kind as (where it goes, when it was written)."""
    return [(m.target, m.created_at) for m in world.outbox() if m.kind == kind]


def taken_by(world, agent, moment, critical=False):
    """A ticket the agent takes at `moment`: the prazo runs from then (5 days, 1 if critical)."""
    world.now = moment
    ticket = world.open("carla")
    if critical:
        world.run(handling.set_priority, world.ids["coord"], ticket.id, Priority.CRITICAL,
                  CriticalReason.AREA_STOPPED)
    world.run(handling.take, world.ids[agent], ticket.id)
    return ticket


def test_r13_r14_a_prazo_run_out_on_saturday_is_told_on_monday_at_8(world):
    ticket = taken_by(world, "ana", sp(30, 11, 10))  # Monday: due Saturday 05/12 10:00
    assert world.ticket(ticket.id).due_at == sp(5, 12, 10)
    assert sweep_at(world, sp(4, 12, 10)).due_soon == 1  # Friday, in business hours
    for moment in (sp(5, 12, 10, 1), sp(6, 12, 15), sp(7, 12, 7, 59)):
        assert sweep_at(world, moment).overdue == 0
        assert warnings(world, "ticket.overdue") == []
    assert sweep_at(world, sp(7, 12, 8)).overdue == 1
    assert warnings(world, "ticket.overdue") == [(SLACK_TRIAGE, sp(7, 12, 8)),
                                                 ("user:UANA", sp(7, 12, 8))]
    [dm] = [m for m in world.outbox() if m.kind == "ticket.overdue" and m.target == "user:UANA"]
    assert render_notification(dm.kind, dm.params, "pt_BR")[1].endswith(
        "venceu em 05/12/2026 10:00.")
    assert render_notification(dm.kind, dm.params, "en")[1].startswith(
        f"The due date of ticket {ticket.number}")
    assert sweep_at(world, sp(7, 12, 8, 1)).overdue == 0


def test_r13_r14_a_critical_ticket_taken_at_night_warns_its_agent_by_e_mail_in_the_morning(
        world):
    """Taken Monday 19:00 as critical (a day of prazo): due Tuesday 19:00, at night, and due
    soon with a quarter of the prazo left (R12), Tuesday at 15:53. The agent without Slack got
    the overdue e-mail at night."""
    with world.store() as uow:
        bruno = uow.users.get(world.ids["bruno"])
        bruno.slack_id = None
        uow.users.update(bruno)
        uow.commit()
    taken_by(world, "bruno", sp(30, 11, 19), critical=True)
    assert sweep_at(world, sp(30, 11, 19, 1)).due_soon == 0
    for moment in (sp(1, 12, 7, 59), sp(1, 12, 8), sp(1, 12, 15, 52)):
        assert sweep_at(world, moment).due_soon == 0
    assert warnings(world, "ticket.due_soon") == []
    assert sweep_at(world, sp(1, 12, 15, 53)).due_soon == 1
    assert warnings(world, "ticket.due_soon") == [(SLACK_TRIAGE, sp(1, 12, 15, 53)),
                                                  ("bruno@exemplo.com.br", sp(1, 12, 15, 53))]
    for moment in (sp(1, 12, 19, 1), sp(1, 12, 20, 59), sp(2, 12, 7, 59)):
        assert sweep_at(world, moment).overdue == 0
    assert warnings(world, "ticket.overdue") == []
    assert sweep_at(world, sp(2, 12, 8)).overdue == 1
    assert warnings(world, "ticket.overdue") == [(SLACK_TRIAGE, sp(2, 12, 8)),
                                                 ("bruno@exemplo.com.br", sp(2, 12, 8))]


def test_r13_r14_the_lunch_break_and_a_holiday_wait_too(world):
    """A critical ticket taken Thursday 19/11 at 12:30 runs out on Friday 20/11 at 12:30, on
    Consciência Negra: told on Monday 23/11 at 08:00."""
    taken_by(world, "ana", sp(19, 11, 12, 30), critical=True)
    for moment in (sp(19, 11, 12, 31), sp(19, 11, 13, 30), sp(19, 11, 16, 52)):  # lunch, after
        assert sweep_at(world, moment).due_soon == 0
    # A quarter of the prazo's 270 business minutes (13:30–18:00) left (R12, R13).
    assert sweep_at(world, sp(19, 11, 16, 53)).due_soon == 1
    assert sweep_at(world, sp(20, 11, 12, 31)).overdue == 0
    assert sweep_at(world, sp(23, 11, 8)).overdue == 1


def test_r12_r13_a_critical_ticket_is_not_due_soon_the_minute_it_is_taken(world):
    """R12, R13: a critical ticket's prazo is a day, 510 business minutes, less than the 600 of
    the 'vence em breve' warning: it fired the minute the ticket was taken, for every critical
    ticket, and told the agent nothing. The warning comes with a quarter of the prazo left
    (127.5 business minutes); a Padrão ticket's still comes 600 business minutes ahead."""
    critical = taken_by(world, "ana", sp(24, 11, 9), critical=True)  # due Wednesday 09:00
    assert world.ticket(critical.id).due_at == sp(25, 11, 9)
    for moment in (sp(24, 11, 9, 1), sp(24, 11, 12), sp(24, 11, 16, 52)):
        assert sweep_at(world, moment).due_soon == 0
    assert warnings(world, "ticket.due_soon") == []
    assert sweep_at(world, sp(24, 11, 16, 53)).due_soon == 1
    assert warnings(world, "ticket.due_soon") == [(SLACK_TRIAGE, sp(24, 11, 16, 53)),
                                                  ("user:UANA", sp(24, 11, 16, 53))]
    standard = taken_by(world, "bruno", sp(23, 11, 10))  # Monday: due Saturday 28/11 10:00
    assert world.ticket(standard.id).due_at == sp(28, 11, 10)
    # Thursday: 600 business minutes from 16:30 end on Friday at 18:00, before the prazo;
    # from 16:31 they run past it.
    assert sweep_at(world, sp(26, 11, 16, 30)).due_soon == 0
    assert sweep_at(world, sp(26, 11, 16, 31)).due_soon == 1
