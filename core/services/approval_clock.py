"""When a ticket awaiting approval closes by itself (R21), held for business hours (R14)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from core.calendar import BusinessCalendar
from core.models import Ticket
from core.services.context import Ctx


@lru_cache(maxsize=4)
def calendar_for(tz: str) -> BusinessCalendar:
    """One business calendar per timezone, built once (R14)."""
    return BusinessCalendar(tz=tz)


def closes_at(ctx: Ctx, ticket: Ticket) -> datetime | None:
    """When auto_close closes a ticket awaiting approval if its customer stays silent: the
    first business minute on or after the 15 days (R21, R14)."""
    since = ticket.awaiting_since
    if since is None:
        return None
    due = since + timedelta(days=ctx.policy.autoclose_days)
    return calendar_for(ctx.policy.timezone).next_opening(due)


def days_between(ctx: Ctx, start: datetime, end: datetime) -> int:
    """The days from one moment to another as the customer counts them: by the dates on the
    desk's calendar. Every count of R21 uses it, so the request's 'em 17 dias', the reminders'
    days waited and left and the close's 'ficou 17 dias' agree; rounding the time left up and
    the time waited down made a Friday 17:00 answer's 16 days 15 hours both 17 and 16."""
    zone = ZoneInfo(ctx.policy.timezone)
    return (end.astimezone(zone).date() - start.astimezone(zone).date()).days


def days_waited(ctx: Ctx, ticket: Ticket) -> int:
    """The days a ticket has awaited approval, as of now (R21)."""
    return max(0, days_between(ctx, ticket.awaiting_since or ctx.now, ctx.now))


def reminder_days(ctx: Ctx, ticket: Ticket) -> tuple[int, int]:
    """The days a ticket has awaited approval and those left until auto_close closes it
    (R21): what the approval request and a reminder say."""
    closes = closes_at(ctx, ticket) or ctx.now
    return days_waited(ctx, ticket), max(0, days_between(ctx, ctx.now, closes))
