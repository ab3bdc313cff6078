"""The channels' rate limits we keep (not hit), and the retry backoff."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from core.outbox import SLACK_HOME, Channel


@dataclass(frozen=True)
class Limits:
    """Published limits of the chat platforms, kept with a safety margin.

    Telegram: about 30 messages per second overall, one per second in a chat (short bursts are
    tolerated, we do not use them), 20 per minute in a group (negative chat ids).
    Slack: one message per second per channel; views.publish is Tier 4 (100+ a minute for
    the app), so a person's App Home is redrawn at most once in slack_home_interval. E-mail
    has no limit here.
    """

    telegram_per_second: float = 30.0
    telegram_chat_interval: float = 1.0
    telegram_group_interval: float = 3.0
    slack_channel_interval: float = 1.0
    slack_home_interval: float = 10.0
    margin: float = 0.05
    """Stay this fraction under every limit, for clock jitter and the bot's direct replies."""

    def _keep(self, interval: float) -> float:
        return interval * (1.0 + self.margin)

    def channel_interval(self, channel: str) -> float | None:
        """Seconds between two sends on the whole channel (all chats), or None for no limit."""
        if channel == Channel.TELEGRAM:
            return self._keep(1.0 / self.telegram_per_second)
        return None

    def channel_window(self, channel: str) -> int | None:
        """Requests allowed in any one second on the whole channel, or None for no limit."""
        if channel == Channel.TELEGRAM:
            # One under the limit is enough here: counting each send until a second after its
            # answer already leaves its latency unused (see WindowLimiter).
            return max(1, math.ceil(self.telegram_per_second) - 1)
        return None

    def destination_interval(self, channel: str, target: str) -> float:
        """Seconds from one delivery to one destination until the next may start."""
        if channel == Channel.TELEGRAM:
            group = target.lstrip().startswith("-")
            return self._keep(self.telegram_group_interval if group
                              else self.telegram_chat_interval)
        if channel == Channel.SLACK and target.startswith(SLACK_HOME):
            return self._keep(self.slack_home_interval)
        if channel == Channel.SLACK:
            return self._keep(self.slack_channel_interval)
        return 0.0


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter for transient failures, and when to give up."""

    base: float = 2.0
    cap: float = 900.0
    give_up_after: float = 3 * 24 * 3600.0
    """A row still failing this many seconds after it was written is marked failed."""

    def delay(self, attempts: int, rnd: Callable[[], float] = random.random) -> float:
        """Seconds to wait after the n-th failed attempt: half fixed, half random."""
        raw = min(self.cap, self.base * 2 ** max(0, attempts - 1))
        return raw / 2 + raw / 2 * rnd()
