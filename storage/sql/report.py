"""The coordinator's report in SQL: a window's tickets and system lines counted by GROUP BY,
each an index range over the window (storage.tables: the report's indexes)."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, Integer, case, cast, func, select, text

from core.models import Decision, Priority, Rating, Status
from core.ports import ClosedCount, OriginCount, RatedComment, ReportCounts, ReportTimes
from storage.tables import (
    REPORT_EVENTS_WHERE,
    SOLUTION_LATE,
    SOLUTION_ON_TIME,
    entries,
    ticket_stats,
    tickets,
)

SMALL_COMPANY = 20_000
"""A company with at most this many tickets is counted from its own tickets (its index): at
1 000 000 tickets a window of every company's holds ~27 000 of them, and a company of 500 was
counted in 32 ms from its own against 150 ms from the window's. A larger one: the window's
ranges, its company a filter (the planner, without statistics on SQLite, would walk all of a
large company's tickets)."""
_RATED = {f"rated rating={r.value}": r for r in Rating}
"""A rating's system line, as closing.rate writes it, and the rating it gives."""


def report(conn: Connection, since: datetime, until: datetime, company_id: int | None
           ) -> ReportCounts:
    """The report's counts over [since, until), of one company if given."""
    c = tickets.c
    company = _scoped(conn, company_id)

    # every status named: the window's range in ix_tickets_status_opened, once per status
    opened = select(c.origin, c.covered, c.billable, func.count()).where(
        *company(c.status.in_([s.value for s in Status]), *_within(c.opened_at, since, until))
    ).group_by(c.origin, c.covered, c.billable)
    origins = [OriginCount(origin=o, covered=cov, billable=bool(b), n=n)
               for o, cov, b, n in conn.execute(opened)]
    closed = select(c.assignee_id, c.status, c.decision, c.rating, func.count()).where(
        *company(*_within(c.closed_at, since, until))
    ).group_by(c.assignee_id, c.status, c.decision, c.rating)
    counts = ReportCounts(
        opened=sum(o.n for o in origins), origins=origins,
        closed=[ClosedCount(assignee_id=a, status=Status(s), decision=Decision(d) if d else None,
                            rating=Rating(r) if r else None, n=n)
                for a, s, d, r, n in conn.execute(closed)])
    e = entries.c
    what = case(
        (e.text == SOLUTION_ON_TIME, "on_time"), (e.text == SOLUTION_LATE, "late"),
        # a line of before 0030, which an older instance may still write: today's prazo
        (e.text == "approval_requested",
         case((e.created_at <= c.due_at, "on_time"), else_="late")),
        (e.text.like("nao_aprovado %"), "not_approved"),
        else_=e.text)
    events = select(what.label("what"), func.count()).select_from(
        entries.join(tickets, c.id == e.ticket_id)
    ).where(*company(text(REPORT_EVENTS_WHERE), *_within(e.created_at, since, until))
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


_WAITING = [Status.NEW.value, Status.ESTIMATE.value]


def report_times(conn: Connection, since: datetime, until: datetime,
                 company_id: int | None) -> ReportTimes:
    """The times of the tickets first taken and closed in [since, until), and how many opened
    in it nobody has taken (R14): each an index range over the window (ix_tickets_taken,
    ix_tickets_closed, ix_tickets_status_opened), whatever the tickets before or after it."""
    c = tickets.c
    company = _scoped(conn, company_id)
    us = functools.partial(_micros, conn.dialect.name)
    taken = select(us(c.opened_at), us(c.assigned_at), c.priority).where(
        *company(*_within(c.assigned_at, since, until)))
    # The window's closed and rejected, the rejected left here: SQLite, without statistics,
    # would read every closed ticket by its status (ix_tickets_status_awaiting), not the range.
    solved = select(us(c.opened_at), us(c.closed_at), c.status).where(
        *company(*_within(c.closed_at, since, until)))
    waiting = select(func.count()).select_from(tickets).where(
        *company(c.status.in_(_WAITING), *_within(c.opened_at, since, until),
                 c.assignee_id.is_(None), c.assigned_at.is_(None)))
    closed = Status.CLOSED.value
    # Built unvalidated: the rows are the columns' own types (ints, a priority's value), and
    # validating a month's ~52 000 tuples took a tenth of a second.
    return ReportTimes.model_construct(
        taken=[(o, a, _PRIORITY[p]) for o, a, p in conn.execute(taken).all()],
        solved=[(o, d) for o, d, s in conn.execute(solved).all() if s == closed],
        not_taken=int(conn.execute(waiting).scalar_one()))


_PRIORITY = {p.value: p for p in Priority}


def _micros(dialect: str, column: Any) -> Any:
    """An instant column as microseconds since the Unix epoch, counted by the database
    (core.calendar.micros): exact, as SQLite stores it ("YYYY-MM-DD HH:MM:SS.ffffff" in UTC;
    its own date functions keep milliseconds only) and from PostgreSQL's numeric epoch."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", column) * 1_000_000, BigInteger)
    seconds = cast(func.strftime("%s", func.substr(column, 1, 19)), Integer)
    return seconds * 1_000_000 + cast(func.substr(column, 21, 6), Integer)


def rated_comments(conn: Connection, since: datetime, until: datetime, company_id: int | None,
                   ratings: list[Rating], limit: int) -> list[RatedComment]:
    """The latest ratings of these marks given in [since, until) with a comment, newest first.
    A small company's are read from its commented tickets (ix_tickets_rated_comment), each
    rating's time by its ticket's lines; else the window's rating lines
    (ix_entries_report_events) are walked from its end, each ticket read by its key, until
    limit are found (a small company's few would have the walk read every other's)."""
    if company_id is not None and _small(conn, company_id):
        return _rated_comments_of(conn, since, until, company_id, ratings, limit)
    c, e = tickets.c, entries.c
    stmt = (select(c.id, c.period, c.seq, c.rating, c.rating_comment, e.created_at,
                   c.assignee_id)
            .select_from(entries.join(tickets, c.id == e.ticket_id))
            .where(text(REPORT_EVENTS_WHERE), *_within(e.created_at, since, until),
                   e.text.in_(_rated_lines(ratings)), c.rating_comment.is_not(None),
                   *([] if company_id is None else [c.company_id + 0 == company_id]))
            .order_by(e.created_at.desc(), e.id.desc()).limit(limit))
    return _comments(conn.execute(stmt))


def _rated_comments_of(conn: Connection, since: datetime, until: datetime, company_id: int,
                       ratings: list[Rating], limit: int) -> list[RatedComment]:
    """rated_comments of a small company: its commented tickets, each with its rating's time
    (a subquery per ticket, so no plan walks other companies' lines)."""
    c, e = tickets.c, entries.c
    rated_at = (select(e.created_at)
                .where(e.ticket_id == c.id, text(REPORT_EVENTS_WHERE),
                       e.text.in_(_rated_lines(ratings)))
                .order_by(e.created_at.desc(), e.id.desc()).limit(1)
                .scalar_subquery().label("rated_at"))
    mine = (select(c.id, c.period, c.seq, c.rating, c.rating_comment, rated_at, c.assignee_id)
            .where(c.company_id == company_id, c.rating_comment.is_not(None),
                   c.rating.in_([r.value for r in ratings]))
            .subquery())
    m = mine.c
    stmt = (select(m.id, m.period, m.seq, m.rating, m.rating_comment, m.rated_at, m.assignee_id)
            .where(*_within(m.rated_at, since, until))
            .order_by(m.rated_at.desc(), m.id.desc()).limit(limit))
    return _comments(conn.execute(stmt))


def _scoped(conn: Connection, company_id: int | None) -> Any:
    """A function adding the company's condition, if one, to a query's conditions."""
    c = tickets.c
    # company_id + 0: no index led by the company, for a large one: the window's range leads.
    scope = None if company_id is None else c.company_id == company_id \
        if _small(conn, company_id) else c.company_id + 0 == company_id

    def company(*where: Any) -> list[Any]:
        return list(where) if scope is None else [*where, scope]

    return company


def _within(column: Any, since: datetime, until: datetime) -> list[Any]:
    """column in [since, until): a month's next first moment is the next month's."""
    return [column >= since, column < until]


def _rated_lines(ratings: list[Rating]) -> list[str]:
    """The rating system lines of these marks, as closing.rate writes them."""
    return [f"rated rating={r.value}" for r in ratings]


def _comments(rows: Any) -> list[RatedComment]:
    """RatedComment of each (id, period, seq, rating, comment, rated at, assignee) row."""
    return [RatedComment(ticket_id=i, period=p, seq=q, rating=Rating(r), comment=m, rated_at=at,
                         assignee_id=a)
            for i, p, q, r, m, at, a in rows]


def _small(conn: Connection, company_id: int) -> bool:
    """Whether the company has at most SMALL_COMPANY tickets (ticket_stats' totals)."""
    s = ticket_stats.c
    stmt = select(func.coalesce(func.sum(s.n), 0)).where(s.company_id == company_id,
                                                         s.requester_id == 0)
    return int(conn.execute(stmt).scalar_one()) <= SMALL_COMPANY
