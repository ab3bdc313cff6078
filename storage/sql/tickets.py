"""Tickets in SQL: numbering (R1), listings (R6, R8), summary (R9), queue (R12), sweeps."""

from __future__ import annotations

import builtins
import contextlib
import functools
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    func,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import sqlite

from core.errors import Conflict
from core.models import (
    OPEN_STATUSES,
    TAB_STATUSES,
    EntryKind,
    Priority,
    Rating,
    Role,
    Status,
    Ticket,
)
from core.ports import Notices, RatedComment, ReportCounts, ReportTimes, TicketQuery
from storage import search
from storage.sql import report
from storage.sql.base import SqlRepo
from storage.sql.delivery import SqlOutbox
from storage.sql.fulltext import (
    FTS,
    constant,
    fts5_ids,
    fts5_newest,
    fts5_scope,
    pg_older,
    pg_window,
    text_match,
)
from storage.sql.numbering import numbered_insert, unnumbered, with_notices
from storage.sql.prepared import rows, run
from storage.tables import (
    QUEUE_RANK,
    QUEUE_STATUSES,
    entries,
    queue_where,
    ticket_counters,
    ticket_stats,
    tickets,
    users,
)

_FIELDS = [f for f in Ticket.model_fields if f != "id"]
_COLS = [tickets.c.id, *(tickets.c[f] for f in _FIELDS)]
_KEYS = ("id", *_FIELDS)
_NEWEST = (tickets.c.opened_at.desc(), tickets.c.id.desc())
_ANSWER_STATUSES = sorted(s.value for s in OPEN_STATUSES - {Status.AWAITING_APPROVAL})
"""Where a question of the team awaits the customer's answer (an approval is asked apart)."""
# Built once: executed with the row as parameters, their compiled form is cached.
_UPDATE = update(tickets).where(tickets.c.id == bindparam("ticket_id"))
_BY_ID = select(*_COLS).where(tickets.c.id == bindparam("id"))
_BY_ID_FOR_WRITE = _BY_ID.with_for_update(of=tickets)
_BY_NUMBER = select(*_COLS).where(tickets.c.period == bindparam("period"),
                                  tickets.c.seq == bindparam("seq"))
_NEXT_SEQ: dict[str, Any] = {}
_UNNUMBERED = [f for f in _FIELDS if f != "seq"]
_ADD_SQLITE = sqlite.insert(tickets).on_conflict_do_nothing()


SCOPED_SEARCH_MAX = 20_000
"""On PostgreSQL, a text search within a company or a customer's tickets of at most this many
reads them and checks each (at ~2 µs a ticket); a larger scope uses the full-text index."""

FEW_MATCHES = 1000
"""A text search across every company whose words at most this many tickets hold reads just
those and sorts them (on SQLite by id: the planner might walk an index of every ticket and probe
each against the words, 88 ms at 1 000 000 tickets for a word found nowhere). One whose words
more hold reads the newest matches only (SqlTickets._newest)."""

COUNT_WINDOW = 5_000
"""PostgreSQL: a search's capped count across every company walks at most this many newest
ids in id order (see SqlTickets._pg_matches)."""

SEARCH_WINDOW = 20_000
"""A search across every company whose words many tickets hold, with filters of its own (a tab,
a time window, an agent), reads the matches among this many newest ids at most; if too few of
them pass the filters, the planner's plan finds the rest. Without that bound a tab that few
recent tickets are in had a common word's every match read (1.1 s for 'nota' in one status)."""


def _statuses(q: TicketQuery) -> builtins.list[Status]:
    return list(dict.fromkeys(q.statuses or TAB_STATUSES[q.tab]))


_FILTERS = ("company_id", "requester_id", "assignee_id", "unassigned", "opened_since",
            "opened_before", "taken_since", "billing_pending", "billable")
"""A listing's filters (TicketQuery's fields), in the order SqlTickets._filters writes them."""
_VALUED = ("company_id", "requester_id", "assignee_id", "opened_since", "opened_before",
           "taken_since")
"""Those compared with the query's value (the others are flags)."""


