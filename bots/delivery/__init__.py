"""Outbox delivery: the dispatcher, the sender protocol and results, rate limits."""

from bots.delivery.results import (
    ClosableSender,
    Permanent,
    Result,
    RetryAfter,
    Sender,
    Sent,
    Transient,
)

__all__ = ["ClosableSender", "Permanent", "Result", "RetryAfter", "Sender", "Sent", "Transient"]
