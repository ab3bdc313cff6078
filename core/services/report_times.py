"""The report's times in business hours (R14): how long tickets waited to be first taken and
how long they took to be solved, from the rows storage reads (TicketRepository.report_times)."""

from __future__ import annotations

import bisect
import math
from datetime import UTC, date, datetime, time, timedelta

from core.calendar import BusinessCalendar, micros
from core.models import Model, Priority
from core.ports import ReportTimes
from core.services.approval_clock import calendar_for
from core.services.context import Ctx

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MINUTE = 60_000_000
"""A minute in microseconds."""


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
        limit = policy.first_response_business_minutes * _MINUTE
        critical = policy.first_response_critical_business_minutes * _MINUTE
        found.within = sum(1 for w, p in waits
                           if w <= (critical if p == Priority.CRITICAL else limit))
    spans = sorted(clock.between(opened, closed) for opened, closed in rows.solved)
    if spans:
        found.solved = len(spans)
        found.solution_median = _median(spans)
        found.solution_p90 = _span(spans[math.ceil(0.9 * len(spans)) - 1])
    return found


def _span(us: int) -> timedelta:
    """Microseconds as a timedelta."""
    return timedelta(microseconds=us)


def _median(spans: list[int]) -> timedelta:
    """The middle of sorted spans (of an even number, the mean of the two middle ones)."""
    half = len(spans) // 2
    return _span(spans[half]) if len(spans) % 2 else \
        (_span(spans[half - 1]) + _span(spans[half])) / 2


class _Clock:
    """Business time between instants (microseconds since the epoch) as the calendar counts
    it, each local day's start and hours read once: a window's thousands of tickets, each open
    for days, are neither walked day by day nor turned into datetimes."""

    def __init__(self, cal: BusinessCalendar, rows: ReportTimes) -> None:
        every = [at for row in rows.taken for at in row[:2]] + [at for r in rows.solved for at in r]
        self.starts: list[int] = []
        """Each local day's first microsecond, from the earliest instant's day to the latest's."""
        self.hours: list[list[tuple[int, int]]] = []
        self.before: list[int] = []
        """Business time from the first day's start to each day's start."""
        if not every:
            return
        day, last = (_day(cal, min(every)), _day(cal, max(every)))
        total = 0
        while day <= last:
            self.starts.append(micros(datetime.combine(day, time(), cal.zone)))
            self.hours.append([(micros(a), micros(b)) for a, b in cal.intervals(day)])
            self.before.append(total)
            total += sum(b - a for a, b in self.hours[-1])
            day += timedelta(days=1)

    def between(self, a: int, b: int) -> int:
        """The business time from a to b, none when b is not after a."""
        return max(0, self._since_start(b) - self._since_start(a))

    def _since_start(self, at: int) -> int:
        i = bisect.bisect_right(self.starts, at) - 1
        spent = self.before[i]
        for start, end in self.hours[i]:
            if at <= start:
                break
            spent += (end if at > end else at) - start
        return spent


def _day(cal: BusinessCalendar, at: int) -> date:
    """The local day of an instant in microseconds."""
    return (_EPOCH + _span(at)).astimezone(cal.zone).date()
