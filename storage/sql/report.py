"""The coordinator's report in SQL: a window's tickets and system lines counted by GROUP BY,
each an index range over the window (storage.tables: the report's indexes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select, text

from core.models import Decision, Rating, Status
from core.ports import ClosedCount, OriginCount, ReportCounts
from storage.tables import REPORT_EVENTS_WHERE, entries, tickets

_RATED = {f"rated rating={r.value}": r for r in Rating}
"""A rating's system line, as closing.rate writes it, and the rating it gives."""


def report(conn: Connection, since: datetime, until: datetime, company_id: int | None
           ) -> ReportCounts:
    """The report's counts over [since, until], of one company if given."""
    c = tickets.c

    def company(*where: Any) -> list[Any]:
        # company_id + 0: never an index led by the company (SQLite's planner took one, and
        # read every ticket of a large client): the window's range leads, the company filters.
        return [*where, c.company_id + 0 == company_id] if company_id is not None \
            else list(where)

    # every status named: the window's range in ix_tickets_status_opened, once per status
    opened = select(c.origin, c.covered, c.billable, func.count()).where(
        *company(c.status.in_([s.value for s in Status]), c.opened_at >= since,
                 c.opened_at <= until)
    ).group_by(c.origin, c.covered, c.billable)
    origins = [OriginCount(origin=o, covered=cov, billable=bool(b), n=n)
               for o, cov, b, n in conn.execute(opened)]
    closed = select(c.assignee_id, c.status, c.decision, c.rating, func.count()).where(
        *company(c.closed_at >= since, c.closed_at <= until)
    ).group_by(c.assignee_id, c.status, c.decision, c.rating)
    counts = ReportCounts(
        opened=sum(o.n for o in origins), origins=origins,
        closed=[ClosedCount(assignee_id=a, status=Status(s), decision=Decision(d) if d else None,
                            rating=Rating(r) if r else None, n=n)
                for a, s, d, r, n in conn.execute(closed)])
    e = entries.c
    what = case(
        (e.text == "approval_requested",
         case((e.created_at <= c.due_at, "on_time"), else_="late")),
        (e.text.like("nao_aprovado %"), "not_approved"),
        else_=e.text)
    events = select(what.label("what"), func.count()).select_from(
        entries.join(tickets, c.id == e.ticket_id)
    ).where(*company(text(REPORT_EVENTS_WHERE), e.created_at >= since, e.created_at <= until)
            ).group_by(what)
    for event, n in conn.execute(events):
        if event == "on_time":
            counts.solutions_on_time += n
        elif event == "late":
            counts.solutions_late += n
        elif event == "not_approved":
            counts.not_approved += n
        elif event in _RATED:
            counts.ratings[_RATED[event]] = counts.ratings.get(_RATED[event], 0) + n
    return counts
