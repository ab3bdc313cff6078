"""A month's listing that found nothing ("tickets de março", none then): the way out, Todo o
período and the nearest months before and after it that have tickets (R8)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from core.conversation.turn import Turn
from core.i18n import local_time
from core.months import bounds, title
from core.ports import TicketQuery
from core.services import queries

_MONTH = re.compile(r"20\d\d-(0[1-9]|1[0-2])")

Build = Callable[[Turn, dict[str, Any]], TicketQuery]


def ways_out(turn: Turn, f: dict[str, Any], build: Build
             ) -> tuple[list[str], list[tuple[str, str]]]:
    """The line naming the nearest months with tickets under the listing's other filters, and
    their buttons with Todo o período's; nothing when no month has any."""
    near = nearest(turn, build(turn, {**f, "month": None, "days": None}), f["month"])
    if not near:
        return [], []
    names = [title(month, turn.lang) for month in near]
    return [near_line(turn, near)], [
        (turn.t("conv.list.all_time"), "month:all"),
        *((name, f"month:{month}") for name, month in zip(names, near, strict=True))]


def nearest(turn: Turn, query: TicketQuery, month: str) -> list[str]:
    """The latest month before `month` and the earliest after it (up to this one) in which
    the query finds tickets opened, those there are."""
    query = query.model_copy(update={"queue_order": False})  # newest first: before's is first
    return [m for m in (_before(turn, query, month), _after(turn, query, month)) if m]


def near_line(turn: Turn, near: list[str]) -> str:
    """"Há tickets em …" for one or two of nearest's months."""
    names = [title(month, turn.lang) for month in near]
    return turn.t("conv.list.near_month", month=names[0]) if len(names) == 1 else \
        turn.t("conv.list.near_months", before=names[0], after=names[1])


def on_choice(turn: Turn, f: dict[str, Any], value: str) -> None:
    """List the month chosen, or every period (a forged month: the listing as it was)."""
    month = value.removeprefix("month:")
    if month == "all":
        f.update(month=None, days=None, page=0)
    elif _MONTH.fullmatch(month):
        f.update(month=month, days=None, page=0)
    turn.go("list.view")


def _month_of(turn: Turn, query: TicketQuery) -> str | None:
    """The month, in the team's time zone, of the newest ticket the query finds."""
    page = queries.list_tickets(turn.ctx, turn.user.id or 0, query, 0, 1)
    if not page.tickets:
        return None
    opened = local_time(page.tickets[0].opened_at, turn.ctx.policy.timezone)
    return f"{opened:%Y-%m}" if opened else None


def _before(turn: Turn, query: TicketQuery, month: str) -> str | None:
    """The latest month before this one with tickets."""
    start, _end = bounds(month, turn.ctx.policy.timezone)
    return _month_of(turn, query.model_copy(update={"opened_before": start}))


def _after(turn: Turn, query: TicketQuery, month: str) -> str | None:
    """The earliest month after this one with tickets, up to this month: found by halves, a
    count a step (a dozen at most over a century)."""
    tz = turn.ctx.policy.timezone
    after = query.model_copy(update={"opened_since": bounds(month, tz)[1]})
    today = local_time(turn.ctx.now, tz) or turn.ctx.now
    lo, hi = 1, today.year * 12 + today.month - _index(month)
    if hi < lo or not turn.ctx.uow.tickets.count(after, 0):
        return None
    while lo < hi:  # the month lo + … has tickets by its end: hi's does, lo - 1's does not
        mid = (lo + hi) // 2
        end = bounds(_month(_index(month) + mid), tz)[1]
        if turn.ctx.uow.tickets.count(after.model_copy(update={"opened_before": end}), 0):
            hi = mid
        else:
            lo = mid + 1
    return _month(_index(month) + lo)


def _index(month: str) -> int:
    """The month as a count of months ("2026-11": 2026 * 12 + 11)."""
    year, number = (int(part) for part in month.split("-"))
    return year * 12 + number


def _month(index: int) -> str:
    """The month of a count of months (_index's inverse)."""
    year, number = divmod(index - 1, 12)
    return f"{year}-{number + 1:02d}"
