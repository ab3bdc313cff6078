"""Group commit: calls that arrive while a transaction runs share the next one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from bots.runtime import Desk
from core.services.context import Ctx

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    """Runs `many(ctx, items)` for the items gathered meanwhile, in one call (one transaction
    unless `many` commits as it goes: bots.telegram.steps.converse_many on PostgreSQL).

    One caller alone gets a call of its own at once; under a burst, the callers that arrive
    while `writers` calls run are written together by the next (at most `most`), saving a
    trip to a database thread each (and a BEGIN and a COMMIT in one transaction). If the
    call fails, every caller in it gets the error. One writer suits SQLite's single writer;
    on PostgreSQL a few let the server run one call's statements while this process
    prepares the next.
    """

    def __init__(self, desk: Desk, many: Callable[[Ctx, list[Item]], Sequence[Result]], *,
                 most: int = 64, writers: int = 1) -> None:
        self.desk = desk
        self.many = many
        self.most = most
        self.writers = max(1, writers)
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._running: set[asyncio.Task[None]] = set()
        self._written = 0
        """Callers whose transaction is running."""
        self.transactions = 0

    @property
    def in_hand(self) -> int:
        """Callers whose transaction has not ended (running, or waiting for the next)."""
        return len(self._waiting) + self._written

    async def __call__(self, item: Item) -> Result:
        """Write one item (with whatever else is waiting) and return its result."""
        done: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, done))
        self._running = {w for w in self._running if not w.done()}
        if len(self._running) < self.writers:
            self._running.add(asyncio.create_task(self._write()))
        return await done

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:self.most], self._waiting[self.most:]
            self._written += len(batch)
            self.transactions += 1
            try:
                results = await self.desk.acall(self.many, [item for item, _ in batch])
            except asyncio.CancelledError:
                for _, done in batch + self._waiting:
                    done.cancel()
                self._waiting = []
                raise
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            finally:
                self._written -= len(batch)
            for (_, done), result in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(result)
