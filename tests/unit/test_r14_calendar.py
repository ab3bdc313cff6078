"""R14: business hours Monday–Friday 08:00–12:00 and 13:30–18:00 in São Paulo, holidays closed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.calendar import BusinessCalendar

SP = ZoneInfo("America/Sao_Paulo")
CAL = BusinessCalendar()


def sp(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SP)


def test_r14_friday_evening_plus_30_minutes_lands_monday_morning() -> None:
    friday = sp(2026, 3, 6, 17, 50)
    assert friday.weekday() == 4
    assert CAL.add_business_time(friday, timedelta(minutes=30)) == sp(2026, 3, 9, 8, 20)


def test_r14_lunch_break_is_closed() -> None:
    assert CAL.is_open(sp(2026, 3, 5, 11, 59))
    assert not CAL.is_open(sp(2026, 3, 5, 12, 0))
    assert not CAL.is_open(sp(2026, 3, 5, 12, 30))
    assert CAL.next_opening(sp(2026, 3, 5, 12, 30)) == sp(2026, 3, 5, 13, 30)
    assert CAL.add_business_time(sp(2026, 3, 5, 11, 50), timedelta(minutes=20)) == sp(
        2026, 3, 5, 13, 40
    )


def test_r14_opening_edges() -> None:
    assert not CAL.is_open(sp(2026, 3, 5, 7, 59))
    assert CAL.is_open(sp(2026, 3, 5, 8, 0))
    assert CAL.is_open(sp(2026, 3, 5, 17, 59))
    assert not CAL.is_open(sp(2026, 3, 5, 18, 0))
    assert not CAL.is_open(sp(2026, 3, 7, 10, 0))  # Saturday
    assert not CAL.is_open(sp(2026, 3, 8, 10, 0))  # Sunday


def test_r14_next_opening_is_now_when_open() -> None:
    now = sp(2026, 3, 5, 9, 17)
    assert CAL.next_opening(now) == now
    assert CAL.next_opening(sp(2026, 3, 6, 18, 0)) == sp(2026, 3, 9, 8, 0)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 21), "Tiradentes"),
        (date(2026, 9, 7), "Independência do Brasil"),
        (date(2026, 12, 25), "Natal"),
    ],
)
def test_r14_national_holidays_are_named_in_portuguese(day: date, name: str) -> None:
    assert CAL.holiday_name(day) == name
    assert not CAL.is_business_day(day)


def test_r14_ordinary_day_has_no_holiday_name() -> None:
    assert CAL.holiday_name(date(2026, 3, 5)) is None
    # São Paulo's state holiday (9 July) is not a national one.
    assert CAL.holiday_name(date(2026, 7, 9)) is None


def test_r14_national_holiday_is_skipped() -> None:
    # Monday 20/04/2026, then Tiradentes on Tuesday 21/04.
    monday = sp(2026, 4, 20, 17, 50)
    assert not CAL.is_open(sp(2026, 4, 21, 10, 0))
    assert CAL.next_opening(sp(2026, 4, 20, 18, 0)) == sp(2026, 4, 22, 8, 0)
    assert CAL.add_business_time(monday, timedelta(minutes=30)) == sp(2026, 4, 22, 8, 20)
    christmas_eve = sp(2026, 12, 24, 17, 0)
    assert CAL.add_business_time(christmas_eve, timedelta(hours=2)) == sp(2026, 12, 28, 9, 0)


@pytest.mark.parametrize("month", range(1, 13))
def test_r14_sao_paulo_is_utc_minus_3_all_year(month: int) -> None:
    opening = CAL.next_opening(datetime(2026, month, 15, 0, 0, tzinfo=UTC))
    local = opening.astimezone(SP)
    assert local.hour == 8
    assert local.minute == 0
    assert opening.hour == 11
    assert local.utcoffset() == timedelta(hours=-3)


def test_r14_business_time_between_over_a_weekend() -> None:
    friday = sp(2026, 3, 6, 17, 0)
    monday = sp(2026, 3, 9, 9, 0)
    assert CAL.business_time_between(friday, monday) == timedelta(hours=2)
    assert CAL.business_time_between(monday, friday) == -timedelta(hours=2)
    assert CAL.business_time_between(friday, friday) == timedelta(0)


def test_r14_full_week_is_42_and_a_half_hours() -> None:
    assert CAL.business_time_between(sp(2026, 3, 2), sp(2026, 3, 9)) == timedelta(hours=42.5)


def test_r14_business_time_between_skips_a_national_holiday() -> None:
    # Monday 20/04/2026 17:00, Tiradentes on Tuesday, Wednesday 22/04 09:00.
    assert CAL.business_time_between(sp(2026, 4, 20, 17), sp(2026, 4, 22, 9)) == \
        timedelta(hours=2)


def test_r14_a_business_day_is_8_and_a_half_hours() -> None:
    """What 'dias úteis' of waiting are counted in: the opening periods of one day."""
    assert CAL.day_length == timedelta(hours=8, minutes=30)
    assert BusinessCalendar(periods=(((9, 0), (17, 0)),)).day_length == timedelta(hours=8)


def test_r14_input_in_utc_returns_utc() -> None:
    # 20:50 UTC on Friday is 17:50 in São Paulo.
    friday = datetime(2026, 3, 6, 20, 50, tzinfo=UTC)
    due = CAL.add_business_time(friday, timedelta(minutes=30))
    assert due == datetime(2026, 3, 9, 11, 20, tzinfo=UTC)
    assert due.tzinfo is UTC
    assert CAL.is_open(datetime(2026, 3, 6, 20, 50, tzinfo=UTC))
    assert not CAL.is_open(datetime(2026, 3, 6, 21, 0, tzinfo=UTC))
    other = timezone(timedelta(hours=2))
    assert CAL.next_opening(datetime(2026, 3, 7, tzinfo=other)).tzinfo is other


def test_r14_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 3, 5, 10, 0)
    with pytest.raises(ValueError, match="aware"):
        CAL.is_open(naive)
    with pytest.raises(ValueError, match="aware"):
        CAL.next_opening(naive)
    with pytest.raises(ValueError, match="aware"):
        CAL.add_business_time(naive, timedelta(minutes=1))
    with pytest.raises(ValueError, match="aware"):
        CAL.business_time_between(naive, sp(2026, 3, 5))


def test_r14_negative_delta_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_time(sp(2026, 3, 5, 10), timedelta(minutes=-1))


def test_r14_custom_periods_are_validated() -> None:
    with pytest.raises(ValueError, match="overlap"):
        BusinessCalendar(periods=(((8, 0), (12, 0)), ((11, 0), (18, 0))))
    with pytest.raises(ValueError, match="required"):
        BusinessCalendar(periods=())
    nine_to_five = BusinessCalendar(periods=(((9, 0), (17, 0)),))
    assert nine_to_five.is_open(sp(2026, 3, 5, 12, 30))


instants = st.datetimes(
    min_value=datetime(2019, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@settings(deadline=None, max_examples=200)
@given(start=instants, minutes=st.integers(min_value=0, max_value=60 * 200))
def test_r14_property_add_then_measure_gives_back_the_delta(start: datetime, minutes: int) -> None:
    delta = timedelta(minutes=minutes)
    due = CAL.add_business_time(start, delta)
    assert due >= start
    assert CAL.business_time_between(start, due) == delta
    if minutes:
        assert CAL.is_open(due - timedelta(microseconds=1))
