"""Business hours (R14): Monday to Friday 08:00–12:00 and 13:30–18:00, national holidays closed.

Every method takes timezone-aware datetimes (naive ones raise ValueError) and returns aware
datetimes in the tzinfo of the datetime it was given, so a UTC caller gets UTC back and a
São Paulo caller gets São Paulo back. All arithmetic is done on absolute (UTC) instants.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # imported by the first year asked: a command that counts no hours needs none
    import holidays

Period = tuple[tuple[int, int], tuple[int, int]]

DEFAULT_PERIODS: tuple[Period, ...] = (((8, 0), (12, 0)), ((13, 30), (18, 0)))
_MAX_DAYS_WITHOUT_OPENING = 366
_ZERO = timedelta(0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def micros(at: datetime) -> int:
    """An aware instant as whole microseconds since the Unix epoch (exact, unlike a float)."""
    return (at - _EPOCH) // _MICRO


def _require_aware(dt: datetime) -> None:
    """Refuse naive datetimes: business hours need to know where the instant is."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")


class BusinessCalendar:
    """Opening hours of the support team in its own timezone, with national holidays."""

    def __init__(
        self,
        tz: str = "America/Sao_Paulo",
        country: str = "BR",
        periods: Sequence[Period] = DEFAULT_PERIODS,
        language: str = "pt_BR",
    ) -> None:
        self.zone = ZoneInfo(tz)
        self.country = country
        self.language = language
        self.periods: tuple[tuple[time, time], ...] = tuple(
            (time(*start), time(*end)) for start, end in periods
        )
        if not self.periods:
            raise ValueError("at least one opening period is required")
        previous_end = time.min
        for start, end in self.periods:
            if not previous_end <= start < end:
                raise ValueError("periods must be increasing and must not overlap")
            previous_end = end
        self._holidays: dict[int, holidays.HolidayBase] = {}

    @property
    def day_length(self) -> timedelta:
        """The business time of one full working day (8 h 30 min with the default periods)."""
        day = date(2000, 1, 3)
        return sum((datetime.combine(day, end) - datetime.combine(day, start)
                    for start, end in self.periods), _ZERO)

    def _year(self, year: int) -> holidays.HolidayBase:
        """Return the national holidays of one year, built once."""
        found = self._holidays.get(year)
        if found is None:
            import holidays

            found = holidays.country_holidays(self.country, language=self.language, years=year)
            self._holidays[year] = found
        return found

    def _local_date(self, day: date) -> date:
        """Read a datetime as the date it is in the calendar's timezone."""
        if isinstance(day, datetime):
            _require_aware(day)
            return day.astimezone(self.zone).date()
        return day

    def holiday_name(self, day: date) -> str | None:
        """Return the pt-BR name of the national holiday on this day, if any."""
        local = self._local_date(day)
        return self._year(local.year).get(local)

    def is_business_day(self, day: date) -> bool:
        """Say whether the team works on this (local) day at all."""
        local = self._local_date(day)
        return local.weekday() < 5 and self.holiday_name(local) is None

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """Return the day's opening intervals as UTC instants (empty when closed all day)."""
        local = self._local_date(day)
        if not self.is_business_day(local):
            return []
        return [
            (
                datetime.combine(local, start, self.zone).astimezone(UTC),
                datetime.combine(local, end, self.zone).astimezone(UTC),
            )
            for start, end in self.periods
        ]

    def _intervals_from(self, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Yield the opening intervals that end after this UTC instant, in order, forever."""
        day = instant.astimezone(self.zone).date()
        empty_days = 0
        while True:
            found = False
            for start, end in self.intervals(day):
                if end > instant:
                    found = True
                    yield start, end
            empty_days = 0 if found else empty_days + 1
            if empty_days > _MAX_DAYS_WITHOUT_OPENING:
                raise ValueError("calendar has no opening hours within a year")
            day += timedelta(days=1)

    def is_open(self, dt: datetime) -> bool:
        """Say whether the team is working at this instant (closing minute excluded)."""
        _require_aware(dt)
        instant = dt.astimezone(UTC)
        return any(start <= instant < end for start, end in self.intervals(dt))

    def next_opening(self, dt: datetime) -> datetime:
        """Return dt when open, else the instant the team is next back."""
        _require_aware(dt)
        instant = dt.astimezone(UTC)
        start, _ = next(self._intervals_from(instant))
        return max(start, instant).astimezone(dt.tzinfo)

    def add_business_time(self, dt: datetime, delta: timedelta) -> datetime:
        """Return the instant when `delta` of business time has elapsed after dt."""
        _require_aware(dt)
        if delta < _ZERO:
            raise ValueError("delta must not be negative")
        if delta == _ZERO:
            return dt
        instant = dt.astimezone(UTC)
        remaining = delta
        for start, end in self._intervals_from(instant):
            begin = max(start, instant)
            available = end - begin
            if remaining <= available:
                return (begin + remaining).astimezone(dt.tzinfo)
            remaining -= available
        raise AssertionError("unreachable: _intervals_from never ends")

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Return the business time from a to b (negative when b is before a)."""
        _require_aware(a)
        _require_aware(b)
        first, last = a.astimezone(UTC), b.astimezone(UTC)
        if last < first:
            return -self.business_time_between(b, a)
        total = _ZERO
        day = first.astimezone(self.zone).date()
        last_day = last.astimezone(self.zone).date()
        while day <= last_day:
            for start, end in self.intervals(day):
                overlap = min(end, last) - max(start, first)
                if overlap > _ZERO:
                    total += overlap
            day += timedelta(days=1)
        return total
