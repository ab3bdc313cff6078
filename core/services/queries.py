"""What users read: tab listings, searches, summary counts, a ticket's detail (the support
team's own lists are in worklists)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from pydantic import BaseModel, Field

from core.errors import NotAllowed, NotFound
from core.models import OPEN_STATUSES, Entry, EntryKind, Status, Tab, Ticket, User
from core.ports import TicketQuery
from core.services.access import can_see, load_user, number_example, ticket_for
from core.services.context import Ctx
from core.services.handling import find_by_number, recent_by_sequence

MAX_PAGE = 50
SEARCH_TOTAL_MAX = 1000
"""A search counts its tickets up to here (or to the end of the page shown, if further) and
then says "more than": counting every match of a common word would cost what the table holds."""


class Page(BaseModel):
    """One page of a listing and the total it was cut from."""

    tickets: list[Ticket]
    total: int
    page: int
    page_size: int
    more: bool = False
    """The listing holds more than total tickets (a search that stopped counting)."""

    @property
    def pages(self) -> int:
        """How many pages the listing has; while more, one past those counted."""
        return max(1, -(-self.total // self.page_size)) + int(self.more)


class TicketView(BaseModel):
    """A ticket with the names and the trâmites the viewer may see."""

    ticket: Ticket
    company: str
    requester: str
    assignee: str | None
    entries: list[Entry]
    authors: dict[int, str]
    staff: set[int] = Field(default_factory=set)
    """The authors who are staff: their trâmites may carry Markdown or Slack marks (R7)."""
    duplicate_of: str | None = None


def scoped_query(actor: User, *, tab: Tab = Tab.ALL, whole_company: bool = False,
                 company_id: int | None = None, since: datetime | None = None,
                 text: str | None = None) -> TicketQuery:
    """Build a listing the actor is allowed to see: own tickets or the whole company's (R8)."""
    if company_id is not None and not actor.is_staff and company_id not in actor.company_ids:
        raise NotAllowed("error.not_your_company")
    query = TicketQuery(tab=tab, opened_since=since, text=(text or "").strip()[:200] or None)
    if actor.is_staff:
        query.company_id = company_id
    elif whole_company:
        if company_id is None and len(actor.company_ids) != 1:
            raise NotAllowed("error.choose_company")
        query.company_id = company_id if company_id is not None else actor.company_ids[0]
    else:
        query.requester_id = actor.id
        query.company_id = company_id
    return query


def list_tickets(ctx: Ctx, actor_id: int, query: TicketQuery, page: int = 0,
                 page_size: int = 10) -> Page:
    """One page of a listing (R6, R8); the query must come from scoped_query."""
    actor = load_user(ctx, actor_id)
    if not actor.is_staff and query.requester_id != actor.id and (
        query.company_id not in actor.company_ids
    ):
        raise NotAllowed("error.not_your_company")
    size, page = max(1, min(page_size, MAX_PAGE)), max(0, page)
    paged = query.model_copy(update={"limit": size, "offset": page * size})
    found = ctx.uow.tickets.list(paged)
    at_most = max(SEARCH_TOTAL_MAX, (page + 1) * size) if query.text else None
    total = ctx.uow.tickets.count(query, at_most)
    more = at_most is not None and total > at_most
    return Page(tickets=found, total=at_most if more else total, page=page, page_size=size,
                more=more)


class Found(NamedTuple):
    """How many tickets of one company a search found (at most SEARCH_TOTAL_MAX; more: past
    it)."""

    company_id: int
    total: int
    more: bool


def in_companies(ctx: Ctx, actor_id: int, query: TicketQuery) -> list[Found]:
    """The query's tab, window and search among the whole tickets of each of the customer's
    companies (R8: theirs only), counted in one statement however many they are: each company
    that has some, in the person's order."""
    actor = load_user(ctx, actor_id)
    if actor.is_staff or not actor.company_ids:
        return []
    every = query.model_copy(update={"company_id": None, "requester_id": None})
    counts = ctx.uow.tickets.count_by_company(every, actor.company_ids, SEARCH_TOTAL_MAX)
    return [Found(c, min(n, SEARCH_TOTAL_MAX), n > SEARCH_TOTAL_MAX)
            for c in actor.company_ids if (n := counts.get(c, 0))]


def search(ctx: Ctx, actor_id: int, text: str, page_size: int = 10) -> Page:
    """A search of every ticket a person may see (R8): staff, all; a customer, the tickets of
    each of their companies, newest first (their own only when they belong to none)."""
    actor = load_user(ctx, actor_id)
    query = scoped_query(actor, text=text)
    if actor.is_staff or not actor.company_ids:
        return list_tickets(ctx, actor_id, query, 0, page_size)
    found, size = in_companies(ctx, actor_id, query), max(1, min(page_size, MAX_PAGE))
    pages = [ctx.uow.tickets.list(query.model_copy(update={
        "company_id": f.company_id, "requester_id": None, "limit": size, "offset": 0}))
        for f in found]  # only the companies where it found some
    tickets = sorted((k for page in pages for k in page),
                     key=lambda k: (k.opened_at, k.id or 0), reverse=True)[:size]
    return Page(tickets=tickets, total=sum(f.total for f in found), page=0, page_size=size,
                more=any(f.more for f in found))


