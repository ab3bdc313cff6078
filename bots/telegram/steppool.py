"""Conversation steps in processes of their own, so a busy bot uses more than one core.

The adapter's process keeps the updates, their order per chat and the Bot API calls; each
step (one transaction: read the chat, run the engine, write) goes to one of these processes.
A step is CPU-bound Python: in the adapter's threads it waits for the one interpreter lock,
here the operating system runs it beside the adapter. A process that dies (killed, out of
memory) is replaced, and the step runs again in the new one; if the dead one had committed
it, the answer it wrote is sent then (steps.Inbound.lost).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bots.runtime import Desk
from bots.telegram.steps import Inbound, Outcome, converse
from core.policy import Policy

log = logging.getLogger(__name__)
START_SECONDS = 120.0
"""How long the processes may take to start (each imports the application, opens the database)."""

_desk: Desk | None = None
"""The step process's own desk (its own connections)."""


def _open(database_url: str, reference_cache_seconds: float, policy: Policy) -> None:
    global _desk  # noqa: PLW0603  (one per step process, made when it starts)
    from bots.bootstrap import make_store

    # Ctrl-C or a service stop reaches the whole process group: the adapter finishes the steps
    # in hand, then ends these processes itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    _desk = Desk(make_store(database_url, reference_cache_seconds), policy, workers=1)


def _pid() -> int:
    return os.getpid()


def _converse(inbound: Inbound) -> Outcome:
    assert _desk is not None
    return _desk.call(converse, inbound)


class StepProcesses:
    """A pool of step processes on the adapter's database."""

    def __init__(self, processes: int, database_url: str, policy: Policy,
                 reference_cache_seconds: float = 5) -> None:
        self.processes = processes
        self._args = (database_url, reference_cache_seconds, policy)
        self._pool = self._new_pool()
        self._pids: set[int] = set()
        self._replacing = asyncio.Lock()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: the adapter has threads (the desk's, aiohttp's); a fork would copy their locks.
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_open, initargs=self._args)

    async def start(self) -> None:
        """Start every process now (each opens the database), not under the first updates."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + START_SECONDS
        pids: set[int] = set()
        # One process can answer several of these while another is still starting.
        while len(pids) < self.processes and time.monotonic() < deadline:
            pids.update(await asyncio.gather(*(loop.run_in_executor(self._pool, _pid)
                                               for _ in range(self.processes))))
            if len(pids) < self.processes:
                await asyncio.sleep(0.05)
        self._pids = pids

    def pids(self) -> list[int]:
        """The process ids of the step processes."""
        return sorted(self._pids)

    async def converse(self, inbound: Inbound) -> Outcome:
        """One step in a step process (again in a new one if its process died)."""
        pool = self._pool
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, _converse, inbound)
        except BrokenProcessPool:
            log.warning("a Telegram step process died; starting new ones")
            await self._replace(pool)
            # It may have died after its commit: the answer it wrote is then sent now.
            return await asyncio.get_running_loop().run_in_executor(
                self._pool, _converse, dataclasses.replace(inbound, lost=True))

    async def _replace(self, broken: ProcessPoolExecutor) -> None:
        async with self._replacing:
            if self._pool is not broken:  # another step replaced it already
                return
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            await self.start()

    def close(self) -> None:
        """Wait for the steps in hand, then end the processes."""
        self._pool.shutdown(wait=True)
