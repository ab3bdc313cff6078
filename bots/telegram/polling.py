"""Long polling that loses nothing: a batch is journaled before the next poll confirms it.

Telegram forgets every update below the offset of the next getUpdates. python-telegram-bot's
Updater polls again as soon as a batch is queued, so a crash loses what was fetched and not
yet processed. Here each batch goes to the inbox at once; before the next poll, what is not
processed within `journal_after` goes into the journal (storage.telegram_journal), so an update
answered at once (the usual case) costs no write. An update leaves the journal once processed,
and what is left at start is replayed (a step already done is recognised by its update id).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Bot
from telegram import error as tg
from telegram.request import BaseRequest

from bots.runtime import Desk
from bots.telegram.courier import ours
from bots.telegram.inbox import Incoming, read_incoming
from core.i18n import t
from storage.telegram_journal import UpdateJournal

log = logging.getLogger(__name__)
_DROPPED = object()

Accept = Callable[[Incoming], Any]
"""Places an update in its chat's line: an awaitable of the job's task, or None if refused."""
AcceptRaw = Callable[[dict[str, Any]], Any]
"""The same for an update as fetched, undecoded (TELEGRAM_CHAT_PROCESSES decode it there)."""


class Poller:
    """getUpdates in a loop; the journal holds every update until it was processed."""

    def __init__(self, bot: Bot, request: BaseRequest, journal: UpdateJournal, desk: Desk,
                 accept: Accept, *, timeout: float, allowed_updates: list[str],
                 journal_after: float = 0.05,
                 replayed: Callable[[int], None] | None = None,
                 accept_raw: AcceptRaw | None = None, language: str = "pt_BR") -> None:
        self.bot = bot
        self.language = language
        self.request = request
        self.journal = journal
        self.desk = desk
        self.accept = accept
        self.accept_raw = accept_raw
        self.timeout = timeout
        self.journal_after = journal_after
        self.replayed = replayed
        """Told each update id replay() hands in (fetched by a run that stopped)."""
        self.allowed = list(allowed_updates)
        self.offset: int | None = None
        self._done: list[int] = []
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Drop any webhook, replay what the journal kept, then poll in the background."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self.replay()
        self._task = asyncio.create_task(self._run(), name="telegram-polling")

    async def replay(self) -> None:
        """Hand the journal's updates to the inbox again (also at a start in webhook mode)."""
        kept = await self.desk.run_sync(self.journal.unfinished)
        if kept:
            log.warning("%s", t("run.telegram_replaying", self.language, count=len(kept)))
        for payload in kept:
            raw = json.loads(payload)
            if self.replayed is not None:
                self.replayed(int(raw["update_id"]))
            job = await self._hand(raw)
            if job is _DROPPED:
                self._done.append(int(raw["update_id"]))
            elif job is not None:
                self._forget_when_done(job, int(raw["update_id"]), replayed=True)

    async def stop(self) -> None:
        """Stop polling and confirm the batches already journaled."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self.offset is not None:
            with contextlib.suppress(tg.TelegramError):
                await self._get_updates(wait=0, limit=1)

    async def flush(self) -> None:
        """Forget the processed updates now (at shutdown, once the inbox drained)."""
        done, self._done = self._done, []
        await self.desk.run_sync(self.journal.keep, [], done, datetime.now(UTC))

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                batch = await self._get_updates(wait=self.timeout)
                failures = 0
            except tg.InvalidToken:
                log.error("Telegram refused the bot token; polling stopped")
                return
            except Exception as exc:  # polling must outlive any failure but a refused token
                failures += 1
                wait = min(30.0, 0.5 * 2 ** min(failures, 6))
                level = logging.ERROR if isinstance(exc, tg.Conflict) else logging.WARNING
                log.log(level, "getUpdates failed (%s); polling again in %.1f s", exc, wait,
                        exc_info=not isinstance(exc, tg.TelegramError))
                await asyncio.sleep(wait)
                continue
            updates = [u for u in batch if isinstance(u, dict)
                       and isinstance(u.get("update_id"), int)]
            jobs = {u["update_id"]: await self._hand(u) for u in updates}
            running = {j for j in jobs.values() if j is not None and j is not _DROPPED}
            if running:
                await asyncio.wait(running, timeout=self.journal_after)
            kept = []
            for raw in updates:
                update_id, job = raw["update_id"], jobs[raw["update_id"]]
                if job is _DROPPED or (job is not None and job.done() and not job.cancelled()
                                       and job.exception() is None):
                    continue
                kept.append((update_id, json.dumps(raw, ensure_ascii=False)))
                if job is not None and not job.done():
                    self._forget_when_done(job, update_id, replayed=False)
            await self._keep(kept)
            if updates:
                self.offset = max(u["update_id"] for u in updates) + 1

    async def _get_updates(self, *, wait: float, limit: int | None = None) -> list[Any]:
        fields: dict[str, Any] = {"timeout": int(wait), "allowed_updates": self.allowed}
        if self.offset is not None:
            fields["offset"] = self.offset
        if limit is not None:
            fields["limit"] = limit
        result = await ours(self.request).post_json(f"{self.bot.base_url}/getUpdates", fields,
                                                    read_timeout=wait + 5.0)
        return result if isinstance(result, list) else []

    async def _keep(self, fetched: list[tuple[int, str]]) -> None:
        """Journal a batch, retrying while the database is away: the next poll must wait."""
        failures = 0
        while True:
            done, self._done = self._done, []
            try:
                await self.desk.run_sync(self.journal.keep, fetched, done, datetime.now(UTC))
                return
            except Exception:
                self._done[:0] = done
                failures += 1
                log.exception("journaling Telegram updates failed; polling waits")
                await asyncio.sleep(min(10.0, 0.2 * 2 ** min(failures, 6)))

    async def _hand(self, raw: dict[str, Any]) -> Any:
        """The update's job; None when refused (stopping); _DROPPED when unreadable."""
        if self.accept_raw is not None:
            return await self.accept_raw(raw)
        try:
            update = read_incoming(raw, self.bot)
        except Exception:
            log.exception("Telegram update %s could not be read; dropped", raw["update_id"])
            return _DROPPED
        return await self.accept(update)

    def _forget_when_done(self, job: asyncio.Task[None], update_id: int, *, replayed: bool
                          ) -> None:
        """Drop the journaled update once processed.

        A failed update stays for one more try at the next start; a replayed one does not.
        """
        def finished(task: asyncio.Task[None]) -> None:
            if task.cancelled() or (task.exception() is not None and not replayed):
                return
            self._done.append(update_id)

        job.add_done_callback(finished)