def _filter_params(q: TicketQuery) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Which of _FILTERS a listing has, and the values of those compared with a value."""
    used = tuple(f for f in _FILTERS
                 if (getattr(q, f) is not None if f in _VALUED else getattr(q, f)))
    return used, {f: getattr(q, f) for f in used if f in _VALUED}


def _bound_filters(used: tuple[str, ...], values: dict[str, Any] | None = None
                   ) -> builtins.list[Any]:
    """A listing's conditions for these filters, their values as bound parameters: named after
    the filter (a statement built once), or carrying `values` (a statement built per call)."""
    c = tickets.c

    def value(name: str, column: Any) -> Any:
        if values is None:
            return bindparam(name, type_=column.type)
        return bindparam(name, values[name], type_=column.type, unique=True)

    where: builtins.list[Any] = []
    for name in used:
        if name == "opened_since":
            where.append(c.opened_at >= value(name, c.opened_at))
        elif name == "opened_before":
            where.append(c.opened_at < value(name, c.opened_at))
        elif name == "taken_since":
            where.append(c.taken_at >= value(name, c.taken_at))
        elif name in _VALUED:
            where.append(c[name] == value(name, c[name]))
        elif name == "unassigned":
            where.append(c.assignee_id.is_(None))
        elif name == "billing_pending":
            where += [c.billable.is_(True), c.billing_authorized.is_(None)]
        else:  # billable
            where.append(c.billable.is_(True))
    return where


@functools.lru_cache(maxsize=512)
def _listing(used: tuple[str, ...], statuses: int, equal: bool = False) -> Select[Any]:
    """A listing without words, as SqlTickets.list writes it, built once per shape: these
    filters (params named after them) and one status (param statuses, a list of it; equal:
    param status_0, so the statement needs no expanding at each run) or more (params
    status_0…, depth = offset + limit); params limit and offset.

    Several statuses: one index range per status, each cut at offset+limit, merged: the cost
    of a page does not grow with the table (an IN over several statuses would sort them all).
    The branches read only (opened_at, id), which the indexes cover."""
    where = _bound_filters(used)
    limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
    status = tickets.c.status
    if statuses == 1:
        one = status == bindparam("status_0", type_=status.type) if equal else \
            status.in_(bindparam("statuses", type_=status.type, expanding=True))
        return (select(*_COLS)
                .where(one, *where)
                .order_by(*_NEWEST).limit(limit).offset(offset))
    depth = bindparam("depth", type_=Integer)
    keys = (tickets.c.id, tickets.c.opened_at)
    branches = [
        select(*keys).where(status == bindparam(f"status_{i}", type_=status.type), *where)
        .order_by(*_NEWEST).limit(depth)
        for i in range(statuses)
    ]
    merged = union_all(*(select(b.subquery()) for b in branches)).subquery()
    page = (
        select(merged.c.id, merged.c.opened_at)
        .order_by(merged.c.opened_at.desc(), merged.c.id.desc())
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    return select(*_COLS).join(page, page.c.id == tickets.c.id).order_by(*_NEWEST)


def _answer_awaited() -> Select[Any]:
    """SqlTickets.answer_awaited's read, built once for the driver's cursor: the requester's
    open tickets by ix_tickets_requester_status_opened, each one's last public entry by
    ix_entries_ticket_created, its author by the users' key."""
    c, e, u = tickets.c, entries.c, users.c
    one = bindparam("one", type_=Integer)
    last_author = (select(e.author_id)
                   .where(e.ticket_id == c.id, e.kind == bindparam("public", type_=e.kind.type))
                   .order_by(e.created_at.desc(), e.id.desc()).limit(one).offset(bindparam(
                       "none", type_=Integer))
                   .correlate(tickets).scalar_subquery())
    staff = select(u.id).where(u.id == last_author,
                               u.role.in_([bindparam(f"role_{i}", type_=u.role.type)
                                           for i in range(len(_STAFF))]))
    statuses = [bindparam(f"status_{i}", type_=c.status.type)
                for i in range(len(_ANSWER_STATUSES))]
    return (select(*_COLS)
            .where(c.requester_id == bindparam("requester", type_=Integer), c.status.in_(statuses),
                   exists(staff))
            .order_by(*_NEWEST).limit(bindparam("limit", type_=Integer))
            .offset(bindparam("offset", type_=Integer)))


_STAFF = (Role.AGENT.value, Role.COORDINATOR.value)
ANSWER_AWAITED = _answer_awaited()


def answer_awaited_params(requester_id: int, limit: int) -> dict[str, Any]:
    """ANSWER_AWAITED's parameters."""
    return {"requester": requester_id, "limit": limit, "offset": 0, "one": 1, "none": 0,
            "public": EntryKind.PUBLIC.value,
            **{f"role_{i}": r for i, r in enumerate(_STAFF)},
            **{f"status_{i}": s for i, s in enumerate(_ANSWER_STATUSES)}}


