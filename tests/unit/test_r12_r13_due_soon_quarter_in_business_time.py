"""R12, R13, R14: 'vence em breve' comes at most a quarter of the prazo ahead, and the quarter is
of the business time the prazo holds (R14's clocks count business time only). It was the prazo's
calendar days × 8 h 30: a critical ticket taken on Friday at 17:00 holds one business hour
before its prazo runs out on Saturday, yet got 127.5 business minutes of warning, so it was
'due soon' the minute it was taken, as was one taken before a holiday."""

from __future__ import annotations

from datetime import UTC, datetime

from core.models import CriticalReason, Priority
from core.services import handling, sweeps


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3, no daylight saving) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


def taken_at(world, moment, critical=False):
    world.now = moment
    ticket = world.open("carla")
    if critical:
        world.run(handling.set_priority, world.ids["coord"], ticket.id, Priority.CRITICAL,
                  CriticalReason.AREA_STOPPED)
    world.run(handling.take, world.ids["ana"], ticket.id)
    return ticket


def due_soon_at(world, moment) -> int:
    world.now = moment
    return world.run(sweeps.run_all).due_soon


def test_r12_r13_a_critical_ticket_taken_friday_at_17_is_due_soon_a_quarter_hour_ahead(world):
    """Due Saturday 05/12 17:00: its prazo holds Friday 17:00–18:00 of business time, a quarter
    of it is 15 minutes, so the warning comes at 17:46 (14 business minutes left), not at once."""
    ticket = taken_at(world, sp(4, 12, 17), critical=True)
    assert world.ticket(ticket.id).due_at == sp(5, 12, 17)
    for moment in (sp(4, 12, 17, 1), sp(4, 12, 17, 30), sp(4, 12, 17, 45)):
        assert due_soon_at(world, moment) == 0, moment
    assert due_soon_at(world, sp(4, 12, 17, 46)) == 1


def test_r13_a_standard_prazo_over_a_weekend_warns_a_quarter_of_its_business_time_ahead(world):
    """Taken Wednesday 02/12 10:00, due Monday 07/12 10:00: 1530 business minutes (390 + 510 +
    510 + 120), a quarter is 382.5, less than the setting's 600: due soon on Friday at 13:38
    (120 on Monday, 262 of Friday's afternoon left), not on Friday at 08:31."""
    taken_at(world, sp(2, 12, 10))
    for moment in (sp(4, 12, 8, 31), sp(4, 12, 11, 59), sp(4, 12, 13, 37)):
        assert due_soon_at(world, moment) == 0, moment
    assert due_soon_at(world, sp(4, 12, 13, 38)) == 1


def test_r13_r14_a_critical_prazo_ending_on_a_holiday_counts_only_the_afternoon_before(world):
    """Taken Thursday 19/11 at 12:30 (lunch), due Friday 20/11 12:30, Consciência Negra: the
    prazo holds 13:30–18:00, 270 business minutes, a quarter is 67.5: due soon at 16:53."""
    taken_at(world, sp(19, 11, 12, 30), critical=True)
    for moment in (sp(19, 11, 13, 30), sp(19, 11, 15, 53), sp(19, 11, 16, 52)):
        assert due_soon_at(world, moment) == 0, moment
    assert due_soon_at(world, sp(19, 11, 16, 53)) == 1


def test_r13_a_full_batch_of_tickets_not_yet_due_soon_does_not_hide_one_that_is(world, monkeypatch):
    """The due-soon sweep reads tickets by prazo, a batch at a time, and skips those not yet in
    their own window. A batch of critical tickets due Friday 04/12 17:00 is not due soon at 13:38
    (202 business minutes left, their window 127.5); the Padrão one due Monday at 10:00 is (382.5
    of its window, 382 left). It came after the batch and was never read: now it is warned. The
    batch is made 3 here (500 in production) so that the story opens 4 tickets, not 501."""
    monkeypatch.setattr(sweeps, "BATCH", 3)
    late = taken_at(world, sp(2, 12, 10))
    for _ in range(3):
        taken_at(world, sp(3, 12, 17), critical=True)
    world.now = sp(4, 12, 13, 38)
    assert world.run(sweeps.run_all).due_soon == 1
    assert world.ticket(late.id).due_warnings_sent == 1
