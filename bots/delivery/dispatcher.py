"""The outbox dispatcher: claims due rows, sends them in order and within limits, records how.

Delivery is at-least-once with a tiny duplicate window: a row is marked SENT in its own
transaction right after the channel accepted it; its lease is renewed while it is held here.
Only a crash (or a lost database) between the channel's answer and that commit sends it again
once its lease expires. E-mail resends keep their Message-ID, so mail clients fold the
duplicate; Telegram offers no idempotency key; the Slack sender finds a post of a retried row
by its metadata (bots/slack/once.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bots.delivery.limits import Backoff, Limits
from bots.delivery.registry import Pacer, SenderRegistry, WindowLimiter
from bots.delivery.results import (
    SEND_DEADLINE,
    Deadline,
    Permanent,
    Result,
    RetryAfter,
    Sent,
    Transient,
    params_after,
)
from core.i18n import t
from core.outbox import OutboxMessage
from storage.outbox_sql import Claimed, OutboxQueue

log = logging.getLogger(__name__)

RECORD_MARGIN = 2.0
"""Seconds past a send's deadline before the dispatcher cuts it: a sender stopping at the
deadline records what went out (its database write) meanwhile."""

RunSync = Callable[..., Awaitable[Any]]
OnUndeliverable = Callable[[OutboxMessage, str, bool], Awaitable[Any]]


def utc_now() -> datetime:
    """The wall clock, timezone-aware."""
    return datetime.now(UTC)


async def _in_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(fn, *args, **kwargs)


@dataclass(frozen=True)
class DispatcherConfig:
    """How the dispatcher paces itself."""

    workers: int = 4
    """Sends in progress at once."""
    capacity: int = 64
    """Rows leased and held in memory (waiting for their rate slot or a worker)."""
    poll_interval: float = 0.5
    lease: float = 60.0
    """How long a claim holds a row; renewed every third of it while the row is held here
    (waiting for its turn or going out), so only a dead instance's rows are taken over."""
    send_timeout: float = 25.0
    upload_timeout: float = 600.0
    """A row whose sender says it uploads a file (Sender.uploads): slow, not failed, and
    another try would send it again (Telegram's largest, 50 MB, at 0.7 Mbit/s). Longer than
    the lease: the lease is renewed while it goes."""
    stop_wait: float = 48.0
    """How long a stop waits for a send in flight (an upload whose file went out, its answer
    due) before leaving its row to be taken over once the lease ends."""
    lookahead: float = 1.0
    unserved_every: float = 2.0
    """How often the heartbeat is recorded and the rows of a channel no live instance serves
    are failed (in one statement)."""
    unserved_grace: float = 60.0
    """An instance not seen for this long is gone: a channel only it served has its rows
    failed (none while this one has been up for less)."""
    limits: Limits = field(default_factory=Limits)
    backoff: Backoff = field(default_factory=Backoff)
    language: str = "pt_BR"
    """The failure reasons' language (LANGUAGE): operators read them in `outbox status`."""


