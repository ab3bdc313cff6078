"""What core needs from storage: repositories and a unit of work, as Protocols."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, Self

from pydantic import Field

from core.conversation_state import ConversationKey, ConversationState
from core.models import (
    Attachment,
    Decision,
    Entry,
    Model,
    Priority,
    Rating,
    Status,
    Tab,
    Ticket,
)
from core.outbox import OutboxMessage
from core.ports_email import EmailChangeRepository
from core.ports_people import CompanyRepository, InviteRepository, UserRepository

Notices = Callable[[Ticket], builtins.list[OutboxMessage]]
"""What to tell about a new ticket: its outbox rows, made from it."""


class TicketQuery(Model):
    """A listing: tab, whose tickets, time window, text search, paging (R6, R8)."""

    tab: Tab = Tab.ALL
    company_id: int | None = None
    requester_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    """Only tickets nobody has taken yet (no responsible person, R12's queue)."""
    opened_since: datetime | None = None
    opened_before: datetime | None = None
    """The window's end, excluded (a month's listing: opened_since its first moment)."""
    taken_since: datetime | None = None
    """Only tickets their responsible got at or after this moment (Ticket.taken_at), the
    latest got first."""
    text: str | None = None
    statuses: list[Status] = Field(default_factory=list)
    billing_pending: bool = False
    """Only billable tickets whose charge the customer has not answered yet (R23)."""
    billable: bool = False
    """Only billable tickets, whatever the customer answered (R23: what to invoice)."""
    queue_order: bool = False
    """In the queue's order, critical with its urgency unmet first, then oldest first (R12),
    not newest first: an agent's Novos, the team's new work as Slack's queue shows it."""
    limit: int = 20
    offset: int = 0


class ClosedCount(Model):
    """Tickets closed or rejected in a report's window, of one responsible, status, decision
    and rating (R18-R20)."""

    assignee_id: int | None
    status: Status
    decision: Decision | None
    rating: Rating | None
    n: int


class OriginCount(Model):
    """Tickets opened in a report's window, of one origin and coverage (R22, R23)."""

    origin: str | None
    covered: bool | None
    billable: bool
    n: int


class ReportCounts(Model):
    """A report's raw counts over [since, until), as storage groups them."""

    opened: int = 0
    closed: list[ClosedCount] = Field(default_factory=list)
    origins: list[OriginCount] = Field(default_factory=list)
    not_approved: int = 0
    """Answers Não aprovar given in the window (R19)."""
    solutions_on_time: int = 0
    """Solutions sent in the window by their ticket's prazo de entrega (R13)."""
    solutions_late: int = 0
    ratings: dict[Rating, int] = Field(default_factory=dict)
    """Ratings given in the window (R20)."""


class ReportTimes(Model):
    """A report's times as storage reads them over [since, until): core counts business time.
    Instants are microseconds since the Unix epoch (core.calendar.micros): a month of every
    company is ~52 000 rows, and turning them into datetimes was most of its report."""

    taken: list[tuple[int, int, Priority]] = Field(default_factory=list)
    """(opened_at, assigned_at, priority) of each ticket first taken in the window (R14)."""
    solved: list[tuple[int, int]] = Field(default_factory=list)
    """(opened_at, closed_at) of each ticket closed in the window, rejected ones apart."""
    not_taken: int = 0
    """Tickets opened in the window that nobody has taken yet (R14)."""


class RatedComment(Model):
    """A rating given in a report's window with the customer's comment (R20)."""

    ticket_id: int
    period: str
    seq: int
    rating: Rating
    comment: str
    rated_at: datetime
    assignee_id: int | None = None


class LinkFailureRepository(Protocol):
    """Invite codes a chat conversation got wrong, used or expired (R2: guessing is stopped)."""

    def add(self, key: ConversationKey, at: datetime) -> None: ...
    def recent(self, key: ConversationKey, after: datetime) -> tuple[int, datetime | None]:
        """How many of the conversation's failures came after `after`, and the oldest of them."""
        ...
    def delete_before(self, before: datetime) -> int: ...


class TicketRepository(Protocol):
    """Tickets, their numbering (R1) and their listings."""

    def next_seq(self, period: str) -> int: ...
    def add(self, ticket: Ticket) -> Ticket: ...
    def add_numbered(self, ticket: Ticket, notices: Notices | None = None, *,
                     alone: bool = False) -> Ticket:
        """Give the ticket its period's next seq (R1) and add it, with notices(ticket).

        Where the database allows, the notices are written in the ticket's own statement:
        made from it before it has its id and number, they get both from the database. So
        notices only makes messages (it may be called twice) and quotes the ticket's id as
        ticket_id, its number as params["number"]; quoted elsewhere, they are written apart.
        alone: nothing else is written in this unit of work, now or later (the caller commits
        right after); where nothing was written before either, the ticket and its notices may
        then commit on their own, as that one statement.
        """
        ...
    def get(self, ticket_id: int) -> Ticket | None:
        """The ticket, locked until commit where the database needs it: read it to change it."""
        ...
    def read(self, ticket_id: int) -> Ticket | None:
        """The ticket as it stands, without a lock: to show it, never to change it."""
        ...
    def by_number(self, period: str, seq: int) -> Ticket | None: ...
    def update(self, ticket: Ticket) -> None: ...
    def list(self, query: TicketQuery) -> builtins.list[Ticket]: ...
    def count(self, query: TicketQuery, at_most: int | None = None) -> int:
        """How many tickets the listing holds; with at_most, counting stops past it: any
        count above at_most comes back as at_most + 1."""
        ...
    def count_by_company(self, query: TicketQuery, company_ids: builtins.list[int],
                         at_most: int | None = None) -> dict[int, int]:
        """How many tickets of each of these companies the listing holds (its own company
        and requester ignored), in one statement; companies with none left out. With
        at_most, any count above it may come back as at_most + 1."""
        ...
    def summary(self, company_id: int | None, requester_id: int | None) -> dict[Status, int]: ...
    def queue(self, limit: int, offset: int = 0) -> builtins.list[Ticket]: ...
    def awaiting_before(self, cutoff: datetime, limit: int, reminders_below: int | None = None,
                        *, lock: bool = True, offset: int = 0) -> builtins.list[Ticket]:
        """Awaiting approval since cutoff or earlier, longest first; lock=False to only show
        (and offset to show a later page)."""
        ...
    def due_before(self, cutoff: datetime, limit: int, warnings_below: int | None = 2,
                   *, lock: bool = True, priority: Priority | None = None, offset: int = 0
                   ) -> builtins.list[Ticket]:
        """In the queue and due by cutoff, earliest first (warnings_below=None: warned or not),
        of one priority if given; offset skips the first ones (a later page)."""
        ...
    def count_due_before(self, cutoff: datetime) -> int:
        """How many open tickets not awaiting approval are due by cutoff (R13)."""
        ...
    def new_before(self, cutoff: datetime, limit: int, priority: Priority | None = None
                   ) -> builtins.list[Ticket]:
        """Not taken and opened by cutoff, not flagged yet, oldest first (R14): Novo, or Em
        estimativa that nobody was ever responsible for (R16); of one priority if given (R12)."""
        ...
    def unreachable_on_telegram(self, requester_id: int) -> builtins.list[Ticket]:
        """The requester's tickets flagged because Telegram refused their messages."""
        ...
    def answer_awaited(self, requester_id: int, limit: int) -> builtins.list[Ticket]:
        """The requester's open tickets, not awaiting approval, whose last public trâmite is
        the team's (an agent asked something; R7), newest first: by the requester's index,
        each ticket's entries by theirs."""
        ...
    def report(self, since: datetime, until: datetime, company_id: int | None
               ) -> ReportCounts:
        """The report's counts over [since, until), of one company if given:
        grouped in the database, never every ticket read."""
        ...
    def report_times(self, since: datetime, until: datetime, company_id: int | None
                     ) -> ReportTimes:
        """The times of the tickets taken and closed in [since, until), of one
        company if given, and how many opened in it nobody has taken (R14)."""
        ...
    def rated_comments(self, since: datetime, until: datetime, company_id: int | None,
                       ratings: builtins.list[Rating], limit: int
                       ) -> builtins.list[RatedComment]:
        """The latest ratings of these marks given in [since, until) with a comment,
        newest first, at most limit, of one company if given (R20): read from the
        window's rating lines, never every ticket."""
        ...


class EntryRepository(Protocol):
    """Trâmites and their attachments (R7)."""

    def add(self, entry: Entry) -> Entry: ...
    def list(self, ticket_id: int, include_internal: bool) -> builtins.list[Entry]: ...
    def add_attachment(self, attachment: Attachment) -> Attachment: ...
    def attachments(self, ticket_id: int) -> builtins.list[Attachment]: ...


class OutboxRepository(Protocol):
    """Notifications written in the transaction of their cause."""

    def add(self, message: OutboxMessage) -> OutboxMessage: ...
    def add_many(self, messages: list[OutboxMessage]) -> list[OutboxMessage]: ...
    def add_unless_pending(self, messages: list[OutboxMessage], now: datetime,
                           also: list[tuple[str, str]] | None = None) -> list[OutboxMessage]:
        """Add each message (all of one channel, target and kind) unless a pending row no
        worker holds yet waits for its ticket with that target and kind, or one of `also`'s
        (target, kind): sent later, it draws what is current. The messages added."""
        ...
    def take_pending(self, channel: str, target: str, now: datetime
                     ) -> list[OutboxMessage]:
        """The pending rows of one destination, oldest first, marked sent now (a channel read
        by its person's own process: the terminal chat's)."""
        ...


class ConversationRepository(Protocol):
    """Chat conversation state; save fails with Conflict when the version moved."""

    def get(self, key: ConversationKey) -> ConversationState | None: ...
    def save(self, state: ConversationState) -> ConversationState: ...
    def delete(self, key: ConversationKey) -> None: ...
    def delete_stale(self, before: datetime) -> int: ...


class KeyValueRepository(Protocol):
    """Named documents the support team edits: the catalog, the coverage table."""

    def get(self, name: str) -> dict | None: ...
    def put(self, name: str, value: dict) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over every repository; nothing is kept unless commit() is called."""

    @property
    def companies(self) -> CompanyRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def invites(self) -> InviteRepository: ...
    @property
    def link_failures(self) -> LinkFailureRepository: ...
    @property
    def email_changes(self) -> EmailChangeRepository: ...
    @property
    def tickets(self) -> TicketRepository: ...
    @property
    def entries(self) -> EntryRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def documents(self) -> KeyValueRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def lock(self, name: str) -> bool:
        """Take a transaction-scoped exclusive lock by name; False if another holds it."""
        ...


class UnitOfWorkFactory(Protocol):
    """Opens a new unit of work."""

    def __call__(self) -> UnitOfWork: ...


__all__ = ["Priority", "TicketQuery", "UnitOfWork", "UnitOfWorkFactory"]
