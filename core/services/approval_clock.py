"""When a ticket awaiting approval closes by itself (R21), held for business hours (R14)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from core.calendar import BusinessCalendar
from core.models import Ticket
from core.services.context import Ctx

DAY = timedelta(days=1)


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


def reminder_days(ctx: Ctx, ticket: Ticket) -> tuple[int, int]:
    """The whole days a ticket has awaited approval, and those left (rounded up) until
    auto_close closes it (R21): what the approval request and a reminder say."""
    since = ticket.awaiting_since or ctx.now
    left = (closes_at(ctx, ticket) or ctx.now) - ctx.now
    return (ctx.now - since) // DAY, max(0, -(-left // DAY))