class Dispatcher:
    """Runs inside the host's event loop; every database call goes to a worker thread."""

    def __init__(self, queue: OutboxQueue, senders: SenderRegistry, *,
                 config: DispatcherConfig | None = None, run_sync: RunSync = _in_thread,
                 on_undeliverable: OnUndeliverable | None = None,
                 clock: Callable[[], datetime] = utc_now, worker_id: str | None = None) -> None:
        self.queue = queue
        self.senders = senders
        self.config = config or DispatcherConfig()
        self.run_sync = run_sync
        self.on_undeliverable = on_undeliverable
        self.clock = clock
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._pacers = {c: Pacer(i) for c in ("telegram", "slack", "email")
                        if (i := self.config.limits.channel_interval(c))}
        self._windows = {c: WindowLimiter(n) for c in ("telegram", "slack", "email")
                         if (n := self.config.limits.channel_window(c))}
        self._held: dict[int, asyncio.Task[None]] = {}
        self._sending: set[int] = set()
        self._slots = asyncio.Semaphore(max(1, self.config.workers))
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._renew_task: asyncio.Task[None] | None = None
        self._stopping = False
        self._unserved_at = float("-inf")
        self._unserved_logged: set[str] = set()
        self.starting: frozenset[str] = frozenset()
        """Channels configured here whose start is under way: the heartbeats list them from
        the first (another instance would fail their rows), the claims wait for the sender."""
        self.delivered = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Begin claiming and delivering in the background."""
        if self._loop_task is None:
            self._stopping = False
            self._loop_task = asyncio.create_task(self._run(), name="outbox-dispatcher")
            if self._renew_task is None:
                self._renew_task = asyncio.create_task(self._renew(), name="outbox-leases")
            lang = self.config.language
            log.info("%s", t("run.dispatcher_started", lang, worker=self.worker_id,
                             channels=", ".join(sorted(self._served()))
                             or t("run.channels_none", lang)))

    async def stop(self, grace: float | None = None) -> None:
        """Stop claiming, finish the sends in progress, hand back the rows not yet sent."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            # Not cancelled: a claim already running in its thread would leave leased rows
            # without a task; the loop ends by itself after the current round.
            await self._loop_task
            self._loop_task = None
        waiting = [t for i, t in self._held.items() if i not in self._sending]
        for task in waiting:
            task.cancel()
        for channel in self.senders.channels():
            # An upload whose file is still going out ends now (Telegram has none of it), ours
            # or a chat's on the same connection: sent at the next start, where waiting for it
            # held the stop up to ~53 s (a chat's, the channel's drain).
            cut = getattr(self.senders.get(channel), "cut_uploads", None)
            if cut is not None:
                cut()
        tasks = list(self._held.values())
        if tasks:
            # As long as a send may take: an upload cut here went through all the same.
            longest = max(self.config.send_timeout, self.config.stop_wait)
            limit = grace if grace is not None else longest + 5
            _, late = await asyncio.wait(tasks, timeout=limit)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._renew_task is not None:
            self._renew_task.cancel()
            await asyncio.gather(self._renew_task, return_exceptions=True)
            self._renew_task = None
        with contextlib.suppress(Exception):  # only what `outbox status` shows
            await self.run_sync(self.queue.stopped, self.worker_id, self.clock())
        log.info("%s", t("run.dispatcher_stopped", self.config.language, worker=self.worker_id))

    def wake(self) -> None:
        """Look for due rows now (call after a commit that wrote to the outbox)."""
        self._wake.set()

    # -- the loop ----------------------------------------------------------------------------

    async def _run(self) -> None:
        errors = 0
        while not self._stopping:
            self._wake.clear()
            claimed: list[Claimed] = []
            free = self.config.capacity - len(self._held)
            if free > 0:
                try:
                    await self._beat()
                    claimed = await self._claim(free)
                    errors = 0
                except Exception:
                    errors += 1
                    log.exception("claiming outbox rows failed")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(),
                                               min(30.0, 0.5 * 2 ** min(errors, 6)))
                    continue
            for item in claimed:
                msg_id = item.message.id or 0
                self._held[msg_id] = asyncio.create_task(self._deliver(item),
                                                         name=f"outbox-{msg_id}")
            if self._stopping:
                break
            if claimed and len(claimed) == free:
                await asyncio.sleep(0)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.poll_interval)

    async def _claim(self, limit: int) -> list[Claimed]:
        served = self.senders.channels()
        if not served:
            return []
        limits = self.config.limits
        intervals = {c: i for c in served if (i := limits.channel_interval(c))}
        return await self.run_sync(
            self.queue.claim, self.worker_id, self.clock(), timedelta(seconds=self.config.lease),
            limit, channel_intervals=intervals, channels=served,
            lookahead=max(self.config.lookahead, 2 * self.config.poll_interval))

    async def _renew(self) -> None:
        """Every third of the lease, extend the leases of the rows held here: a send slower
        than the lease (a big file on a slow link) is not taken and sent again by another
        instance, while a dead one's renew nothing and are taken over when their lease ends."""
        every = self.config.lease / 3
        lease = timedelta(seconds=self.config.lease)
        while True:
            await asyncio.sleep(every)
            ids = list(self._held)
            if not ids:
                continue
            try:
                held = await self.run_sync(self.queue.renew, self.worker_id, ids, self.clock(),
                                           lease)
            except Exception:  # the database away: the leases may end, as without renewal
                log.warning("renewing the leases of outbox rows %s failed", ids, exc_info=True)
                continue
            lost = [i for i in ids if i not in held and i in self._held]
            if lost:
                log.debug("outbox rows %s are no longer leased here (done or taken over)", lost)

    async def _beat(self) -> None:
        """Every few seconds, record the channels this instance serves, and fail in one go the
        rows of channels no instance alive serves (another one may send what this cannot): at
        once those of a channel no instance of the last day served, else after a grace.

        Claiming them only to fail them cost a transaction and a log line per row (a Slack
        card per ticket in a Telegram-only deployment).
        """
        now = time.monotonic()
        if now - self._unserved_at < self.config.unserved_every:
            return
        self._unserved_at = now
        lang = self.config.language
        failed = await self.run_sync(self.queue.beat, self.worker_id, self._served(),
                                     self.clock(), timedelta(seconds=self.config.unserved_grace),
                                     self._no_sender(""),
                                     t("delivery.never_served", lang, channel=""))
        for channel, (count, reason) in sorted(failed.items()):
            level = logging.DEBUG if channel in self._unserved_logged else logging.WARNING
            self._unserved_logged.add(channel)
            log.log(level, "%s", t("run.outbox_unserved_failed", lang, count=count,
                                   channel=channel, reason=reason + channel))

    async def _deliver(self, item: Claimed) -> None:
        msg = item.message
        msg_id = msg.id or 0
        try:
            try:
                delay = item.send_at - self.clock().timestamp()
                if delay > 0:
                    await asyncio.sleep(delay)
                async with self._turn(str(msg.channel)):
                    self._sending.add(msg_id)  # from here on stop() waits for it
                    result = await self._send(msg)
            except asyncio.CancelledError:
                if msg_id not in self._sending:
                    await self._release(msg_id)
                raise
            await self._record(msg, result)
        finally:
            self._held.pop(msg_id, None)
            self._sending.discard(msg_id)
            self._wake.set()

    @contextlib.asynccontextmanager
    async def _turn(self, channel: str) -> AsyncIterator[None]:
        """A worker, a place in the channel's one-second window, then the paced start."""
        async with self._slots:
            window = self._windows.get(channel)
            if window is not None:
                await window.acquire()
            try:
                pacer = self._pacers.get(channel)
                if pacer is not None:
                    await pacer.wait()
                yield
            finally:
                if window is not None:
                    window.release()

    def _served(self) -> set[str]:
        """The channels the heartbeat lists: the senders', and those still starting."""
        return self.senders.channels() | self.starting

    def _no_sender(self, channel: str) -> str:
        """The reason of a row no sender here takes (the catalog's text ends in the channel,
        so with none it is the prefix OutboxQueue.beat puts before each row's)."""
        return t("delivery.no_sender", self.config.language, channel=channel)

    async def _send(self, msg: OutboxMessage) -> Result:
        sender = self.senders.get(str(msg.channel))
        if sender is None:
            return Permanent(self._no_sender(str(msg.channel)))
        uploads = getattr(sender, "uploads", None)
        limit = self.config.upload_timeout if uploads is not None and uploads(msg) \
            else self.config.send_timeout
        deadline = SEND_DEADLINE.set(Deadline(asyncio.get_running_loop().time() + limit, limit))
        try:
            # A sender stopping at the deadline records what it sent (SEND_DEADLINE) first.
            return await asyncio.wait_for(sender.send(msg), limit + RECORD_MARGIN)
        except TimeoutError:
            return Transient(t("delivery.no_answer", self.config.language, seconds=f"{limit:g}"))
        except Exception as exc:  # a sender bug must not stop the dispatcher; retried later
            log.exception("sender for %s raised on outbox row %s", msg.channel, msg.id)
            return Transient(f"{type(exc).__name__}: {exc}")
        finally:
            SEND_DEADLINE.reset(deadline)

    # -- outcomes ----------------------------------------------------------------------------

    async def _record(self, msg: OutboxMessage, result: Result) -> None:
        now = self.clock()
        msg_id = msg.id or 0
        channel = str(msg.channel)
        if isinstance(result, Sent):
            gap = self.config.limits.destination_interval(channel, msg.target)
            await self._mark(self.queue.mark_sent, msg_id, now, destination_gap=gap)
            self.delivered += 1
            log.debug("outbox %s sent to %s:%s", msg_id, channel, msg.target)
        elif isinstance(result, RetryAfter):
            seconds = max(0.0, float(result.seconds))
            pacer = self._pacers.get(channel)
            if pacer is not None and result.channel_wide:
                pacer.pause(seconds)
            log.warning("%s asked to wait %.1f s (outbox %s)", channel, seconds, msg_id)
            await self._mark(self.queue.mark_retry, msg_id, result.error,
                             now + timedelta(seconds=seconds),
                             pause_channel=channel if result.channel_wide else None,
                             unposted=result.unposted, params=params_after(msg, result))
        elif isinstance(result, Transient):
            age = (now - msg.created_at).total_seconds()
            if age > self.config.backoff.give_up_after:
                await self._fail(msg, Permanent(t("delivery.gave_up", self.config.language,
                                                  attempts=msg.attempts, error=result.error),
                                                unposted=result.unposted))
                return
            delay = self.config.backoff.delay(msg.attempts)
            log.info("outbox %s to %s failed (%s); retry in %.1f s", msg_id, channel,
                     result.error, delay)
            await self._mark(self.queue.mark_retry, msg_id, result.error,
                             now + timedelta(seconds=delay), unposted=result.unposted,
                             params=params_after(msg, result))
        else:
            await self._fail(msg, result)

    async def _fail(self, msg: OutboxMessage, result: Permanent) -> None:
        log.warning("outbox %s to %s:%s failed for good: %s", msg.id, msg.channel, msg.target,
                    result.error)
        # Noted on the ticket before the row is closed: the destination's next row waits, so
        # two failures to one address never race to write the same note.
        if self.on_undeliverable is not None and result.unreachable:
            try:
                await self.on_undeliverable(msg, result.error, result.unreachable)
            except Exception:
                log.exception("recording the undeliverable outbox %s on its ticket failed", msg.id)
        await self._mark(self.queue.mark_failed, msg.id or 0, result.error,
                         unposted=result.unposted)

    async def _mark(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Write an outcome; retry the write (never the send) while the database is away."""
        for attempt in range(8):
            try:
                await self.run_sync(fn, *args, **kwargs)
                return
            except Exception:
                log.exception("recording an outbox outcome failed (attempt %d)", attempt + 1)
                await asyncio.sleep(min(10.0, 0.2 * 2 ** attempt))
        log.error("outcome of outbox row %s lost; its lease will expire and it may be resent",
                  args[0] if args else "?")

    async def _release(self, msg_id: int) -> None:
        with contextlib.suppress(Exception):
            await self.run_sync(self.queue.release, [msg_id], self.clock())
