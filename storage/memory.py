"""An in-memory unit of work: core's ports with dicts, for fast unit tests."""

from __future__ import annotations

import builtins
import copy
from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any, Self

from core.conversation_state import ConversationKey, ConversationState
from core.errors import Conflict
from core.models import (
    TAB_STATUSES,
    Attachment,
    Company,
    EmailChange,
    Entry,
    EntryKind,
    Invite,
    Priority,
    Rating,
    Status,
    Ticket,
    User,
    format_number,
)
from core.outbox import DeliveryStatus, OutboxMessage
from core.ports import Notices, RatedComment, ReportCounts, ReportTimes, TicketQuery
from storage import memory_report, search
from storage.extras import SlackCard, SlackDevPost, SlackKeptNote, SlackOpenedCard, destination
from storage.search import fold
from storage.values import as_json

__all__ = ["MemoryStore", "MemoryUnitOfWork", "fold"]


class MemoryData:
    """Everything the in-memory store holds; shared by the units of work of one store."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[Any, Any]] = defaultdict(dict)
        self.counters: dict[str, int] = defaultdict(int)
        self.ids: dict[str, int] = defaultdict(int)

    def new_id(self, table: str) -> int:
        """Hand out the next id of a table."""
        self.ids[table] += 1
        return self.ids[table]


class _Repo:
    table = ""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow

    @property
    def rows(self) -> dict[Any, Any]:
        return self.uow.data.rows[self.table]

    def _put(self, key: Any, obj: Any) -> None:
        self.rows[key] = obj.model_copy(deep=True)

    def _all(self) -> builtins.list[Any]:
        return [r.model_copy(deep=True) for r in self.rows.values()]


class MemoryCompanies(_Repo):
    table = "companies"

    def add(self, company: Company) -> Company:
        if self.by_name(company.name):
            raise Conflict("error.company_exists", name=company.name)
        company.id = self.uow.data.new_id(self.table)
        self._put(company.id, company)
        return company

    def get(self, company_id: int) -> Company | None:
        row = self.rows.get(company_id)
        return row.model_copy() if row else None

    def names(self, company_ids: Collection[int]) -> dict[int, str]:
        return {i: self.rows[i].name for i in set(company_ids) if i in self.rows}

    def by_name(self, name: str) -> Company | None:
        wanted = fold(name)
        return next((c.model_copy() for c in self.rows.values() if fold(c.name) == wanted), None)

    def list(self) -> builtins.list[Company]:
        return sorted(self._all(), key=lambda c: fold(c.name))


class MemoryUsers(_Repo):
    table = "users"

    def add(self, user: User) -> User:
        if self.by_email(user.email):
            raise Conflict("error.email_exists", email=user.email)
        user.id = self.uow.data.new_id(self.table)
        self._put(user.id, user)
        return user

    def get(self, user_id: int) -> User | None:
        row = self.rows.get(user_id)
        return row.model_copy(deep=True) if row else None

    def _find(self, pred: Any) -> User | None:
        return next((u.model_copy(deep=True) for u in self.rows.values() if pred(u)), None)

    def by_email(self, email: str) -> User | None:
        return self._find(lambda u: u.email.lower() == email.lower())

    def by_telegram(self, telegram_id: int) -> User | None:
        return self._find(lambda u: u.telegram_id == telegram_id)

    def by_slack(self, slack_id: str) -> User | None:
        return self._find(lambda u: u.slack_id == slack_id)

    def update(self, user: User) -> None:
        other = self.by_email(user.email)
        if other and other.id != user.id:
            raise Conflict("error.email_exists", email=user.email)
        self._put(user.id, user)

    def list(self, company_id: int | None = None) -> builtins.list[User]:
        users = [u for u in self._all() if company_id is None or company_id in u.company_ids]
        return sorted(users, key=lambda u: u.id or 0)

    def staff(self) -> builtins.list[User]:
        return [u for u in self.list() if u.active and u.is_staff]

    def names(self, user_ids: Collection[int]) -> dict[int, str]:
        return {i: self.rows[i].name for i in set(user_ids) if i in self.rows}

    def customer_names(self) -> dict[int, str]:
        return {u.id or 0: u.name for u in self.rows.values() if u.active and not u.is_staff}


class MemoryInvites(_Repo):
    table = "invites"

    def add(self, invite: Invite) -> None:
        if invite.code in self.rows:
            raise Conflict("error.invite_exists")
        self._put(invite.code, invite)

    def get(self, code: str) -> Invite | None:
        row = self.rows.get(code)
        return row.model_copy() if row else None

    def update(self, invite: Invite) -> None:
        self._put(invite.code, invite)

    def delete_expired(self, now: datetime) -> int:
        gone = [k for k, v in self.rows.items() if v.expires_at <= now or v.used_at]
        for k in gone:
            del self.rows[k]
        return len(gone)

    def revoke_for_user(self, user_id: int, now: datetime) -> int:
        pending = [v for v in self.rows.values()
                   if v.user_id == user_id and v.used_at is None and v.expires_at > now]
        for invite in pending:
            self._put(invite.code, invite.model_copy(update={"expires_at": now}))
        return len(pending)


class MemoryLinkFailures(_Repo):
    table = "link_failures"

    def add(self, key: ConversationKey, at: datetime) -> None:
        self.rows[self.uow.data.new_id(self.table)] = (key.model_copy(), at)

    def recent(self, key: ConversationKey, after: datetime) -> tuple[int, datetime | None]:
        times = [at for k, at in self.rows.values() if k == key and at > after]
        return len(times), min(times, default=None)

    def delete_before(self, before: datetime) -> int:
        gone = [i for i, (_, at) in self.rows.items() if at < before]
        for i in gone:
            del self.rows[i]
        return len(gone)


class MemoryEmailChanges(_Repo):
    table = "email_changes"

    def get(self, user_id: int) -> EmailChange | None:
        row = self.rows.get(user_id)
        return row.model_copy() if row else None

    def put(self, change: EmailChange) -> None:
        self._put(change.user_id, change)

    def delete(self, user_id: int) -> None:
        self.rows.pop(user_id, None)


def _queue_rank(t: Ticket) -> tuple[bool, datetime, int]:
    """The queue's order (R12): critical with its urgency unmet first, then oldest first."""
    return (t.priority != Priority.CRITICAL or t.workaround_at is not None, t.opened_at,
            t.id or 0)


