"""Bot API failures as delivery results: what to retry, when, and what means 'unreachable'."""

from __future__ import annotations

import os
from datetime import timedelta

from telegram import error as tg

from bots.delivery.results import Permanent, Result, RetryAfter, Transient

UNREACHABLE_HINTS = ("chat not found", "user is deactivated", "bot was kicked",
                     "bot was blocked", "have no rights to send", "not enough rights")


def use_timedelta_periods() -> None:
    """Opt in to PTB's timedelta periods: otherwise building a RetryAfter warns (v22.2+)."""
    os.environ.setdefault("PTB_TIMEDELTA", "true")


def retry_seconds(exc: tg.RetryAfter) -> float:
    """The wait Telegram asked for, without touching PTB's deprecated int attribute."""
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if value is not None else 1.0


def is_transient(exc: BaseException) -> bool:
    """Worth trying again later: flood control, 5xx, timeouts, network trouble."""
    return isinstance(exc, tg.RetryAfter) or (
        isinstance(exc, tg.NetworkError) and not isinstance(exc, tg.BadRequest))


def classify(exc: Exception) -> Result:
    """Turn a python-telegram-bot error into a delivery result."""
    if isinstance(exc, tg.RetryAfter):
        return RetryAfter(retry_seconds(exc), str(exc))
    if isinstance(exc, tg.Forbidden):
        return Permanent(exc.message, unreachable=True)
    if isinstance(exc, tg.InvalidToken):
        # Our configuration is wrong, not the message: keep it until the token is fixed.
        return Transient(f"token rejected: {exc.message}")
    if isinstance(exc, tg.BadRequest):
        text = exc.message.lower()
        return Permanent(exc.message, unreachable=any(h in text for h in UNREACHABLE_HINTS))
    if isinstance(exc, tg.ChatMigrated):
        return Permanent(f"chat migrated to {exc.new_chat_id}", unreachable=True)
    if isinstance(exc, tg.TelegramError):
        return Transient(f"{type(exc).__name__}: {exc.message}")
    return Transient(f"{type(exc).__name__}: {exc}")
