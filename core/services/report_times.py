"""The report's times in business hours (R14): how long tickets waited to be first taken and
how long they took to be solved, from the rows storage reads (TicketRepository.report_times)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from core.calendar import BusinessCalendar
from core.models import Model, Priority
from core.ports import ReportTimes
from core.services.approval_clock import calendar_for
from core.services.context import Ctx

_ZERO = timedelta(0)


class Times(Model):
    """First response and time to solution over a report's window, in business time."""

    taken: int = 0
    """Tickets first taken in the window."""
    first_median: timedelta | None = None
    within: int = 0
    """Of those taken, how many within the policy's first response (R14; critical: its own)."""
    limit_minutes: int = 120
    critical_limit_minutes: int = 30
    not_taken: int = 0
    """Tickets opened in the window that nobody has taken yet."""
    solved: int = 0
    """Tickets closed in the window, rejected duplicates apart."""
    solution_median: timedelta | None = None
    solution_p90: timedelta | None = None
    day_length: timedelta = timedelta(hours=8, minutes=30)
    """One business day, how the text counts days."""


def measure(ctx: Ctx, since: datetime, until: datetime,
            company_id: int | None) -> Times:
    """The window's times, of one company if given, as the team's calendar counts them."""
    rows = ctx.uow.tickets.report_times(since, until, company_id)
    cal = calendar_for(ctx.policy.timezone)
    policy = ctx.policy
    found = Times(limit_minutes=policy.first_response_business_minutes,
                  critical_limit_minutes=policy.first_response_critical_business_minutes,
                  not_taken=rows.not_taken, day_length=cal.day_length)
    clock = _Clock(cal, rows)
    waits = [(clock.between(opened, taken), priority)
             for opened, taken, priority in rows.taken]
    if waits:
        found.taken = len(waits)
        found.first_median = _median(sorted(w for w, _ in waits))
        found.within = sum(1 for w, p in waits if w <= timedelta(minutes=(
            policy.first_response_critical_business_minutes if p == Priority.CRITICAL
            else policy.first_response_business_minutes)))
    spans = sorted(clock.between(opened, closed) for opened, closed in rows.solved)
    if spans:
        found.solved = len(spans)
        found.solution_median = _median(spans)
        found.solution_p90 = spans[math.ceil(0.9 * len(spans)) - 1]
    return found


def _median(spans: list[timedelta]) -> timedelta:
    """The middle of sorted spans (of an even number, the mean of the two middle ones)."""
    half = len(spans) // 2
    return spans[half] if len(spans) % 2 else (spans[half - 1] + spans[half]) / 2


class _Clock:
    """Business time between instants as the calendar counts it, each day's hours read once:
    a window's thousands of tickets, each open for days, are not walked day by day."""

    def __init__(self, cal: BusinessCalendar, rows: ReportTimes) -> None:
        self.cal = cal
        every = [at for row in rows.taken for at in row[:2]] + [at for r in rows.solved for at in r]
        self.origin = min((self._day(at) for at in every), default=date(2000, 1, 1))
        self.hours: dict[date, list[tuple[datetime, datetime]]] = {}
        self.before = [_ZERO]
        """Business time from the origin's start to the start of origin + i days."""

    def between(self, a: datetime, b: datetime) -> timedelta:
        """The business time from a to b, none when b is not after a."""
        return max(_ZERO, self._since_origin(b) - self._since_origin(a))

    def _day(self, at: datetime) -> date:
        return at.astimezone(self.cal.zone).date()

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        found = self.hours.get(day)
        if found is None:
            found = self.hours[day] = self.cal.intervals(day)
        return found

    def _since_origin(self, at: datetime) -> timedelta:
        day = self._day(at)
        i = (day - self.origin).days
        while len(self.before) <= i:
            last = self.origin + timedelta(days=len(self.before) - 1)
            self.before.append(self.before[-1] + sum(
                (end - start for start, end in self._intervals(last)), _ZERO))
        return self.before[i] + sum((max(_ZERO, min(end, at) - start)
                                     for start, end in self._intervals(day)), _ZERO)
