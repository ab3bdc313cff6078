"""Connections kept checked out between units of work, for the next one to take.

A unit of work checked a connection out of SQLAlchemy's pool and back in each time: the
pool's queue and lock, the checkout's weak-reference finalizer, a Connection joined to the
engine's events, and on PostgreSQL the checkout event's look at the socket. That is ~25 µs of
CPU per unit of work in a loaded chat burst, and ~30 more in its return (bench notes in
bench/HISTORY.md). A connection a unit of work ends with, rolled back and idle, is kept here
instead, at most `most` of them, each at most `seconds` since it left the pool (then it goes
back, where pool_recycle and the pool's own checks apply). One is taken only as it would leave
the pool: not closed or invalidated, its pool still the engine's (engine.dispose() empties
this too, in effect), and on PostgreSQL with no goodbye from the server waiting on its socket.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.pool import QueuePool

from storage.engine import hung_up

_PG_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE


class Kept:
    """Idle connections of one engine, most recently used first."""

    def __init__(self, engine: Engine, most: int = 8, seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        # Only a pool whose connections may change threads (not SQLite's in-memory ones).
        self.most = most if isinstance(engine.pool, QueuePool) else 0
        self.seconds = seconds
        self.clock = clock
        self._idle: deque[tuple[float, Any, Connection]] = deque()
        self._postgres = engine.dialect.name == "postgresql"

    def take(self) -> tuple[float, Connection]:
        """An idle connection still fit for use, else a new one from the engine; with the
        moment it left the pool."""
        while True:
            try:
                since, pool, conn = self._idle.pop()  # atomic: threads share this
            except IndexError:
                return self.clock(), self.engine.connect()
            if pool is self.engine.pool and self.clock() - since < self.seconds \
                    and not (self._postgres and hung_up(conn.connection.dbapi_connection)):
                return since, conn
            self._drop(conn)

    def give(self, since: float, conn: Connection) -> None:
        """Keep a connection its unit of work is done with (rolled back), or close it: back to
        the pool (a broken one is discarded there)."""
        if conn.closed or conn.invalidated or not self._idle_driver(conn) \
                or len(self._idle) >= self.most or self.clock() - since >= self.seconds:
            conn.close()
            return
        self._idle.append((since, self.engine.pool, conn))

    def close(self) -> None:
        """Close the idle connections: back to the pool."""
        while True:
            try:
                _, _, conn = self._idle.pop()
            except IndexError:
                return
            self._drop(conn)

    def _idle_driver(self, conn: Connection) -> bool:
        """Whether the driver's connection is outside any transaction (as the pool's reset on
        return would leave it): statements run around SQLAlchemy's back are not kept open."""
        raw: Any = conn.connection.dbapi_connection
        if self._postgres:
            info = getattr(raw, "info", None)
            return info is not None and info.transaction_status == _PG_IDLE \
                and not raw.autocommit
        return not getattr(raw, "in_transaction", True)

    def _drop(self, conn: Connection) -> None:
        if not conn.closed and not conn.invalidated and self._postgres \
                and hung_up(conn.connection.dbapi_connection):
            conn.invalidate()
        conn.close()
