"""Timed jobs of one instance: the core sweeps every minute, the housekeeping (old outbox rows,
FILES_DIR's leftovers) every hour, and on SQLite the write-ahead log's checkpoint every second.

APScheduler 3 with its in-memory job store, one per instance (never a shared store). The jobs
are thin: core's sweeps and the housekeeping take a named lock (an advisory lock on PostgreSQL)
and are idempotent, so N instances ticking together close and notify once; the housekeeping is
also left to the instance that did it within half its interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bots.blob_sweep import sweep_files
from bots.runtime import Desk
from bots.startwait import seconds_text
from core.i18n import t
from core.services.context import Ctx
from core.services.sweeps import SweepReport, run_all
from storage.blob_refs import BlobRefs
from storage.job_runs import JobRuns, done_since, record_in
from storage.outbox_sql import OutboxQueue, purge_in

log = logging.getLogger(__name__)


def forget_inbound(ctx: Ctx, before: datetime) -> int:
    """Drop recorded inbound update/event ids older than `before` (when the store keeps them)."""
    inbound = getattr(ctx.uow, "inbound", None)
    return inbound.delete_before(before) if inbound is not None else 0


def forget_kept_notes(ctx: Ctx, before: datetime) -> int:
    """Drop the Slack notes and note forms kept before `before` (slack_kept_notes): a button
    pressed later says the note is gone, its text still in the message it came with."""
    notes = getattr(ctx.uow, "slack_kept_notes", None)
    return notes.delete_before(before) if notes is not None else 0


class Scheduler:
    """Triggers the sweeps and the housekeeping through the desk, off the event loop."""

    def __init__(self, desk: Desk, queue: OutboxQueue | None = None, *,
                 sweep_every: float = 60.0, housekeeping_every: float = 3600.0,
                 keep_sent_days: float = 7.0, keep_failed_days: float = 30.0,
                 keep_inbound_days: float = 7.0, keep_notes_days: float = 7.0,
                 on_notifications: Callable[[], Any] | None = None,
                 checkpoint: Callable[[], Any] | None = None,
                 checkpoint_every: float = 1.0, runs: JobRuns | None = None,
                 worker: str = "", language: str = "pt_BR",
                 files_dir: str | None = None) -> None:
        self.desk = desk
        self.files_dir = files_dir
        """FILES_DIR, swept by the housekeeping (bots.blob_sweep); None leaves it alone."""
        self.language = language
        self.runs = runs
        """Where each run is recorded under `worker` (`helpdesk jobs status`)."""
        self.worker = worker
        self.queue = queue
        self.sweep_every = sweep_every
        self.housekeeping_every = housekeeping_every
        self.keep_sent = timedelta(days=keep_sent_days)
        self.keep_failed = timedelta(days=keep_failed_days)
        self.keep_inbound = timedelta(days=keep_inbound_days)
        self.keep_notes = timedelta(days=keep_notes_days)
        self.on_notifications = on_notifications
        self.checkpoint = checkpoint
        self.checkpoint_every = checkpoint_every
        self._scheduler: AsyncIOScheduler | None = None
        self._busy = asyncio.Lock()
        self._closing = False
        self.last_report: SweepReport | None = None

    async def start(self) -> None:
        """Schedule the jobs; the first sweep runs a few seconds after start."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        # Each trigger would read the machine's zone (tzlocal), which refuses a POSIX TZ
        # such as BRT3; the desk's hours are São Paulo's whatever the machine says.
        every = functools.partial(IntervalTrigger, timezone=UTC)
        first = datetime.now(UTC) + timedelta(seconds=min(5.0, self.sweep_every))
        scheduler.add_job(self._tick_sweep, every(seconds=self.sweep_every), id="sweeps",
                          max_instances=1, coalesce=True, next_run_time=first,
                          misfire_grace_time=max(1, int(self.sweep_every)))
        scheduler.add_job(self._tick_housekeeping, every(seconds=self.housekeeping_every),
                          id="housekeeping", max_instances=1, coalesce=True,
                          next_run_time=first + timedelta(seconds=1))
        if self.checkpoint is not None:
            scheduler.add_job(self._tick_checkpoint, every(seconds=self.checkpoint_every),
                              id="checkpoint", max_instances=1, coalesce=True)
        scheduler.start()
        self._scheduler = scheduler
        self._closing = False
        log.info("%s", t("run.scheduler_started", self.language,
                         seconds=seconds_text(self.sweep_every, self.language)))

    async def stop(self) -> None:
        """Stop triggering, let a running job finish, then shut the scheduler down."""
        self._closing = True
        if self._scheduler is not None:
            self._scheduler.pause()
        async with self._busy:
            pass
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    async def _tick_sweep(self) -> None:
        if self._closing:
            return
        with contextlib.suppress(Exception):  # logged with its stack in sweep()
            await self.sweep()

    async def _tick_housekeeping(self) -> None:
        if self._closing:
            return
        with contextlib.suppress(Exception):  # logged with its stack in housekeeping()
            await self.housekeeping()

    async def _tick_checkpoint(self) -> None:
        """SQLite's log into its file, on a thread of its own (not a chat's database thread)."""
        if self._closing or self.checkpoint is None:
            return
        try:
            async with self._busy:  # so that stop() waits for it too
                await asyncio.to_thread(self.checkpoint)
        except Exception:
            log.exception("checkpointing the SQLite log failed; next try in %g s",
                          self.checkpoint_every)

    async def sweep(self) -> SweepReport:
        """Run every core sweep once, now."""
        async with self._busy:
            try:
                report = await self.desk.acall(run_all)
            except Exception as exc:
                log.exception("the sweeps failed; next try in %g s", self.sweep_every)
                await self._record("sweeps", "failed", f"{type(exc).__name__}: {exc}")
                raise
            touched = {k: v for k, v in report.model_dump().items() if v and k != "skipped"}
            await self._record("sweeps", "skipped" if report.skipped else "done",
                               json.dumps(touched))
        self.last_report = report
        if report.skipped:
            log.debug("sweeps skipped: another instance holds the lock")
        elif touched:
            log.info("sweeps: %s", touched)
            if self.on_notifications is not None:
                self.on_notifications()
        return report

    async def _record(self, job: str, outcome: str, detail: str) -> None:
        """Keep the run for `helpdesk jobs status`; a failure to is only logged."""
        if self.runs is None:
            return
        try:
            await self.desk.run_sync(self.runs.record, job, self.worker, datetime.now(UTC),
                                     outcome, detail)
        except Exception:
            log.exception("recording the %s run failed", job)

    async def housekeeping(self) -> int:
        """Forget delivered outbox rows, old failures, idle rate buckets, inbound ids and the
        Slack notes kept for a button, then sweep FILES_DIR: once across the instances
        (_housekeep). The outbox rows removed."""
        async with self._busy:
            now = datetime.now(UTC)
            try:
                counts, other = await self.desk.acall(self._housekeep, now)
                if other is None:
                    files = await self._sweep_files()
                    if any(files.values()):  # the run's record says it too
                        counts |= files
                        await self._record("housekeeping", "done", json.dumps(
                            {k: n for k, n in counts.items() if n}))
            except Exception as exc:
                log.exception("the housekeeping failed")
                await self._record("housekeeping", "failed", f"{type(exc).__name__}: {exc}")
                raise
            if other is not None:
                log.debug("housekeeping skipped: %s", other or "another instance runs it")
                await self._record("housekeeping", "recent" if other else "skipped", other)
        if any(counts.values()):
            log.info("housekeeping: %s", {k: n for k, n in counts.items() if n})
        return counts.get("outbox_removed", 0)

    async def _sweep_files(self) -> dict[str, int]:
        """FILES_DIR's temporary files a crash left and stored files no row names, removed."""
        engine = getattr(self.desk.store, "engine", None)
        if self.files_dir is None or engine is None:  # the references are in the database
            return {}
        swept = await asyncio.to_thread(sweep_files, self.files_dir, BlobRefs(engine))
        return swept.counts()

    def _housekeep(self, ctx: Ctx, now: datetime) -> tuple[dict[str, int], str | None]:
        """The housekeeping's rows in one transaction, under its lock, recorded in it: (the
        counts removed, None), or ({}, the instance that did it within half the interval, ""
        for one doing it now) when another instance does it (the deletes are harmless twice,
        the work is not)."""
        if not ctx.uow.lock("helpdesk.housekeeping"):
            return {}, ""
        conn = getattr(ctx.uow, "connection", None)
        if conn is not None and self.runs is not None:
            since = now - timedelta(seconds=self.housekeeping_every / 2)
            other = done_since(conn, "housekeeping", since)
            if other is not None and other != self.worker:
                return {}, other
        gone = 0
        if self.queue is not None and conn is not None:
            gone = purge_in(conn, sent_before=now - self.keep_sent,
                            failed_before=now - self.keep_failed, now=now)
        removed = forget_inbound(ctx, now - self.keep_inbound)
        notes = forget_kept_notes(ctx, now - self.keep_notes)
        counts = {"outbox_removed": gone, "inbound_removed": removed,
                  "kept_notes_removed": notes}
        if conn is not None and self.runs is not None:
            record_in(conn, "housekeeping", self.worker, now, "done",
                      json.dumps({k: n for k, n in counts.items() if n}))
        return counts, None
