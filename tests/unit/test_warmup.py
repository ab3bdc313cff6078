"""Start-up work of a serving process (bots.warmup)."""

from __future__ import annotations

from datetime import UTC, datetime

from bots.warmup import load_calendar, parse_catalog
from core.catalog import default_catalog
from core.policy import Policy
from core.services.approval_clock import calendar_for


def test_the_holidays_are_loaded_at_a_start_on_a_weekend_too() -> None:
    """A start on a Saturday asked whether the day was a business day, which a weekend answers
    without the holidays: the first registration's transaction imported them instead."""
    saturday = datetime(2031, 3, 1, 12, tzinfo=UTC)
    policy = Policy()
    assert saturday.weekday() == 5
    load_calendar(policy, saturday)
    assert 2031 in calendar_for(policy.timezone)._holidays


def test_the_packaged_catalog_is_parsed_at_start() -> None:
    """The first intake after a start parsed the catalog's YAML inside its transaction."""
    default_catalog.cache_clear()
    parse_catalog()
    assert default_catalog.cache_info().currsize == 1
