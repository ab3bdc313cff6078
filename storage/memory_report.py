"""The coordinator's report over the in-memory store's rows, as storage.sql.report counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from core.calendar import micros
from core.models import Entry, EntryKind, Rating, Status, Ticket
from core.ports import ClosedCount, OriginCount, RatedComment, ReportCounts, ReportTimes


def report(tickets: dict[int, Ticket], entries: Iterable[Entry], since: datetime,
           until: datetime, company_id: int | None) -> ReportCounts:
    """The report's counts over [since, until), of one company if given."""
    def within(at: datetime | None) -> bool:
        return _within(at, since, until)

    mine = [t for t in tickets.values() if company_id is None or t.company_id == company_id]
    origins = Counter((t.origin, t.covered, t.billable) for t in mine if within(t.opened_at))
    closed = Counter((t.assignee_id, t.status, t.decision, t.rating)
                     for t in mine if within(t.closed_at))
    counts = ReportCounts(
        opened=sum(origins.values()),
        origins=[OriginCount(origin=o, covered=c, billable=b, n=n)
                 for (o, c, b), n in origins.items()],
        closed=[ClosedCount(assignee_id=a, status=s, decision=d, rating=r, n=n)
                for (a, s, d, r), n in closed.items()])
    ids = {t.id for t in mine}
    for e in entries:
        if e.kind != EntryKind.SYSTEM or e.ticket_id not in ids or not within(e.created_at):
            continue
        if e.text == "approval_requested prazo=on_time":  # as it was when sent (R13)
            counts.solutions_on_time += 1
        elif e.text == "approval_requested prazo=late":
            counts.solutions_late += 1
        elif e.text == "approval_requested":  # written before the judgement was kept
            due = tickets[e.ticket_id].due_at
            if due is not None and e.created_at <= due:
                counts.solutions_on_time += 1
            else:
                counts.solutions_late += 1
        elif e.text.startswith("nao_aprovado "):
            counts.not_approved += 1
        elif e.text.startswith("rated rating="):
            rating = Rating(e.text.removeprefix("rated rating="))
            counts.ratings[rating] = counts.ratings.get(rating, 0) + 1
    return counts


def report_times(tickets: dict[int, Ticket], since: datetime, until: datetime,
                 company_id: int | None) -> ReportTimes:
    """The times of the tickets taken and closed in [since, until), and how many opened in it
    nobody has taken, as storage.sql.report reads them."""
    mine = [t for t in tickets.values() if company_id is None or t.company_id == company_id]
    return ReportTimes(
        taken=[(micros(t.opened_at), micros(t.assigned_at), t.priority) for t in mine
               if t.assigned_at is not None and _within(t.assigned_at, since, until)],
        solved=[(micros(t.opened_at), micros(t.closed_at)) for t in mine
                if t.closed_at is not None and t.status == Status.CLOSED
                and _within(t.closed_at, since, until)],
        not_taken=sum(1 for t in mine if t.status in (Status.NEW, Status.ESTIMATE)
                      and t.assignee_id is None and t.assigned_at is None
                      and _within(t.opened_at, since, until)))


def rated_comments(tickets: dict[int, Ticket], entries: Iterable[Entry], since: datetime,
                   until: datetime, company_id: int | None, ratings: list[Rating], limit: int
                   ) -> list[RatedComment]:
    """The latest ratings of these marks given in [since, until) with a comment, newest
    first, as storage.sql.report reads them."""
    lines = {f"rated rating={r.value}" for r in ratings}
    found = []
    for e in entries:
        ticket = tickets.get(e.ticket_id)
        if e.kind != EntryKind.SYSTEM or e.text not in lines or ticket is None \
                or not _within(e.created_at, since, until) or ticket.rating_comment is None \
                or ticket.rating is None \
                or (company_id is not None and ticket.company_id != company_id):
            continue
        found.append((e.created_at, e.id or 0, RatedComment(
            ticket_id=ticket.id or 0, period=ticket.period, seq=ticket.seq,
            rating=ticket.rating, comment=ticket.rating_comment, rated_at=e.created_at,
            assignee_id=ticket.assignee_id)))
    found.sort(key=lambda f: (f[0], f[1]), reverse=True)
    return [c for _, _, c in found[:limit]]


def _within(at: datetime | None, since: datetime, until: datetime) -> bool:
    """at in [since, until)."""
    return at is not None and since <= at < until
