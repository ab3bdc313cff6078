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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bots.runtime import Desk
from bots.startwait import where
from bots.telegram.steps import Inbound, Outcome, converse
from core.i18n import t
from core.policy import Policy

log = logging.getLogger(__name__)
START_SECONDS = 120.0
"""How long the processes may take to start (each imports the application, opens the database)."""

_desk: Desk | None = None
"""The step process's own desk (its own connections)."""
_failed: str | None = None
"""Why the step process could not open the database, in one line (then it has no desk)."""
_opening: tuple[str, float, Policy] | None = None
"""What _open was given, to try again at a step when it failed."""


class StartFailed(RuntimeError):
    """Processes of the bot's own (step or chat processes) did not start; the message is the
    line to show (in LANGUAGE)."""


def leave_signals_to_the_bot() -> None:
    """Ctrl-C or a service stop reaches the whole process group: the bot's process finishes
    the work in hand, then ends this one itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _open(database_url: str, reference_cache_seconds: float, policy: Policy) -> None:
    global _opening  # noqa: PLW0603  (one per step process, made when it starts)
    leave_signals_to_the_bot()
    _opening = (database_url, reference_cache_seconds, policy)
    _connect(*_opening)


def _connect(database_url: str, reference_cache_seconds: float, policy: Policy) -> None:
    """The process's desk, connected once now: a process that cannot reach the database says
    so at start, in _pid's answer (an initializer's exception would only break the pool, with
    a traceback), and tries again at its next step."""
    global _desk, _failed  # noqa: PLW0603
    from sqlalchemy.exc import OperationalError

    from storage.sql import SqlStore

    store: SqlStore | None = None
    try:
        store = SqlStore(database_url, reference_cache_seconds=reference_cache_seconds)
        store.engine.connect().close()
    except Exception as exc:
        if store is not None:
            store.dispose()
        cause = exc.orig if isinstance(exc, OperationalError) else exc
        _failed = " ".join(str(cause).split()) or type(cause).__name__
        return
    _desk, _failed = Desk(store, policy, workers=1), None


def _pid() -> tuple[int, str | None]:
    """The process id, and why it could not open the database (None: it did)."""
    return os.getpid(), _failed


def _converse(inbound: Inbound) -> Outcome:
    if _desk is None and _opening is not None:
        _connect(*_opening)
    if _desk is None:
        raise RuntimeError(f"this Telegram step process has no database: {_failed}")
    return _desk.call(converse, inbound)


class StepProcesses:
    """A pool of step processes on the adapter's database."""

    def __init__(self, processes: int, database_url: str, policy: Policy,
                 reference_cache_seconds: float = 5, language: str = "pt_BR") -> None:
        self.processes = processes
        self.language = language
        self._where = database_url
        self._args = (database_url, reference_cache_seconds, policy)
        self._pool = self._new_pool()
        self._pids: set[int] = set()
        self._replacing = asyncio.Lock()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: the adapter has threads (the desk's, aiohttp's); a fork would copy their locks.
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_open, initargs=self._args)

    async def start(self) -> None:
        """Start every process now (each opens the database), not under the first updates.

        StartFailed when one cannot open the database or none started within START_SECONDS;
        fewer than asked within that time is a warning (the others join once started)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_SECONDS
        pids: set[int] = set()
        try:
            # One process can answer several of these while another is still starting.
            while len(pids) < self.processes and (left := deadline - loop.time()) > 0:
                calls = [loop.run_in_executor(self._pool, _pid) for _ in range(self.processes)]
                done, _ = await asyncio.wait(calls, timeout=left)
                for call in done:
                    pid, failed = call.result()
                    if failed is not None:
                        raise StartFailed(self._say("run.telegram_steps_no_database",
                                                    reason=failed))
                    pids.add(pid)
                if len(pids) < self.processes:
                    await asyncio.sleep(0.05)
        except BrokenProcessPool as exc:
            raise StartFailed(self._say("run.telegram_steps_ended", reason=str(exc))) from None
        self._pids = pids
        if not pids:
            raise StartFailed(self._say("run.telegram_steps_none"))
        if len(pids) < self.processes:
            log.warning("%s", self._say("run.telegram_steps_fewer", started=len(pids)))

    def _say(self, key: str, **params: object) -> str:
        url = self._where
        return t(key, self.language, processes=self.processes, seconds=int(START_SECONDS),
                 where=where(url), **params)

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
            try:
                await self.start()
            except StartFailed as exc:  # the steps fail until it can (the error is logged)
                log.error("%s", exc)

    def close(self) -> None:
        """Wait for the steps in hand, then end the processes."""
        self._pool.shutdown(wait=True)

    def abandon(self) -> None:
        """End the processes without waiting (a start that failed)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