class MemoryTickets(_Repo):
    table = "tickets"

    def next_seq(self, period: str) -> int:
        self.uow.data.counters[period] += 1
        return self.uow.data.counters[period]

    def add(self, ticket: Ticket) -> Ticket:
        if self.by_number(ticket.period, ticket.seq):
            raise Conflict("error.number_taken", number=format_number(ticket.period, ticket.seq))
        ticket.id = self.uow.data.new_id(self.table)
        self._put(ticket.id, ticket)
        return ticket

    def add_numbered(self, ticket: Ticket, notices: Notices | None = None, *,
                     alone: bool = False) -> Ticket:
        ticket.seq = self.next_seq(ticket.period)
        self.add(ticket)
        if notices is not None:
            self.uow.outbox.add_many(notices(ticket))
        return ticket

    def get(self, ticket_id: int) -> Ticket | None:
        row = self.rows.get(ticket_id)
        return row.model_copy(deep=True) if row else None

    def read(self, ticket_id: int) -> Ticket | None:
        return self.get(ticket_id)

    def by_number(self, period: str, seq: int) -> Ticket | None:
        return next(
            (t.model_copy() for t in self.rows.values() if t.period == period and t.seq == seq),
            None,
        )

    def update(self, ticket: Ticket) -> None:
        self._put(ticket.id, ticket)

    def _matching(self, q: TicketQuery) -> builtins.list[Ticket]:
        statuses = set(q.statuses or TAB_STATUSES[q.tab])
        terms = search.parse(q.text)
        out = []
        for t in self.rows.values():
            if t.status not in statuses:
                continue
            if q.company_id is not None and t.company_id != q.company_id:
                continue
            if q.requester_id is not None and t.requester_id != q.requester_id:
                continue
            if q.assignee_id is not None and t.assignee_id != q.assignee_id:
                continue
            if q.unassigned and t.assignee_id is not None:
                continue
            if q.opened_since is not None and t.opened_at < q.opened_since:
                continue
            if q.opened_before is not None and t.opened_at >= q.opened_before:
                continue
            if q.taken_since is not None and (t.taken_at is None
                                              or t.taken_at < q.taken_since):
                continue
            if q.billing_pending and not (t.billable and t.billing_authorized is None):
                continue
            if q.billable and not t.billable:
                continue
            texts = [t.assunto, t.descricao]
            if not all(search.term_matches(w, t.period, t.seq, t.number, texts) for w in terms):
                continue
            out.append(t)
        return out

    def list(self, query: TicketQuery) -> builtins.list[Ticket]:
        rows = sorted(self._matching(query), key=lambda t: (t.opened_at, t.id), reverse=True)
        if query.queue_order:
            rows.sort(key=_queue_rank)
        elif query.taken_since is not None:  # the latest got first
            rows.sort(key=lambda t: t.taken_at or t.opened_at, reverse=True)
        return [t.model_copy(deep=True) for t in rows[query.offset : query.offset + query.limit]]

    def count(self, query: TicketQuery, at_most: int | None = None) -> int:
        found = len(self._matching(query))
        return found if at_most is None else min(found, at_most + 1)

    def count_by_company(self, query: TicketQuery, company_ids: builtins.list[int],
                         at_most: int | None = None) -> dict[int, int]:
        every = query.model_copy(update={"company_id": None, "requester_id": None})
        counts: dict[int, int] = {}
        for t in self._matching(every):
            if t.company_id in company_ids:
                counts[t.company_id] = counts.get(t.company_id, 0) + 1
        return counts if at_most is None else {k: min(n, at_most + 1) for k, n in counts.items()}

    def summary(self, company_id: int | None, requester_id: int | None) -> dict[Status, int]:
        counts: dict[Status, int] = dict.fromkeys(Status, 0)
        q = TicketQuery(company_id=company_id, requester_id=requester_id)
        for t in self._matching(q):
            counts[t.status] += 1
        return counts

    def queue(self, limit: int, offset: int = 0) -> builtins.list[Ticket]:
        waiting = Status.AWAITING_APPROVAL
        open_ = [t for t in self.rows.values() if t.is_open and t.status != waiting]
        open_.sort(key=_queue_rank)
        return [t.model_copy(deep=True) for t in open_[offset : offset + limit]]

    def _where(self, pred: Any, limit: int, since: str, offset: int = 0
               ) -> builtins.list[Ticket]:
        """Matching tickets, oldest by the sweep's own date first (its index order in SQL)."""
        rows = sorted(
            (t for t in self.rows.values() if pred(t)), key=lambda t: (getattr(t, since), t.id)
        )
        return [t.model_copy(deep=True) for t in rows[offset:offset + limit]]

    def report(self, since: datetime, until: datetime, company_id: int | None
               ) -> ReportCounts:
        entries = self.uow.data.rows["entries"].values()
        return memory_report.report(self.rows, entries, since, until, company_id)

    def report_times(self, since: datetime, until: datetime, company_id: int | None
                     ) -> ReportTimes:
        return memory_report.report_times(self.rows, since, until, company_id)

    def rated_comments(self, since: datetime, until: datetime, company_id: int | None,
                       ratings: builtins.list[Rating], limit: int
                       ) -> builtins.list[RatedComment]:
        entries = self.uow.data.rows["entries"].values()
        return memory_report.rated_comments(self.rows, entries, since, until, company_id,
                                            ratings, limit)

    def unreachable_on_telegram(self, requester_id: int) -> builtins.list[Ticket]:
        return self._where(lambda t: t.requester_id == requester_id and t.unreachable_telegram,
                           len(self.rows), "opened_at")

    def answer_awaited(self, requester_id: int, limit: int) -> builtins.list[Ticket]:
        users = self.uow.data.rows["users"]
        last: dict[int, Any] = {}
        for entry in sorted(self.uow.data.rows["entries"].values(),
                            key=lambda e: (e.created_at, e.id or 0)):
            if entry.kind == EntryKind.PUBLIC:
                last[entry.ticket_id] = users.get(entry.author_id)
        found = [t for t in self.rows.values() if t.requester_id == requester_id
                 and t.is_open and t.status != Status.AWAITING_APPROVAL
                 and last.get(t.id) is not None and last[t.id].is_staff]
        found.sort(key=lambda t: (t.opened_at, t.id or 0), reverse=True)
        return [t.model_copy() for t in found[:limit]]

    def awaiting_before(self, cutoff: datetime, limit: int, reminders_below: int | None = None,
                        *, lock: bool = True, offset: int = 0) -> builtins.list[Ticket]:
        return self._where(
            lambda t: t.status == Status.AWAITING_APPROVAL
            and t.awaiting_since is not None
            and t.awaiting_since <= cutoff
            and (reminders_below is None or t.reminders_sent < reminders_below),
            limit,
            "awaiting_since",
            offset,
        )

    def due_before(self, cutoff: datetime, limit: int, warnings_below: int | None = 2,
                   *, lock: bool = True, priority: Priority | None = None, offset: int = 0
                   ) -> builtins.list[Ticket]:
        return self._where(
            lambda t: t.is_open
            and (priority is None or t.priority == priority)
            and t.status != Status.AWAITING_APPROVAL
            and t.due_at is not None
            and t.due_at <= cutoff
            and t.prazo_paused_at is None
            and (warnings_below is None or t.due_warnings_sent < warnings_below),
            limit,
            "due_at",
            offset,
        )

    def count_due_before(self, cutoff: datetime) -> int:
        return len(self.due_before(cutoff, len(self.rows), None))

    def new_before(self, cutoff: datetime, limit: int, priority: Priority | None = None
                   ) -> builtins.list[Ticket]:
        return self._where(
            lambda t: (priority is None or t.priority == priority)
            and (t.status == Status.NEW
                       or (t.status == Status.ESTIMATE and t.assignee_id is None
                           and t.assigned_at is None))
            and t.opened_at <= cutoff
            and not t.first_response_flagged,
            limit,
            "opened_at",
        )