def summary(ctx: Ctx, actor_id: int, whole_company: bool = False,
            company_id: int | None = None) -> dict[str, int]:
    """Counts of open, in-attendance and closed tickets (R9): own, or the whole company's (the
    one named, for people in several)."""
    actor = load_user(ctx, actor_id)
    query = scoped_query(actor, whole_company=whole_company, company_id=company_id)
    counts = ctx.uow.tickets.summary(query.company_id, query.requester_id)
    in_attendance = (Status.ASSIGNED, Status.IN_PROGRESS, Status.IN_DEVELOPMENT)
    return {
        "novos": counts[Status.NEW],
        "em_estimativa": counts[Status.ESTIMATE],
        "em_atendimento": sum(counts[s] for s in in_attendance),
        "aguardando_aprovacao": counts[Status.AWAITING_APPROVAL],
        "encerrados": counts[Status.CLOSED],
        "rejeitados": counts[Status.REJECTED],
        "abertos": sum(counts[s] for s in Status if s not in (Status.CLOSED, Status.REJECTED)),
    }


def pending_approvals(ctx: Ctx, actor_id: int) -> list[Ticket]:
    """The user's tickets waiting for their approval, offered first at session start (R10)."""
    actor = load_user(ctx, actor_id)
    if actor.is_staff:
        return []
    return ctx.uow.tickets.list(approvals_query(actor.id or 0))


def approvals_query(actor_id: int) -> TicketQuery:
    """pending_approvals' listing (a chat process runs it at start: storage.sql.warm)."""
    return TicketQuery(tab=Tab.AWAITING_APPROVAL, requester_id=actor_id, limit=20)


def pending_billing(ctx: Ctx, actor_id: int) -> list[Ticket]:
    """The user's open tickets whose charge awaits their authorization (R23)."""
    actor = load_user(ctx, actor_id)
    if actor.is_staff:
        return []
    query = TicketQuery(requester_id=actor.id, statuses=list(OPEN_STATUSES),
                        billing_pending=True, limit=5)
    return ctx.uow.tickets.list(query)


def ticket_by_number(ctx: Ctx, actor_id: int, number: str) -> Ticket:
    """Find a ticket by number among those the actor may see."""
    actor = load_user(ctx, actor_id)
    ticket = find_by_number(ctx, number)
    if ticket is None or not can_see(actor, ticket):
        # Staff see every ticket: for them no ticket has that number.
        key = "error.no_such_number" if actor.is_staff else "error.number_not_found"
        raise NotFound(key, number=(number or "").strip()[:40],  # echoed: never a page
                       example=number_example(ctx, number or ""))
    return ticket


def tickets_by_sequence(ctx: Ctx, actor_id: int, seq: int) -> list[Ticket]:
    """The tickets numbered …/seq in the last months that the actor may see, newest first:
    what "ticket 4" means to someone who remembers only the end of the number."""
    actor = load_user(ctx, actor_id)
    return [t for t in recent_by_sequence(ctx, seq) if can_see(actor, t)]


def detail(ctx: Ctx, actor_id: int, ticket_id: int) -> TicketView:
    """A ticket with its trâmites; customers never see internal notes (R7)."""
    actor = load_user(ctx, actor_id)
    ticket = ticket_for(ctx, actor, ticket_id, to_change=False)
    entries = ctx.uow.entries.list(ticket.id or 0, include_internal=actor.is_staff)
    names: dict[int, str] = {}
    staff: set[int] = set()
    for uid in {e.author_id for e in entries} | {ticket.requester_id, ticket.assignee_id}:
        user = ctx.uow.users.get(uid) if uid else None
        if user and uid:
            names[uid] = user.name
            if user.is_staff:
                staff.add(uid)
    company = ctx.uow.companies.get(ticket.company_id)
    original = ctx.uow.tickets.read(ticket.duplicate_of_id) if ticket.duplicate_of_id else None
    return TicketView(
        ticket=ticket,
        company=company.name if company else "",
        requester=names.get(ticket.requester_id, ""),
        assignee=names.get(ticket.assignee_id) if ticket.assignee_id else None,
        entries=entries,
        authors=names,
        staff=staff,
        duplicate_of=original.number if original else None,
    )


ANSWER_WINDOW = timedelta(days=7)
RECENT_TICKETS = 10


def awaiting_answer(ctx: Ctx, actor_id: int) -> Ticket | None:
    """The customer's open ticket where support wrote to them last (within ANSWER_WINDOW):
    what they type next is most likely the answer. Approvals have their own question."""
    actor = load_user(ctx, actor_id)
    if actor.is_staff:
        return None
    statuses = sorted(OPEN_STATUSES - {Status.AWAITING_APPROVAL})
    recent = ctx.uow.tickets.list(TicketQuery(requester_id=actor.id, statuses=statuses,
                                              limit=RECENT_TICKETS))
    best: tuple[datetime, Ticket] | None = None
    for ticket in recent:
        public = [e for e in ctx.uow.entries.list(ticket.id or 0, False)
                  if e.kind == EntryKind.PUBLIC]
        last = public[-1] if public else None
        if last is None or last.created_at < ctx.now - ANSWER_WINDOW or last.author_id is None:
            continue
        author = ctx.uow.users.get(last.author_id)
        if author is not None and author.is_staff and (best is None or last.created_at > best[0]):
            best = (last.created_at, ticket)
    return best[1] if best else None
