"""What core needs from storage: repositories and a unit of work, as Protocols."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Protocol, Self

from pydantic import Field

from core.conversation_state import ConversationKey, ConversationState
from core.models import (
    Attachment,
    Company,
    Entry,
    Invite,
    Model,
    Priority,
    Status,
    Tab,
    Ticket,
    User,
)
from core.outbox import OutboxMessage


class TicketQuery(Model):
    """A listing: tab, whose tickets, time window, text search, paging (R6, R8)."""

    tab: Tab = Tab.ALL
    company_id: int | None = None
    requester_id: int | None = None
    assignee_id: int | None = None
    opened_since: datetime | None = None
    text: str | None = None
    statuses: list[Status] = Field(default_factory=list)
    limit: int = 20
    offset: int = 0


class CompanyRepository(Protocol):
    """Client companies."""

    def add(self, company: Company) -> Company: ...
    def get(self, company_id: int) -> Company | None: ...
    def by_name(self, name: str) -> Company | None: ...
    def list(self) -> builtins.list[Company]: ...


class UserRepository(Protocol):
    """Users of every role, with the companies they belong to."""

    def add(self, user: User) -> User: ...
    def get(self, user_id: int) -> User | None: ...
    def by_email(self, email: str) -> User | None: ...
    def by_telegram(self, telegram_id: int) -> User | None: ...
    def by_slack(self, slack_id: str) -> User | None: ...
    def update(self, user: User) -> None: ...
    def list(self, company_id: int | None = None) -> builtins.list[User]: ...


class InviteRepository(Protocol):
    """One-time invite codes (R2)."""

    def add(self, invite: Invite) -> None: ...
    def get(self, code: str) -> Invite | None: ...
    def update(self, invite: Invite) -> None: ...
    def delete_expired(self, now: datetime) -> int: ...


class TicketRepository(Protocol):
    """Tickets, their numbering (R1) and their listings."""

    def next_seq(self, period: str) -> int: ...
    def add(self, ticket: Ticket) -> Ticket: ...
    def get(self, ticket_id: int) -> Ticket | None: ...
    def by_number(self, period: str, seq: int) -> Ticket | None: ...
    def update(self, ticket: Ticket) -> None: ...
    def list(self, query: TicketQuery) -> builtins.list[Ticket]: ...
    def count(self, query: TicketQuery) -> int: ...
    def summary(self, company_id: int | None, requester_id: int | None) -> dict[Status, int]: ...
    def queue(self, limit: int, offset: int = 0) -> builtins.list[Ticket]: ...
    def awaiting_before(self, cutoff: datetime, limit: int, reminders_below: int | None = None
                        ) -> builtins.list[Ticket]: ...
    def due_before(self, cutoff: datetime, limit: int, warnings_below: int = 2
                   ) -> builtins.list[Ticket]: ...
    def new_before(self, cutoff: datetime, limit: int) -> builtins.list[Ticket]: ...


class EntryRepository(Protocol):
    """Trâmites and their attachments (R7)."""

    def add(self, entry: Entry) -> Entry: ...
    def list(self, ticket_id: int, include_internal: bool) -> builtins.list[Entry]: ...
    def add_attachment(self, attachment: Attachment) -> Attachment: ...
    def attachments(self, ticket_id: int) -> builtins.list[Attachment]: ...


class OutboxRepository(Protocol):
    """Notifications written in the transaction of their cause."""

    def add(self, message: OutboxMessage) -> OutboxMessage: ...


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

    companies: CompanyRepository
    users: UserRepository
    invites: InviteRepository
    tickets: TicketRepository
    entries: EntryRepository
    outbox: OutboxRepository
    conversations: ConversationRepository
    documents: KeyValueRepository

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
