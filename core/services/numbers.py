"""Tickets named by their number: whole (YYYYMM/NNNN) or by its end alone (R1, R8, R18)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from core.errors import NotFound
from core.models import Ticket
from core.services.access import number_example
from core.services.context import Ctx
from core.textmatch import ascii_digits

SHORT_NUMBER = re.compile(r"#?\s*(\d{1,5})")
PADDED_END = re.compile(r"(?<![\d/.,-])0\d{3}(?!\d|[/.,-]\d)")
"""The end of a ticket's number written as the number writes it, alone ("o 0004"): four
digits, a zero first — not an amount, a store or a fiscal note's number."""
"""The end of a ticket's number typed alone: "1", "0001", "#1", "# 1"."""
SHORT_NUMBER_MONTHS = 12
"""How far back the end of a number looks: the tickets of this many months, this one included."""


def typed_end(typed: str) -> int | None:
    """The end of a ticket's number typed alone ("4", "0004", "#4", "# 4", "４"), as the
    chat's "ticket 4", Slack's `/ticket 4` and a duplicate's original read it; else None."""
    short = SHORT_NUMBER.fullmatch(ascii_digits(typed or "").strip())
    return int(short.group(1)) if short else None


def short_number_not_found(ctx: Ctx, seq: int, staff: bool = False) -> NotFound:
    """No recent ticket ends in /seq: the error, its example not the number typed; the team
    sees every ticket, so for them none has that end."""
    key = "error.short_number_none" if staff else "error.short_number_not_found"
    return NotFound(key, seq=f"{seq:04d}",
                    example=number_example(ctx, str(seq)), months=SHORT_NUMBER_MONTHS)


def recent_by_sequence(ctx: Ctx, seq: int) -> list[Ticket]:
    """The tickets numbered …/seq in the last SHORT_NUMBER_MONTHS months, newest first."""
    local = ctx.now.astimezone(ZoneInfo(ctx.policy.timezone))
    year, month = local.year, local.month
    found = []
    for _ in range(SHORT_NUMBER_MONTHS):
        ticket = ctx.uow.tickets.by_number(f"{year:04d}{month:02d}", seq)
        if ticket is not None:
            found.append(ticket)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def find_by_number(ctx: Ctx, number: str) -> Ticket | None:
    """Look a ticket up by YYYYMM/NNNN (also accepts YYYYMMNNNN), with words around it but no
    other digits: '202611/0001, item 3' names no ticket rather than 202611/0013."""
    runs = re.findall(r"\d+", ascii_digits(number or ""), re.ASCII)  # "２０２６１１／０００１" too
    if len(runs) == 1 and 7 <= len(runs[0]) <= 12:
        period, seq = runs[0][:6], runs[0][6:]
    elif len(runs) == 2 and len(runs[0]) == 6 and 1 <= len(runs[1]) <= 6:
        period, seq = runs
    else:
        return None
    return ctx.uow.tickets.by_number(period, int(seq))