class MemoryEntries(_Repo):
    table = "entries"

    def add(self, entry: Entry) -> Entry:
        entry.id = self.uow.data.new_id(self.table)
        for att in entry.attachments:
            att.ticket_id, att.entry_id = entry.ticket_id, entry.id
            self.add_attachment(att)
        self._put(entry.id, entry)
        return entry

    def list(self, ticket_id: int, include_internal: bool) -> builtins.list[Entry]:
        rows = [
            e
            for e in self._all()
            if e.ticket_id == ticket_id and (include_internal or e.kind != EntryKind.INTERNAL)
        ]
        atts = sorted(self.uow.data.rows["attachments"].values(), key=lambda a: a.id)
        for e in rows:
            e.attachments = [a.model_copy() for a in atts if a.entry_id == e.id]
        return sorted(rows, key=lambda e: (e.created_at, e.id))

    def add_attachment(self, attachment: Attachment) -> Attachment:
        attachment.id = self.uow.data.new_id("attachments")
        self.uow.data.rows["attachments"][attachment.id] = attachment.model_copy()
        return attachment

    def attachments(self, ticket_id: int) -> builtins.list[Attachment]:
        rows = sorted(self.uow.data.rows["attachments"].values(), key=lambda a: a.id)
        return [a.model_copy() for a in rows if a.ticket_id == ticket_id]