def driver_listing(query: TicketQuery, statuses: builtins.list[Status] | None = None
                   ) -> tuple[Select[Any], dict[str, Any]]:
    """SQLite: a listing without words as a statement for the driver's cursor and its
    params (storage.sql.prepared; SQLAlchemy's execution of it cost 3 times its run: 97
    against 30 µs for /novo's tickets awaiting approval, R10); statuses: the query's."""
    statuses = _statuses(query) if statuses is None else statuses
    used, params = _filter_params(query)
    params.update(limit=query.limit, offset=query.offset)
    params.update({f"status_{i}": s for i, s in enumerate(statuses)})
    if len(statuses) > 1:
        params["depth"] = query.offset + query.limit
    return _listing(used, len(statuses), equal=True), params


def _row(ticket: Ticket) -> dict[str, Any]:
    """add's parameters: the columns the ticket sets (unset ones are NULL anyway: fewer
    parameters to bind), its number and search roots."""
    row = {f: v for f in _FIELDS if (v := getattr(ticket, f)) is not None}
    row["number"] = ticket.number
    row["search_roots"] = search.stored_roots(ticket.assunto, ticket.descricao)
    return row


def _numbered_params(ticket: Ticket) -> dict[str, Any]:
    """add_numbered's parameters for the ticket: the columns it sets but seq, its roots."""
    params = {f: v for f in _UNNUMBERED if (v := getattr(ticket, f)) is not None}
    params["search_roots"] = search.stored_roots(ticket.assunto, ticket.descricao)
    return params


