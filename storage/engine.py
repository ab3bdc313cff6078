"""Engines for SQLite and PostgreSQL, configured for our concurrency rules."""

from __future__ import annotations

import contextlib
import os
import select
import threading
import weakref
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError

from storage.pg_cursor import lazy_cursor, sized_ints

try:
    import fcntl
except ImportError:  # Windows: processes meet SQLite's busy timeout
    fcntl = None  # type: ignore[assignment]

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str | URL) -> URL:
    """Pick the driver ourselves: pysqlite for SQLite, psycopg 3 for PostgreSQL."""
    u = make_url(url) if isinstance(url, str) else url
    backend = u.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return u.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return u.set(drivername="sqlite")
    raise ValueError(f"unsupported database URL: {u.render_as_string(hide_password=True)}")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Create an engine for a sqlite:/// or postgresql:// URL."""
    u = normalize_url(url)
    if u.get_backend_name() == "sqlite":
        return _sqlite_engine(u, **kwargs)
    options: dict[str, Any] = {}
    if "poolclass" not in kwargs:
        options.update(pool_size=5, max_overflow=10, pool_recycle=1800)
    options.update(kwargs)
    options["connect_args"] = {"cursor_factory": lazy_cursor(), **options.get("connect_args", {})}
    sized_ints()  # registered before any connection copies psycopg's adapters
    engine = create_engine(u, **options)
    event.listen(engine, "checkout", _replace_if_hung_up)
    return engine


def _replace_if_hung_up(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Checkout: a pooled connection whose server hung up (restart, terminated backend, idle
    timeout) is replaced before use, without pool_pre_ping's round trip per transaction.

    An idle connection has nothing to read unless the server said goodbye (an error, then
    EOF); the pool retries the checkout with a new connection when this raises.
    """
    if hung_up(dbapi_connection):
        raise DisconnectionError("the server closed the connection")


def hung_up(dbapi_connection: Any) -> bool:
    """Whether a psycopg connection was closed, or its idle socket has something to read (the
    server's goodbye: an error, then EOF)."""
    return bool(dbapi_connection.closed) or _readable(dbapi_connection.fileno())


def _readable(fd: int) -> bool:
    """Whether a socket has something to read right now (poll: no limit on the fd number)."""
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class ImmediateSQLite(SQLiteDialect_pysqlite):
    """pysqlite whose transactions all begin with BEGIN IMMEDIATE (DESIGN.md, decision 4).

    A deferred read lock upgraded later fails with "database is locked" under load. Done in the
    dialect rather than with a "begin" event: any connection event makes SQLAlchemy dispatch
    events around every statement (measured: 16-18 → 12.5 µs per indexed SELECT, 50 → 29 µs
    per one-SELECT transaction).
    """

    supports_statement_cache = True

    def do_begin(self, dbapi_connection: Any) -> None:
        dbapi_connection.execute("BEGIN IMMEDIATE")


registry.register("sqlite.immediate", __name__, "ImmediateSQLite")


def _sqlite_engine(url: URL, **kwargs: Any) -> Engine:
    engine = create_engine(url.set(drivername="sqlite+immediate"), **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from sqlite3: the dialect begins every transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    return engine


def on_disk(engine: Engine) -> bool:
    """Whether the engine is SQLite on a file (an in-memory database has no log to copy, and
    closing its pooled connections would drop it)."""
    database = engine.url.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in database \
        or engine.url.query.get("mode") == "memory"
    return is_sqlite(engine) and not in_memory


def checkpoint_in_background(engine: Engine) -> None:
    """From now on the engine's SQLite connections leave checkpoints to `checkpoint`.

    SQLite otherwise copies the write-ahead log into the database file inside the commit that
    crosses 1 000 pages of log, and the chat step behind that commit waited 10-20 ms for it
    (the slowest commits of a paced run). `helpdesk run` calls `checkpoint` every second.
    """
    if not event.contains(engine, "connect", _no_autocheckpoint):
        event.listen(engine, "connect", _no_autocheckpoint)
    engine.dispose()  # connections already pooled come back with the setting


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint = 0")


def checkpoint(engine: Engine) -> tuple[int, int, int]:
    """Copy what the log holds into the database file, waiting for no reader or writer
    (SQLite's PASSIVE checkpoint): (busy, frames in the log, frames copied)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        row = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        cursor.close()
    finally:
        raw.close()
    busy, logged, copied = row
    return int(busy), int(logged), int(copied)


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


_turns: weakref.WeakKeyDictionary[Engine, _Turn] = weakref.WeakKeyDictionary()
_turns_guard = threading.Lock()
_NO_TURN = contextlib.nullcontext()


def turn(engine: Engine) -> contextlib.AbstractContextManager[Any]:
    """Hold this process's turn on a SQLite database (a no-op on PostgreSQL): `with turn(e):`.

    SQLite admits one writer, and its busy handler waits by sleeping (1, 2, 5… up to 100 ms a
    try): threads of one process queue on a lock instead, and processes on the same file (chat
    processes, instances) on an flock of `<database>-turn`, so the next one starts the moment
    the previous transaction ends.
    """
    if not is_sqlite(engine):
        return _NO_TURN
    found = _turns.get(engine)
    if found is None:
        with _turns_guard:
            found = _turns.setdefault(engine, _Turn(_turn_path(engine)))
    return found


def _turn_path(engine: Engine) -> str | None:
    """The file whose flock orders this database's processes (none in memory or on Windows)."""
    if fcntl is None or not on_disk(engine):
        return None
    return f"{engine.url.database}-turn"


_this_thread = threading.local()


def _held_here() -> dict[str, int]:
    """This thread's holds per turn file (over every engine)."""
    held = getattr(_this_thread, "files", None)
    if held is None:
        held = _this_thread.files = {}
    return held


class _Turn:
    """One process's turn on one SQLite file: re-entrant in its thread; the file lock is taken
    by the outermost hold only (threads of one process share the lock file's descriptor)."""

    def __init__(self, path: str | None) -> None:
        self._lock = threading.RLock()
        self._depth = 0
        self._path = path
        self._fd: int | None = None
        self._pid = 0
        self._flocked = False

    def __enter__(self) -> None:
        self._lock.acquire()
        self._depth += 1
        if self._depth == 1 and self._path is not None:
            held = _held_here()
            # Another engine's turn on this file held by this thread: waiting on the file would
            # never end (SQLite's own lock then says "database is locked", as before).
            self._flocked = not held.get(self._path)
            try:
                if self._flocked:
                    fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
            except BaseException:
                self._depth -= 1
                self._lock.release()
                raise
            held[self._path] = held.get(self._path, 0) + 1

    def __exit__(self, *exc: object) -> None:
        try:
            self._depth -= 1
            if self._depth == 0 and self._path is not None:
                _held_here()[self._path] -= 1
                if self._flocked and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()

    def _descriptor(self) -> int:
        # A forked child has its parent's descriptor, and with it the parent's flock: its own.
        if self._fd is None or self._pid != os.getpid():
            assert self._path is not None
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            self._pid = os.getpid()
            weakref.finalize(self, os.close, self._fd)
        return self._fd
