"""The SQL unit of work and its factory."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any, Generic, Self, TypeVar, overload

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from storage.engine import make_engine, turn
from storage.sql.delivery import (
    SqlInboundEvents,
    SqlOutbox,
    SqlSlackCards,
    SqlSlackDevPosts,
    SqlSlackHomes,
    SqlSlackKeptNotes,
    SqlSlackOpenedCards,
)
from storage.sql.documents import DocumentCache, SqlDocuments
from storage.sql.kept import Kept
from storage.sql.people import (
    SqlCompanies,
    SqlEmailChanges,
    SqlInvites,
    SqlLinkFailures,
    SqlUsers,
)
from storage.sql.threads import SqlConversations, SqlEntries
from storage.sql.tickets import SqlTickets

R = TypeVar("R")


class _Repo(Generic[R]):
    """A repository made on its first use in a `with` block: a use case touches few of them."""

    def __init__(self, make: Callable[[SqlUnitOfWork], R]) -> None:
        self.make = make
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> Self: ...
    @overload
    def __get__(self, uow: SqlUnitOfWork, owner: type) -> R: ...

    def __get__(self, uow: SqlUnitOfWork | None, owner: type) -> Self | R:
        if uow is None:
            return self
        repo = self.make(uow)
        uow.__dict__[self.name] = repo  # kept until the with block ends
        return repo


class SqlUnitOfWork:
    """One connection, one transaction at a time; nothing is kept unless commit() is called.

    A transaction begins with the first statement (BEGIN IMMEDIATE on SQLite) and ends at
    commit() or rollback(); the unit of work may then go on with a new one.
    """

    companies = _Repo(lambda uow: SqlCompanies(uow.connection))
    users = _Repo(lambda uow: SqlUsers(uow.connection))
    invites = _Repo(lambda uow: SqlInvites(uow.connection))
    link_failures = _Repo(lambda uow: SqlLinkFailures(uow.connection))
    email_changes = _Repo(lambda uow: SqlEmailChanges(uow.connection))
    tickets = _Repo(lambda uow: SqlTickets(uow.connection))
    entries = _Repo(lambda uow: SqlEntries(uow.connection))
    outbox = _Repo(lambda uow: SqlOutbox(uow.connection))
    conversations = _Repo(lambda uow: SqlConversations(uow.connection))
    documents = _Repo(lambda uow: SqlDocuments(uow.connection, uow._documents))
    inbound = _Repo(lambda uow: SqlInboundEvents(uow.connection))
    slack_cards = _Repo(lambda uow: SqlSlackCards(uow.connection))
    slack_dev_posts = _Repo(lambda uow: SqlSlackDevPosts(uow.connection))
    slack_homes = _Repo(lambda uow: SqlSlackHomes(uow.connection))
    slack_opened_cards = _Repo(lambda uow: SqlSlackOpenedCards(uow.connection))
    slack_kept_notes = _Repo(lambda uow: SqlSlackKeptNotes(uow.connection))
    _documents: DocumentCache

    def __init__(self, engine: Engine, documents: DocumentCache | None = None,
                 kept: Kept | None = None) -> None:
        self.engine = engine
        self._documents = documents if documents is not None else DocumentCache(0)
        self._kept = kept
        self._conn: Connection | None = None
        self._since = 0.0
        self._turn: contextlib.AbstractContextManager[Any] | None = None
        self._aside: list[Any] = []
        """Repositories of parts done (see part) told at the transaction's end (_ended)."""

    @property
    def connection(self) -> Connection:
        """The open connection (only inside the with block)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._conn

    def __enter__(self) -> Self:
        held = turn(self.engine)
        held.__enter__()
        try:
            if self._kept is None:
                self._conn = self.engine.connect()
            else:
                self._since, self._conn = self._kept.take()
        except BaseException:
            held.__exit__(None, None, None)
            raise
        self._turn = held
        for name in _REPOS:  # a new with block starts with new repositories
            self.__dict__.pop(name, None)
        self._aside = []
        return self

    def __exit__(self, *exc: object) -> None:
        conn, self._conn = self._conn, None
        try:
            if conn is not None:
                done = False
                try:
                    conn.rollback()
                    if self._kept is not None:
                        self._kept.give(self._since, conn)
                        done = True
                finally:
                    if not done:
                        conn.close()
        finally:
            held, self._turn = self._turn, None
            if held is not None:
                held.__exit__(None, None, None)

    def begin(self) -> None:
        """Open the transaction now, if none is (BEGIN IMMEDIATE on SQLite: it waits for the
        write lock here, not in the first part)."""
        if not self.connection.in_transaction():
            self.connection.begin()

    @contextlib.contextmanager
    def part(self, undo: bool = True) -> Iterator[None]:
        """A part of the transaction undone alone if it raises (a savepoint), with repositories
        of its own: several use cases share one commit (bots.telegram.steps.converse_many),
        each as if in a transaction of its own. Without `undo`, no savepoint: the repositories
        only (use cases run one after another, each committed or rolled back by the caller
        before the next: bots.telegram.steps._one_by_one)."""
        conn = self.connection
        self._set_aside()
        self.begin()
        # SQLite's savepoint on its own connection: SQLAlchemy's runs its two statements through
        # an execution context each, as much CPU as sharing the commit saves a small step.
        raw: Any = conn.connection.driver_connection \
            if undo and conn.dialect.name == "sqlite" else None
        nested = conn.begin_nested() if undo and raw is None else None
        if raw is not None:
            raw.execute("SAVEPOINT part")
        try:
            yield
            self._flush_held()
        except BaseException:
            if raw is not None:
                raw.execute("ROLLBACK TO part")
                raw.execute("RELEASE part")
            elif nested is not None and nested.is_active:
                nested.rollback()
            for name in _ENDED:  # what the part read or wrote is forgotten, as at a rollback
                repo = self.__dict__.get(name)
                if repo is not None:
                    repo.ended(False)
            for name in _REPOS:
                self.__dict__.pop(name, None)
            raise
        if raw is not None:
            raw.execute("RELEASE part")
        elif nested is not None:
            nested.commit()
        self._set_aside()

    def _set_aside(self) -> None:
        """The repositories made so far go (the next part makes its own); those told of the
        transaction's end are kept for then (_ended)."""
        for name in _REPOS:
            repo = self.__dict__.pop(name, None)
            if repo is not None and name in _ENDED:
                self._aside.append(repo)

    def _flush_held(self) -> None:
        for held in ("conversations", "inbound"):  # writes held for a later statement
            repo = self.__dict__.get(held)
            if repo is not None:
                repo.flush()

    def commit(self) -> None:
        """Keep everything done since the transaction began."""
        conn, committed = self.connection, False
        try:
            self._flush_held()
            conn.commit()
            committed = True
        finally:
            self._ended(committed)

    def rollback(self) -> None:
        """Discard everything done since the transaction began."""
        conn = self.connection
        try:
            conn.rollback()
        finally:
            self._ended(committed=False)

    def _ended(self, committed: bool) -> None:
        aside, self._aside = self._aside, []
        for repo in aside:
            repo.ended(committed)
        for name in _ENDED:
            repo = self.__dict__.get(name)
            if repo is not None:
                repo.ended(committed)

    def lock(self, name: str) -> bool:
        """Take a transaction-scoped lock; SQLite's BEGIN IMMEDIATE already serializes writers."""
        conn = self.connection
        if conn.dialect.name != "postgresql":
            return True
        stmt = text("SELECT pg_try_advisory_xact_lock(hashtext(:name))")
        return bool(conn.execute(stmt, {"name": name}).scalar_one())


_REPOS = [name for name, value in vars(SqlUnitOfWork).items() if isinstance(value, _Repo)]
_ENDED = ("documents", "tickets")
"""The repositories told when their transaction ends (what they keep of it)."""


class SqlStore:
    """A unit-of-work factory over one engine (shared by every unit of work it opens).

    On SQLite a unit of work holds the process's turn (storage.engine.turn) while open.
    Reference documents (catalog, coverage table, knowledge base) read by its units of work
    are kept `reference_cache_seconds` (0: every unit of work reads the database).
    """

    def __init__(self, url_or_engine: str | URL | Engine, *,
                 reference_cache_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if isinstance(url_or_engine, Engine):
            self.engine = url_or_engine
        else:
            self.engine = make_engine(url_or_engine)
        self.documents = DocumentCache(reference_cache_seconds, clock)
        self.kept = Kept(self.engine)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.documents, self.kept)

    def dispose(self) -> None:
        """Close the pooled connections (and those kept between units of work)."""
        self.kept.close()
        self.engine.dispose()