class SqlTickets(SqlRepo):
    """Tickets, their numbering and their listings."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._small: dict[tuple[int | None, int | None], bool] = {}
        self._matches: dict[tuple[str, int], int] = {}
        self._last: int | None = None
        self._added: dict[tuple[str, int], Ticket] = {}
        """Tickets added in this unit of work, as written: found by number without a read
        (the chat's registration names its ticket in its answer, linked to it)."""

    def next_seq(self, period: str) -> int:
        return int(run(self.conn, self._next_seq(), {"period": period}).fetchone()[0])

    def _next_seq(self) -> Any:
        stmt = _NEXT_SEQ.get(self.dialect)
        if stmt is None:
            upsert = self.upsert(ticket_counters).values(period=bindparam("period"), last_seq=1)
            stmt = _NEXT_SEQ[self.dialect] = upsert.on_conflict_do_update(
                index_elements=[ticket_counters.c.period],
                set_={"last_seq": ticket_counters.c.last_seq + 1},
            ).returning(ticket_counters.c.last_seq)
        return stmt

    def numbered_statements(self, ticket: Ticket) -> builtins.list[tuple[Any, dict[str, Any]]]:
        """The statements add_numbered runs for this ticket (on PostgreSQL with notices it
        completes), with parameters of the names they take (storage.sql.warm compiles them)."""
        if self.dialect != "postgresql":
            return [(self._next_seq(), {"period": ticket.period}), (_ADD_SQLITE, _row(ticket))]
        return [with_notices(ticket, _numbered_params(ticket), [])]

    def _values(self, ticket: Ticket) -> dict[str, Any]:
        values = {f: getattr(ticket, f) for f in _FIELDS}
        values["number"] = ticket.number
        values["search_roots"] = search.stored_roots(ticket.assunto, ticket.descricao)
        return values

    def add(self, ticket: Ticket) -> Ticket:
        conflict = Conflict("error.number_taken", number=ticket.number)
        row = _row(ticket)
        if self.dialect == "sqlite":
            # The new row's id is SQLite's last rowid: no RETURNING result to read.
            result = run(self.conn, _ADD_SQLITE, row)
            if not result.rowcount:
                raise conflict
            ticket.id = int(result.lastrowid)
            return self._remember(ticket)
        new = self.insert_new(tickets, tickets.c.id, conflict, row)
        ticket.id = int(new)
        return self._remember(ticket)

    def _remember(self, ticket: Ticket) -> Ticket:
        self._added[(ticket.period, ticket.seq)] = ticket.model_copy()  # scalars only
        return ticket

    def ended(self, committed: bool) -> None:
        """The transaction ended: tickets it added and did not keep are forgotten."""
        if not committed:
            self._added.clear()

    def add_numbered(self, ticket: Ticket, notices: Notices | None = None, *,
                     alone: bool = False) -> Ticket:
        if self.dialect != "postgresql":  # SQLite allows no INSERT inside a WITH
            ticket.seq = self.next_seq(ticket.period)
            self.add(ticket)
            if notices is not None:
                SqlOutbox(self.conn).add_many(notices(ticket))
            return ticket
        params = _numbered_params(ticket)
        # One round trip for the number, the ticket and its notices, when they allow it.
        messages = unnumbered(ticket, notices) if notices is not None else None
        if messages:
            stmt, params = with_notices(ticket, params, messages)
        else:
            stmt = numbered_insert(tuple(params))
        # Alone, and nothing written before it (no transaction open: the user was read on
        # its own), the statement is its own transaction: no BEGIN, no COMMIT round trip.
        on_its_own = alone and (messages or notices is None)  # no other write to follow
        with self.on_its_own() if on_its_own else contextlib.nullcontext():
            found = rows(self.conn, stmt, params)
        row = found[0] if found else None
        if row is None:
            ticket.seq = self.conn.execute(
                select(ticket_counters.c.last_seq).where(ticket_counters.c.period == ticket.period)
            ).scalar_one()
            raise Conflict("error.number_taken", number=ticket.number)
        ticket.id, ticket.seq = int(row[0]), int(row[1])
        if notices is not None and not messages:
            SqlOutbox(self.conn).add_many(notices(ticket))
        return self._remember(ticket)

    def _fetch(self, stmt: Select[Any], params: dict[str, Any] | None = None
               ) -> builtins.list[Ticket]:
        return [Ticket.model_validate(r._mapping) for r in self.conn.execute(stmt, params)]

    def _one(self, stmt: Select[Any], params: dict[str, Any]) -> Ticket | None:
        # On the driver's cursor (storage.sql.prepared): SQLAlchemy's execution context cost
        # more than the read itself, and a step naming a ticket (its registration) makes one.
        found = rows(self.conn, stmt, params)
        return Ticket.model_validate(dict(zip(_KEYS, found[0], strict=True))) if found else None

    def get(self, ticket_id: int) -> Ticket | None:
        stmt = _BY_ID_FOR_WRITE if self.dialect == "postgresql" else _BY_ID
        return self._one(stmt, {"id": ticket_id})

    def read(self, ticket_id: int) -> Ticket | None:
        # On PostgreSQL a row lock gives the transaction an id, so its COMMIT waits for a WAL
        # flush, and it holds up every change to the ticket until then: not for a view.
        return self._one(_BY_ID, {"id": ticket_id})

    def _for_write(self, stmt: Any) -> Any:
        """Lock the rows read for a change until commit (PostgreSQL; SQLite's BEGIN IMMEDIATE
        already serializes writers), so two use cases on one ticket never lose an update."""
        return stmt.with_for_update(of=tickets) if self.dialect == "postgresql" else stmt

    def by_number(self, period: str, seq: int) -> Ticket | None:
        added = self._added.get((period, seq))
        if added is not None:
            return added.model_copy()
        return self._one(_BY_NUMBER, {"period": period, "seq": seq})

    def update(self, ticket: Ticket) -> None:
        self.conn.execute(_UPDATE, {**self._values(ticket), "ticket_id": ticket.id})
        if (ticket.period, ticket.seq) in self._added:
            self._remember(ticket)

    def _filters(self, q: TicketQuery) -> builtins.list[Any]:
        return _bound_filters(*_filter_params(q))

    def _where(self, q: TicketQuery, statuses: builtins.list[Status]) -> builtins.list[Any]:
        """A listing's conditions: its statuses, its filters and its search's words."""
        where = [tickets.c.status.in_(statuses), *self._filters(q)]
        terms = search.parse(q.text)
        if not terms:
            return where
        scope = fts5_scope(q.company_id, q.requester_id)
        if self.dialect == "postgresql":
            match = text_match(self.dialect, terms, indexed=not self._small_scope(q))
        else:
            match = text_match(self.dialect, terms, scope)
        # A company's or customer's search costs what its scope holds; one across every
        # company must not cost what the table holds.
        if scope is None and self._match_count(q.text or "", terms) <= FEW_MATCHES:
            # Worded so that no index can serve the other conditions: the planner then reads
            # the matching ids alone, whatever it guesses of the filters (on PostgreSQL nor
            # walk one tab's opening times newest first, checking each ticket's words).
            return [match, and_(*where).is_(true())]
        return [*where, match]

    def _match_count(self, words: str, terms: builtins.list[search.Term],
                     up_to: int = FEW_MATCHES + 1) -> int:
        """How many tickets of every company a search's words match, counted up to up_to
        (once per unit of work: a page and its total ask alike)."""
        key = (words, up_to)
        if key not in self._matches:
            if self.dialect == "postgresql":
                self._matches[key] = self._pg_matches(terms, up_to)
            else:
                self._matches[key] = self._counted(fts5_ids(terms).limit(up_to))
        return self._matches[key]

    def _counted(self, stmt: Any) -> int:
        return int(self.conn.execute(select(func.count()).select_from(stmt.subquery()))
                   .scalar_one())

    def _pg_matches(self, terms: builtins.list[search.Term], up_to: int) -> int:
        """PostgreSQL: how many tickets a search's words match, up to up_to, the COUNT_WINDOW
        newest first.

        Newest first, a common word's count walks the primary key through the tickets the
        page reads too, in PostgreSQL's cache (unordered, a sequential scan read through a
        small ring of buffers from where the last scan stopped: pages from outside the cache
        on every call). Only among the newest ids, though (a word none holds had the walk read
        every ticket: 785 ms for 'cashback' at 1 000 000); the older tickets' matches are
        counted through the full-text index, only when the newest fall short (pg_older).
        """
        edge = self._last_id() - COUNT_WINDOW
        found = self._counted(pg_window(terms, edge, up_to, tickets.c.id))
        if found < up_to and edge > 0:
            found += self._counted(pg_older(terms, edge, up_to - found, tickets.c.id))
        return found

    def _walks(self, q: TicketQuery, terms: builtins.list[search.Term]) -> bool:
        """Whether a search spans every company and its words match more than FEW_MATCHES."""
        return q.company_id is None and q.requester_id is None and bool(terms) and \
            self._match_count(q.text or "", terms) > FEW_MATCHES

    def _only_words(self, q: TicketQuery, statuses: builtins.list[Status]) -> bool:
        """Whether a listing keeps every ticket its words match (every status, no filter)."""
        return set(statuses) == set(Status) and not self._filters(q)

    def _last_id(self) -> int:
        """The newest ticket's id (0 without tickets), read once per unit of work: later ones
        only widen the windows it bounds."""
        if self._last is None:
            self._last = int(self.conn.execute(select(func.max(tickets.c.id))).scalar_one() or 0)
        return self._last

    def _window_start(self) -> int | None:
        """The id after which SEARCH_WINDOW newest ids lie; None if the table holds fewer."""
        start = self._last_id() - SEARCH_WINDOW
        return start if start > 0 else None

    def _newest(self, q: TicketQuery, statuses: builtins.list[Status],
                terms: builtins.list[search.Term]) -> builtins.list[Ticket] | None:
        """A page of a search across every company whose words many tickets hold, without
        sorting every match: the newest matches by id (read newest first, each through the
        filters; on PostgreSQL, with no filter, from older ids too if need be) give the opening
        time the page reaches back to at most; the page is that of the matches opened since,
        few as ids follow opening times. None when too few of the newest matches pass the
        listing's filters (see SEARCH_WINDOW)."""
        c, depth = tickets.c, q.offset + q.limit
        where = [c.status.in_(statuses), *self._filters(q)]
        only = self._only_words(q, statuses)
        start = None if only else self._window_start()
        if self.dialect == "postgresql" and only:
            # Every match counts: the COUNT_WINDOW newest ids, then older ones.
            rows = self._pg_newest(terms, depth)
        else:
            rows = builtins.list(self.conn.execute(self._newest_first(where, terms, start, depth)))
        if len(rows) < depth and start is not None:
            return None
        if not rows:
            return []
        since = min(r.opened_at for r in rows)
        if self.dialect == "postgresql":
            # Few tickets opened since (ids follow opening times): read them, check each.
            few = start is not None or self._last_id() - rows[-1].id <= SEARCH_WINDOW
            return self._fetch(self._pg_page(q, where, terms, since, few))
        found = {r.id: r.opened_at for r in rows}
        if len(rows) == depth:  # matches opened since with ids before those: the walk missed
            stmt = select(c.id, c.opened_at).where(*where, c.opened_at >= since,
                                                   (c.id < rows[-1].id).is_(true()))
            late: dict[int, datetime] = {r.id: r.opened_at for r in self.conn.execute(stmt)}
            ids = builtins.list(late)
            for at in range(0, len(ids), 500):
                matched = fts5_ids(terms).where(FTS.c.rowid.in_(ids[at : at + 500]))
                found |= {i: late[i] for i in self.conn.execute(matched).scalars()}
        page = sorted(found, key=lambda i: (found[i], i), reverse=True)
        page = page[q.offset : q.offset + q.limit]
        if not page:
            return []
        return self._fetch(select(*_COLS).where(c.id.in_(page)).order_by(*_NEWEST))

    def _newest_first(self, where: builtins.list[Any], terms: builtins.list[search.Term],
                      start: int | None, depth: int) -> Any:
        """Id and opening time of the depth newest matches that pass where, past start."""
        c = tickets.c
        if self.dialect == "postgresql":
            first = select(c.id, c.opened_at).where(*where, text_match(self.dialect, terms))
            if start is not None:
                first = first.where(c.id > constant(start))
            return first.order_by(c.id.desc()).limit(constant(depth))
        walk = fts5_newest(terms, c.id, c.opened_at).where(and_(*where).is_(true()))
        if start is not None:
            walk = walk.where(FTS.c.rowid > start)
        return walk.limit(depth)

    def _pg_newest(self, terms: builtins.list[search.Term], n: int) -> builtins.list[Any]:
        """PostgreSQL: id and opening time of the n newest tickets a search's words match,
        newest first: among the COUNT_WINDOW newest ids, then older ones if too few."""
        c, edge = tickets.c, self._last_id() - COUNT_WINDOW
        rows = builtins.list(self.conn.execute(pg_window(terms, edge, n, c.id, c.opened_at)))
        if len(rows) < n and edge > 0:
            older = pg_older(terms, edge, n - len(rows), c.id, c.opened_at, ordered=True)
            rows += builtins.list(self.conn.execute(older))
        return rows

    def _pg_page(self, q: TicketQuery, where: builtins.list[Any],
                 terms: builtins.list[search.Term], since: datetime, few: bool) -> Any:
        """PostgreSQL: the page among the matches opened since; few: the tickets opened since
        are few enough to read them all and check each, rather than the words' every match.

        Opening time and page bounds are written into the statement: as parameters, a cached
        plan guessed a third of the table opened since and read it whole (880 ms at 1 000 000).
        """
        c = tickets.c
        cols = [*where, c.opened_at >= constant(since, c.opened_at.type)]
        if few:
            stmt = select(*_COLS).where(*cols, text_match(self.dialect, terms, indexed=False))
            stmt = stmt.order_by(*_NEWEST)
        else:  # old matches: read through the full-text index alone, as the older ids were
            found = select(*_COLS).where(text_match(self.dialect, terms), and_(*cols).is_(true()))
            m = found.cte("matches").prefix_with("MATERIALIZED")
            stmt = select(*m.c).order_by(m.c.opened_at.desc(), m.c.id.desc())
        return stmt.limit(constant(q.limit)).offset(constant(q.offset))

    def _window_count(self, q: TicketQuery, statuses: builtins.list[Status],
                      terms: builtins.list[search.Term], n: int) -> int | None:
        """SQLite: a search's filtered matches counted up to n among the SEARCH_WINDOW newest
        ids; None when those hold fewer and older ones remain."""
        start = self._window_start()
        where = and_(tickets.c.status.in_(statuses), *self._filters(q)).is_(true())
        first = fts5_newest(terms, tickets.c.id).where(where)
        if start is not None:
            first = first.where(FTS.c.rowid > start)
        found = int(self.conn.execute(
            select(func.count()).select_from(first.limit(n).subquery())).scalar_one())
        return found if found == n or start is None else None

    def _small_scope(self, q: TicketQuery) -> bool:
        """Whether a search's company (or customer) has few enough tickets to check each one.

        For a common word ("nota") the full-text index lists tickets of every company; the
        planner may still AND that list with the company's: 333 ms at 1 000 000 tickets in a
        benchmark run, against ~1 ms reading the company's 500 tickets. Its choice flips with
        the sampled statistics, so small scopes take the bounded path on purpose.
        """
        if q.company_id is None and q.requester_id is None:
            return False
        key = (q.company_id, q.requester_id)
        if key not in self._small:  # a page and its total ask the same: read once
            stmt = select(func.coalesce(func.sum(ticket_stats.c.n), 0)).where(
                *self._stats_filters(q.company_id, q.requester_id))
            self._small[key] = int(self.conn.execute(stmt).scalar_one()) <= SCOPED_SEARCH_MAX
        return self._small[key]

    def _queue_ordered(self, q: TicketQuery, statuses: builtins.list[Status]) -> Any:
        """A page of a listing in the queue's order (R12); statuses all the queue's (an
        agent's Novos) say so as its partial index does, so the planner walks that index."""
        c = tickets.c
        where = self._where(q, statuses)
        if set(statuses) <= set(QUEUE_STATUSES):
            where.append(text(queue_where(self.dialect)))
        stmt = select(*_COLS).where(*where).order_by(text(QUEUE_RANK), c.opened_at, c.id)
        return stmt.limit(constant(q.limit)).offset(constant(q.offset))

    def _latest_taken(self, q: TicketQuery, statuses: builtins.list[Status]) -> Any:
        """A page of the tickets got since q.taken_since, the latest first: an agent's are
        one range of ix_tickets_taken_by, read from its end. In the listings' order (by
        opening) a cached plan walked every ticket of hers in the status (4 854, 343 ms at
        1 000 000 tickets) when none was taken since, the guard's usual answer."""
        c = tickets.c
        stmt = select(*_COLS).where(*self._where(q, statuses)).order_by(c.taken_at.desc())
        return stmt.limit(constant(q.limit)).offset(constant(q.offset))

    def list(self, query: TicketQuery) -> builtins.list[Ticket]:
        if query.limit <= 0:
            return []
        statuses = _statuses(query)
        terms = search.parse(query.text)
        if query.queue_order:
            return self._fetch(self._queue_ordered(query, statuses))
        if query.taken_since is not None:
            return self._fetch(self._latest_taken(query, statuses))
        if self._walks(query, terms):
            newest = self._newest(query, statuses, terms)
            if newest is not None:
                return newest
        if terms:
            stmt = select(*_COLS).where(*self._where(query, statuses)).order_by(*_NEWEST)
            if self.dialect == "postgresql":  # known bounds, as in _pg_page
                stmt = stmt.limit(constant(query.limit)).offset(constant(query.offset))
                return self._fetch(stmt)
            return self._fetch(stmt.limit(query.limit).offset(query.offset))
        # Without words, a listing's statement depends only on which filters it has and how
        # many statuses: built once per shape, its values bound (_listing).
        used, params = _filter_params(query)
        params.update(limit=query.limit, offset=query.offset)
        if self.dialect == "sqlite":  # on the driver's cursor (storage.sql.prepared)
            found = rows(self.conn, *driver_listing(query, statuses))
            return [Ticket.model_validate(dict(zip(_KEYS, r, strict=True))) for r in found]
        if len(statuses) == 1:
            params["statuses"] = statuses
            return self._fetch(_listing(used, 1), params)
        params.update({f"status_{i}": s for i, s in enumerate(statuses)},
                      depth=query.offset + query.limit)
        return self._fetch(_listing(used, len(statuses)), params)

    def count(self, query: TicketQuery, at_most: int | None = None) -> int:
        statuses = _statuses(query)
        terms = search.parse(query.text)
        n = None if at_most is None else at_most + 1
        if (
            query.assignee_id is None
            and not query.unassigned
            and query.opened_since is None
            and query.opened_before is None
            and query.taken_since is None
            and not query.billing_pending
            and not query.billable
            and not terms
        ):
            stmt = select(func.coalesce(func.sum(ticket_stats.c.n), 0)).where(
                ticket_stats.c.status.in_([s.value for s in statuses]),
                *self._stats_filters(query.company_id, query.requester_id),
            )
            found = int(self.conn.execute(stmt).scalar_one())
            return found if n is None else min(found, n)
        everywhere = terms and query.company_id is None and query.requester_id is None
        if n is not None and everywhere and self._only_words(query, statuses):
            return self._match_count(query.text or "", terms, n)  # the page's, read once
        if n is not None and self.dialect != "postgresql" and self._walks(query, terms):
            counted = self._window_count(query, statuses, terms, n)
            if counted is not None:
                return counted
        matching = select(tickets.c.id).where(*self._where(query, statuses))
        if n is not None:  # a search's total: up to n
            stmt = select(func.count()).select_from(matching.limit(n).subquery())
        else:
            stmt = select(func.count()).select_from(tickets).where(*self._where(query, statuses))
        return int(self.conn.execute(stmt).scalar_one())

    @staticmethod
    def _stats_filters(company_id: int | None, requester_id: int | None) -> builtins.list[Any]:
        # Requester 0 rows are each company's totals: without a requester, read only those.
        where = [ticket_stats.c.requester_id == (requester_id or 0)]
        if company_id is not None:
            where.append(ticket_stats.c.company_id == company_id)
        return where

    def summary(self, company_id: int | None, requester_id: int | None) -> dict[Status, int]:
        counts: dict[Status, int] = dict.fromkeys(Status, 0)
        stmt = (
            select(ticket_stats.c.status, func.sum(ticket_stats.c.n))
            .where(*self._stats_filters(company_id, requester_id))
            .group_by(ticket_stats.c.status)
        )
        for status, n in self.conn.execute(stmt):
            counts[Status(status)] += int(n)
        return counts

    def queue(self, limit: int, offset: int = 0) -> builtins.list[Ticket]:
        c = tickets.c
        stmt = (
            select(*_COLS)
            .where(text(queue_where(self.dialect)))
            .order_by(text(QUEUE_RANK), c.opened_at, c.id)
            .limit(limit)
            .offset(offset)
        )
        return self._fetch(stmt)

    def _sweep(self, limit: int, order: Any, *where: Any, lock: bool = True, offset: int = 0
               ) -> builtins.list[Ticket]:
        stmt = select(*_COLS).where(*where).order_by(order, tickets.c.id).limit(limit)
        if offset:  # a later page of a listing; the sweeps' own statements keep no OFFSET
            stmt = stmt.offset(offset)
        return self._fetch(self._for_write(stmt) if lock else stmt)

    def awaiting_before(
        self, cutoff: datetime, limit: int, reminders_below: int | None = None, *,
        lock: bool = True, offset: int = 0,
    ) -> builtins.list[Ticket]:
        c = tickets.c
        where = [c.status == Status.AWAITING_APPROVAL, c.awaiting_since <= cutoff]
        if reminders_below is not None:
            where.append(c.reminders_sent < reminders_below)
        return self._sweep(limit, c.awaiting_since, *where, lock=lock, offset=offset)

    def _due_where(self, cutoff: datetime) -> builtins.list[Any]:
        return [text(queue_where(self.dialect)), tickets.c.due_at <= cutoff,
                tickets.c.prazo_paused_at.is_(None)]

    def due_before(
        self, cutoff: datetime, limit: int, warnings_below: int | None = 2, *,
        lock: bool = True, priority: Priority | None = None, offset: int = 0,
    ) -> builtins.list[Ticket]:
        c = tickets.c
        where = self._due_where(cutoff)
        if warnings_below is not None:
            where.append(c.due_warnings_sent < warnings_below)
        if priority is not None:
            # SQLite: concatenated so that its planner does not read the queue's (priority,
            # opened_at) index and sort every critical ticket: the prazo index's order,
            # filtered (R12). PostgreSQL weighs both by the column's statistics, which the
            # concatenation hid (it guessed a handful of matches and read the table whole).
            where.append(c.priority.concat("") == priority if self.dialect == "sqlite"
                         else c.priority == priority)
        return self._sweep(limit, c.due_at, *where, lock=lock, offset=offset)

    def count_by_company(self, query: TicketQuery, company_ids: builtins.list[int],
                         at_most: int | None = None) -> dict[int, int]:
        if not company_ids:
            return {}
        every = query.model_copy(update={"company_id": None, "requester_id": None})
        c = tickets.c
        stmt = (select(c.company_id, func.count())
                .where(*self._where(every, _statuses(every)), c.company_id.in_(company_ids))
                .group_by(c.company_id))
        counts = {int(k): int(n) for k, n in self.conn.execute(stmt)}
        return counts if at_most is None else {k: min(n, at_most + 1) for k, n in counts.items()}

    def count_due_before(self, cutoff: datetime) -> int:
        stmt = select(func.count()).select_from(tickets).where(*self._due_where(cutoff))
        return int(self.conn.execute(stmt).scalar_one())

    def report(self, since: datetime, until: datetime, company_id: int | None
               ) -> ReportCounts:
        return report.report(self.conn, since, until, company_id)

    def report_times(self, since: datetime, until: datetime, company_id: int | None
                     ) -> ReportTimes:
        return report.report_times(self.conn, since, until, company_id)

    def rated_comments(self, since: datetime, until: datetime, company_id: int | None,
                       ratings: builtins.list[Rating], limit: int
                       ) -> builtins.list[RatedComment]:
        return report.rated_comments(self.conn, since, until, company_id, ratings, limit)

    def unreachable_on_telegram(self, requester_id: int) -> builtins.list[Ticket]:
        c = tickets.c
        stmt = (select(*_COLS).where(c.requester_id == requester_id,
                                     c.unreachable_telegram.is_(True))
                .order_by(c.opened_at, c.id))
        return self._fetch(self._for_write(stmt))

    def answer_awaited(self, requester_id: int, limit: int) -> builtins.list[Ticket]:
        found = rows(self.conn, ANSWER_AWAITED, answer_awaited_params(requester_id, limit))
        return [Ticket.model_validate(dict(zip(_KEYS, r, strict=True))) for r in found]

    def new_before(self, cutoff: datetime, limit: int, priority: Priority | None = None
                   ) -> builtins.list[Ticket]:
        c = tickets.c
        due: tuple[Any, ...] = (c.opened_at <= cutoff, c.first_response_flagged.is_(False))
        if priority is not None:
            due += (c.priority == priority,)
        # Two reads in index order, merged: one OR of both sorted every match (SQLite's
        # MULTI-INDEX OR and a temporary B-tree), however many Novo tickets wait.
        found = self._sweep(limit, c.opened_at, c.status == Status.NEW, *due) + self._sweep(
            limit, c.opened_at, c.status == Status.ESTIMATE, c.assignee_id.is_(None),
            c.assigned_at.is_(None), *due)
        return sorted(found, key=lambda t: (t.opened_at, t.id))[:limit]