class MemoryOutbox(_Repo):
    table = "outbox"

    def add(self, message: OutboxMessage) -> OutboxMessage:
        message.id = self.uow.data.new_id(self.table)
        self._put(message.id, message.model_copy(update={"params": as_json(message.params)}))
        return message

    def add_many(self, messages: builtins.list[OutboxMessage]) -> builtins.list[OutboxMessage]:
        return [self.add(m) for m in messages]

    def add_unless_waiting(self, message: OutboxMessage, now: datetime) -> bool:
        """Add the message unless its destination has a pending row (nothing is claimed here)."""
        if any(m.status == DeliveryStatus.PENDING and destination(m) == destination(message)
               for m in self.rows.values()):
            return False
        self.add(message)
        return True

    def add_unless_pending(self, messages: builtins.list[OutboxMessage], now: datetime,
                           also: builtins.list[tuple[str, str]] | None = None
                           ) -> builtins.list[OutboxMessage]:
        """Add each message unless a pending row waits for its ticket at its target with its
        kind, or at one of `also`'s (nothing is claimed here)."""
        def covered(message: OutboxMessage) -> bool:
            kinds = {(message.target, message.kind), *(also or [])}
            return any(m.status == DeliveryStatus.PENDING and m.ticket_id == message.ticket_id
                       and m.channel == message.channel and (m.target, m.kind) in kinds
                       for m in self.rows.values())

        return self.add_many([m for m in messages if not covered(m)])

    def take_pending(self, channel: str, target: str, now: datetime
                     ) -> builtins.list[OutboxMessage]:
        """The pending rows of one destination, oldest first, marked sent now."""
        found = sorted((m for m in self.rows.values() if m.status == DeliveryStatus.PENDING
                        and (m.channel, m.target) == (channel, target)), key=lambda m: m.id)
        for m in found:
            self._put(m.id, m.model_copy(update={"status": DeliveryStatus.SENT, "sent_at": now,
                                                 "attempts": m.attempts + 1}))
        return [m.model_copy(deep=True) for m in found]

    def get(self, message_id: int) -> OutboxMessage | None:
        row = self.rows.get(message_id)
        return row.model_copy(deep=True) if row else None

    def all(self) -> builtins.list[OutboxMessage]:
        """Every message, oldest first (for tests)."""
        return sorted(self._all(), key=lambda m: m.id)


