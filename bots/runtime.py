"""The one façade the edges use to run a core use case in its own transaction."""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from core.errors import HelpdeskError
from core.policy import Policy
from core.ports import UnitOfWorkFactory
from core.services.context import Ctx, Reach, nowhere

if TYPE_CHECKING:  # asyncio, for the event loops: a one-shot command needs none
    from bots.threads import Threads

P = ParamSpec("P")
T = TypeVar("T")
Clock = Callable[[], datetime]

log = logging.getLogger(__name__)

TRANSIENT_MESSAGES = (
    "database is locked",
    "database table is locked",
    "could not serialize access",
    "deadlock detected",
    "serialization failure",
)
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})


def utc_now() -> datetime:
    """The wall clock, timezone-aware."""
    return datetime.now(UTC)


def is_transient(exc: BaseException) -> bool:
    """Say whether a database error is worth retrying (lock, serialization, deadlock)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        err = todo.pop()
        if err is None or id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, HelpdeskError):
            return False
        state = getattr(err, "sqlstate", None) or getattr(err, "pgcode", None)
        if state in TRANSIENT_SQLSTATES:
            return True
        if any(marker in str(err).lower() for marker in TRANSIENT_MESSAGES):
            return True
        todo.extend([getattr(err, "orig", None), err.__cause__, err.__context__])
    return False


class Desk:
    """Runs use cases: one unit of work, the time, the policy; commit on success.

    `call` is synchronous; `acall` runs the same in a bounded thread pool so the event loop
    never waits on the database.
    """

    def __init__(self, store: UnitOfWorkFactory, policy: Policy | None = None, *,
                 clock: Clock = utc_now, workers: int = 8, attempts: int = 5,
                 backoff: float = 0.02, sleep: Callable[[float], None] = time.sleep,
                 reach: Reach = nowhere) -> None:
        self.store = store
        self.policy = policy or Policy()
        self.reach = reach
        """The channels a notice written now goes out on (bots.delivery.reach)."""
        self.clock = clock
        self.workers = workers
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self._sleep = sleep
        self._threads: Threads | None = None
        self._lock = threading.Lock()

    def call(self, fn: Callable[Concatenate[Ctx, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run fn(ctx, *args, **kwargs) in a new transaction and commit; retry transient errors."""
        # Read before the transaction: on SQLite a second connection would wait on this one.
        reached = frozenset(self.reach())
        for attempt in range(1, self.attempts + 1):
            try:
                with self.store() as uow:
                    result = fn(Ctx(uow, now=self._now(), policy=self.policy,
                                    reach=lambda: reached), *args, **kwargs)
                    uow.commit()
                    return result
            except HelpdeskError:
                raise
            except Exception as exc:
                if attempt == self.attempts or not is_transient(exc):
                    raise
                delay = self.backoff * 2 ** (attempt - 1) * (1 + random.random())
                log.warning("transient database error in %s (attempt %d), retrying: %s",
                            getattr(fn, "__name__", fn), attempt, exc)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def acall(self, fn: Callable[Concatenate[Ctx, P], T], *args: P.args,
                    **kwargs: P.kwargs) -> T:
        """Await `call` run in the worker pool."""
        return await self.threads.submit(functools.partial(self.call, fn, *args, **kwargs))

    async def run_sync(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Await any blocking function (e.g. an outbox claim) in the same worker pool."""
        return await self.threads.submit(functools.partial(fn, *args, **kwargs))

    @property
    def threads(self) -> Threads:
        """The bounded pool of database threads, started on first use."""
        threads = self._threads
        if threads is None:
            with self._lock:
                if self._threads is None:
                    from bots.threads import Threads

                    self._threads = Threads(self.workers, "desk")
                threads = self._threads
        return threads

    def at(self, moment: datetime) -> Desk:
        """A desk over the same store whose clock is stopped at `moment`."""
        return Desk(self.store, self.policy, clock=lambda: moment, workers=self.workers,
                    attempts=self.attempts, backoff=self.backoff, sleep=self._sleep,
                    reach=self.reach)

    def close(self) -> None:
        """Stop the worker pool, waiting for running calls."""
        with self._lock:
            threads, self._threads = self._threads, None
        if threads is not None:
            threads.stop()

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the desk clock must return timezone-aware datetimes")
        return now
