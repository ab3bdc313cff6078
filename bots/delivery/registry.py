"""Which sender delivers which channel, and the local pacing of a channel's sends."""

from __future__ import annotations

import asyncio
import logging
import time
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
    """Spaces this process's sends on one channel by `interval` seconds, whatever the lag.

    The database hands out send slots to every instance; this keeps the actual start times
    of our own sends apart even when the event loop wakes several of them late together.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._next = 0.0

    def reserve(self) -> float:
        """Take the next start time and return how long to wait for it."""
        now = self._clock()
        start = max(now, self._next)
        self._next = start + self.interval
        return start - now

    async def wait(self) -> None:
        """Wait for this send's turn."""
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        """Hold every send on the channel for this long (the platform asked us to)."""
        self._next = max(self._next, self._clock() + seconds)