class MemoryConversations(_Repo):
    table = "conversations"

    @staticmethod
    def _k(key: ConversationKey) -> tuple[str, str, str]:
        return (key.channel, key.chat_id, key.user_key)

    def get(self, key: ConversationKey) -> ConversationState | None:
        row = self.rows.get(self._k(key))
        return row.model_copy(deep=True) if row else None

    def save(self, state: ConversationState) -> ConversationState:
        current = self.rows.get(self._k(state.key))
        if (current.version if current else 0) != state.version:
            raise Conflict("error.conversation_moved")
        state.version += 1
        self._put(self._k(state.key), state.model_copy(update={"data": as_json(state.data)}))
        return state

    def delete(self, key: ConversationKey) -> None:
        self.rows.pop(self._k(key), None)

    def delete_stale(self, before: datetime) -> int:
        gone = [k for k, v in self.rows.items() if v.updated_at and v.updated_at < before]
        for k in gone:
            del self.rows[k]
        return len(gone)


class MemoryDocuments(_Repo):
    table = "documents"

    def get(self, name: str) -> dict | None:
        row = self.rows.get(name)
        return copy.deepcopy(row) if row is not None else None

    def put(self, name: str, value: dict) -> None:
        self.rows[name] = as_json(value)


class MemoryInboundEvents(_Repo):
    table = "inbound_events"

    def record(self, source: str, key: str, now: datetime) -> bool:
        if (source, key) in self.rows:
            return False
        self.rows[(source, key)] = now
        return True

    def seen(self, source: str, key: str) -> bool:
        return (source, key) in self.rows

    def delete_before(self, cutoff: datetime) -> int:
        gone = [k for k, v in self.rows.items() if v < cutoff]
        for k in gone:
            del self.rows[k]
        return len(gone)


class MemorySlackCards(_Repo):
    table = "slack_cards"

    def get(self, ticket_id: int) -> SlackCard | None:
        row = self.rows.get(ticket_id)
        return row.model_copy() if row else None

    def by_ts(self, channel: str, ts: str) -> SlackCard | None:
        return next(
            (c.model_copy() for c in self.rows.values() if (c.channel, c.ts) == (channel, ts)),
            None,
        )

    def put(self, card: SlackCard) -> None:
        other = self.by_ts(card.channel, card.ts)
        if other and other.ticket_id != card.ticket_id:
            raise Conflict("error.slack_card_exists")
        self._put(card.ticket_id, card)


