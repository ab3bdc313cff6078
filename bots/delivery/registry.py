"""Which sender delivers which channel, and the local pacing of a channel's sends."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable

from bots.delivery.results import Sender

log = logging.getLogger(__name__)


class SenderRegistry:
    """One sender per channel ("telegram", "slack", "email"); the last registration wins."""

    def __init__(self) -> None:
        self._senders: dict[str, Sender] = {}

    def register(self, channel: str, sender: Sender) -> None:
        """Deliver this channel's rows through sender."""
        if not isinstance(sender, Sender):
            raise TypeError(f"{sender!r} has no async send(msg)")
        previous = self._senders.get(str(channel))
        if previous is not None and previous is not sender:
            log.info("sender for %s replaced by %s", channel, type(sender).__name__)
        self._senders[str(channel)] = sender

    def get(self, channel: str) -> Sender | None:
        """The sender of a channel, if any."""
        return self._senders.get(str(channel))

    def channels(self) -> set[str]:
        """The channels that have a sender."""
        return set(self._senders)

    async def aclose(self) -> None:
        """Close every sender that holds connections."""
        for channel, sender in list(self._senders.items()):
            close = getattr(sender, "aclose", None)
            if close is None:
                continue
            try:
                await close()
            except Exception:
                log.exception("closing the %s sender failed", channel)


class Pacer:
    """Spaces this process's sends on one channel `interval` seconds apart on average.

    The database hands out send slots to every instance; this keeps the actual start times
    of our own sends apart even when the event loop wakes several of them late together.
    A send up to half an interval late (a late wake-up, a wait for the one-second window) keeps
    its place on the schedule and the next follows that much sooner, so late wake-ups do not
    add up to a lower rate; after a longer lull the schedule starts afresh.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._next = 0.0

    def reserve(self) -> float:
        """Take the next start time and return how long to wait for it."""
        now = self._clock()
        start = max(now, self._next)
        late = now - self._next
        slot = self._next if 0 < late <= self.interval / 2 else start
        self._next = slot + self.interval
        return start - now

    async def wait(self) -> None:
        """Wait for this send's turn."""
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        """Hold every send on the channel for this long (the platform asked us to)."""
        self._next = max(self._next, self._clock() + seconds)


class WindowLimiter:
    """At most `limit` of this process's requests reach the server in any `window` seconds.

    A send may start only while (sends in flight) + (sends completed in the last window) is
    under the limit. Every request arrives between its start and its completion, so no window
    ever holds more arrivals than the limit, however much the latency varies.
    """

    def __init__(self, limit: int, window: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = max(1, limit)
        self.window = window
        self._clock = clock
        self._in_flight = 0
        self._done: deque[float] = deque()
        self._changed = asyncio.Event()

    def _room(self) -> float:
        """0 when a send may start now, else how long until the oldest completion expires."""
        now = self._clock()
        while self._done and now - self._done[0] >= self.window:
            self._done.popleft()
        if self._in_flight + len(self._done) < self.limit:
            return 0.0
        if self._done:
            return self._done[0] + self.window - now
        return self.window

    async def acquire(self) -> None:
        """Wait until a send may start, and count it as in flight."""
        while (wait := self._room()) > 0:
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), wait)
        self._in_flight += 1

    def release(self) -> None:
        """The send completed (its request surely reached the server by now)."""
        self._in_flight -= 1
        self._done.append(self._clock())
        self._changed.set()
