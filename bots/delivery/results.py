"""What a channel's sender answers, and the protocol every sender follows."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from core.outbox import RESUME, UNSENT, OutboxMessage


@dataclass(frozen=True)
class Sent:
    """The channel accepted the message; `ref` is its id there (message id, SMTP answer)."""

    ref: str | None = None


@dataclass(frozen=True)
class RetryAfter:
    """The channel asked us to wait exactly this long before sending anything more on it."""

    seconds: float
    error: str = "rate limited"
    channel_wide: bool = True
    """False when the limit is of one method, not the channel's: only this row waits."""
    unposted: bool = False
    """The channel answered: this attempt delivered nothing (see Transient.unposted)."""
    resume: dict[str, Any] | None = None
    """Where this attempt stopped, for the row's next one wherever it runs (a Slack lookup's
    page): kept in the row's params under RESUME."""
    unsent: list[Any] | None = None
    """The row's messages this attempt did not send, the others delivered (Telegram): kept in
    the row's params under UNSENT."""


@dataclass(frozen=True)
class Transient:
    """A failure that may pass (network, 5xx, server down): retry with backoff."""

    error: str
    unposted: bool = False
    """Known not delivered (the channel refused the call), not merely unanswered: a retry
    need not look for what this attempt may have posted."""
    unsent: list[Any] | None = None
    """As RetryAfter.unsent."""


@dataclass(frozen=True)
class Permanent:
    """A failure that will not pass: never retry this row.

    `unreachable` says the person cannot be reached on this channel at all (a blocked bot, a
    deleted chat, a bounced address), which is recorded on the ticket for the agents.
    """

    error: str
    unreachable: bool = False
    unposted: bool = False


Result = Sent | RetryAfter | Transient | Permanent


@dataclass(frozen=True)
class Deadline:
    """When the dispatcher gives a send up (the event loop's clock) and its limit in seconds."""

    at: float
    seconds: float


SEND_DEADLINE: ContextVar[Deadline | None] = ContextVar("outbox_send_deadline", default=None)
"""The deadline of the send running in this task (set by the dispatcher): a sender that sends a
row as several messages stops there itself and says which it did not send (Result.unsent), so
the next attempt does not repeat those that went; the dispatcher cuts it a little later."""


def params_after(msg: OutboxMessage, result: Result) -> dict[str, Any] | None:
    """The row's params to keep after a failed attempt: with its resume point when the result
    has one, without an older one otherwise (used once: later posts would be skipped by it);
    with the messages it did not send when it says so (kept until sent); None when they stay
    as they are."""
    resume = result.resume if isinstance(result, RetryAfter) else None
    unsent = result.unsent if isinstance(result, RetryAfter | Transient) else None
    params = {k: v for k, v in msg.params.items() if k != RESUME}
    if resume is not None:
        params[RESUME] = resume
    if unsent is not None:
        params[UNSENT] = unsent
    return None if params == msg.params else params


@runtime_checkable
class Sender(Protocol):
    """Delivers one outbox row on one channel; never raises for a delivery failure."""

    async def send(self, msg: OutboxMessage) -> Result:
        """Deliver the message and say how it went."""
        ...


@runtime_checkable
class ClosableSender(Sender, Protocol):
    """A sender holding connections that the host closes on shutdown."""

    async def aclose(self) -> None:
        """Release connections."""
        ...


@runtime_checkable
class LinksTelegramBot(Protocol):
    """A sender whose messages link to the Telegram bot (an e-mail's link to its ticket)."""

    def link_telegram_bot(self, username: str) -> None:
        """The bot's username, as getMe answered."""
        ...
