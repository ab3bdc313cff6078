"""Which channels a notice written now goes out on, as the outbox's heartbeats tell (the chat
promises an e-mail only when one will go)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bots.runtime import Clock, utc_now
from storage.outbox_sql import OutboxQueue

Channels = Callable[[], Collection[str]]

log = logging.getLogger(__name__)


def none() -> Collection[str]:
    """No channel dispatched here."""
    return ()


class Reach:
    """The channels this instance dispatches, those of every instance seen within `grace`
    (OutboxQueue.beat fails only the rows none of them serves) and, while no instance is
    live at all, those `configured` here: their rows wait for the `helpdesk run` that will
    send them. Read at most every `every` seconds; a heartbeat's age by the database's clock on
    PostgreSQL (instances on other machines date theirs by it), `clock` on SQLite."""

    def __init__(self, engine: Engine, grace: float, *, dispatching: Channels = none,
                 configured: Collection[str] = (), every: float = 2.0,
                 clock: Clock = utc_now) -> None:
        self.queue = OutboxQueue(engine)
        self.grace = timedelta(seconds=grace)
        self.dispatching = dispatching
        self.configured = frozenset(configured)
        self.every = every
        self.clock = clock
        self._lock = threading.Lock()
        self._read_at = float("-inf")
        self._live: frozenset[str] | None = None

    def __call__(self) -> frozenset[str]:
        """The channels a notice written now goes out on."""
        return frozenset(self.dispatching()) | self._heartbeats()

    def _heartbeats(self) -> frozenset[str]:
        with self._lock:
            if self._live is None or time.monotonic() - self._read_at >= self.every:
                self._read_at = time.monotonic()
                try:
                    workers = self.queue.live(self.clock(), self.grace)
                except SQLAlchemyError as exc:  # the use case runs on; it promises less
                    log.warning("could not read the outbox heartbeats: %s", exc)
                    return self._live or frozenset()
                live = {c for w in workers for c in w.channels}
                self._live = frozenset(live) if workers else self.configured
            return self._live