class MemorySlackDevPosts(_Repo):
    table = "slack_dev_posts"

    def for_ticket(self, ticket_id: int) -> builtins.list[SlackDevPost]:
        return sorted((p.model_copy() for p in self.rows.values() if p.ticket_id == ticket_id),
                      key=lambda p: p.ts)

    def by_ts(self, channel: str, ts: str) -> SlackDevPost | None:
        row = self.rows.get((channel, ts))
        return row.model_copy() if row else None

    def add(self, post: SlackDevPost) -> None:
        if (post.channel, post.ts) in self.rows:
            raise Conflict("error.slack_card_exists")
        self._put((post.channel, post.ts), post)


class MemorySlackHomes(_Repo):
    table = "slack_homes"

    def opened(self, slack_id: str, at: datetime) -> None:
        self.rows[slack_id] = at

    def viewers(self, since: datetime) -> builtins.list[str]:
        return sorted(k for k, at in self.rows.items() if at >= since)


class MemorySlackOpenedCards(_Repo):
    table = "slack_opened_cards"

    def get(self, slack_id: str, channel: str, ticket_id: int, lock: bool = False
            ) -> SlackOpenedCard | None:
        row = self.rows.get((slack_id, channel, ticket_id))
        return row.model_copy() if row else None

    def put(self, card: SlackOpenedCard) -> None:
        self._put((card.slack_id, card.channel, card.ticket_id), card.model_copy())

    def claim(self, card: SlackOpenedCard) -> SlackOpenedCard | None:
        before = self.get(card.slack_id, card.channel, card.ticket_id)
        if before is None:
            self.put(card)
        return before

    def forget(self, slack_id: str, before: datetime) -> int:
        gone = [k for k, v in self.rows.items() if k[0] == slack_id and v.opened_at < before]
        for k in gone:
            del self.rows[k]
        return len(gone)


class MemorySlackKeptNotes(_Repo):
    table = "slack_kept_notes"

    def keep(self, note: SlackKeptNote) -> None:
        self._put(note.token, note)

    def keep_once(self, note: SlackKeptNote) -> None:
        if note.token not in self.rows:
            self._put(note.token, note)

    def get(self, token: str) -> SlackKeptNote | None:
        row = self.rows.get(token)
        return row.model_copy() if row else None

    def starting(self, prefix: str) -> list[SlackKeptNote]:
        return [v.model_copy() for k, v in self.rows.items() if k.startswith(prefix)]

    def delete_before(self, cutoff: datetime) -> int:
        gone = [k for k, v in self.rows.items() if v.kept_at < cutoff]
        for k in gone:
            del self.rows[k]
        return len(gone)

    def use(self, token: str, at: datetime) -> bool:
        row = self.rows.get(token)
        if row is None or row.used_at is not None:
            return False
        row.used_at = at
        return True


class MemoryUnitOfWork:
    """A transaction over MemoryData: works on a copy, swaps it in on commit."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.data = store.data
        self.committed = False

    def __enter__(self) -> Self:
        self.data = copy.deepcopy(self.store.data)
        self.companies = MemoryCompanies(self)
        self.users = MemoryUsers(self)
        self.invites = MemoryInvites(self)
        self.link_failures = MemoryLinkFailures(self)
        self.email_changes = MemoryEmailChanges(self)
        self.tickets = MemoryTickets(self)
        self.entries = MemoryEntries(self)
        self.outbox = MemoryOutbox(self)
        self.conversations = MemoryConversations(self)
        self.documents = MemoryDocuments(self)
        self.inbound = MemoryInboundEvents(self)
        self.slack_cards = MemorySlackCards(self)
        self.slack_dev_posts = MemorySlackDevPosts(self)
        self.slack_homes = MemorySlackHomes(self)
        self.slack_opened_cards = MemorySlackOpenedCards(self)
        self.slack_kept_notes = MemorySlackKeptNotes(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.data = self.store.data

    def commit(self) -> None:
        self.store.data = self.data
        self.data = copy.deepcopy(self.data)
        self.committed = True

    def rollback(self) -> None:
        self.data = copy.deepcopy(self.store.data)
        self.__enter__()

    def lock(self, name: str) -> bool:
        return True


class MemoryStore:
    """A unit-of-work factory whose data lives in this object."""

    def __init__(self) -> None:
        self.data = MemoryData()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)
