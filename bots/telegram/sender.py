"""Deliver outbox rows to Telegram chats with python-telegram-bot's Bot."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram import error as tg
from telegram.request import HTTPXRequest

from bots.delivery.render import render
from bots.delivery.results import Permanent, Result, RetryAfter, Sent, Transient
from core.outbox import OutboxMessage

log = logging.getLogger(__name__)

UNREACHABLE_HINTS = ("chat not found", "user is deactivated", "bot was kicked",
                     "bot was blocked", "have no rights to send", "not enough rights")
MAX_TEXT = 4096


def use_timedelta_periods() -> None:
    """Opt in to PTB's timedelta periods: otherwise building a RetryAfter warns (v22.2+)."""
    os.environ.setdefault("PTB_TIMEDELTA", "true")


def retry_seconds(exc: tg.RetryAfter) -> float:
    """The wait Telegram asked for, without touching PTB's deprecated int attribute."""
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if value is not None else 1.0


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


class TelegramSender:
    """Sends one outbox row as one plain-text message; subclass `compose` for buttons."""

    def __init__(self, bot: Bot, *, language: str = "pt_BR") -> None:
        self.bot = bot
        self.language = language

    @classmethod
    def from_token(cls, token: str, api_url: str = "https://api.telegram.org", *,
                   timeout: float = 20.0, language: str = "pt_BR") -> TelegramSender:
        """A sender with its own Bot against the Bot API at api_url (a fake one in tests)."""
        use_timedelta_periods()
        request = HTTPXRequest(connection_pool_size=16, connect_timeout=5.0,
                               read_timeout=timeout, write_timeout=timeout, pool_timeout=5.0)
        bot = Bot(token, base_url=f"{api_url.rstrip('/')}/bot", request=request)
        return cls(bot, language=language)

    def compose(self, msg: OutboxMessage) -> dict[str, Any]:
        """The keyword arguments of send_message for this row (text, markup...)."""
        _, text = render(msg.kind, msg.params, msg.params.get("language") or self.language)
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        return {"chat_id": int(msg.target), "text": text}

    async def send(self, msg: OutboxMessage) -> Result:
        """Deliver one message and classify the outcome."""
        try:
            kwargs = self.compose(msg)
        except ValueError as exc:
            return Permanent(f"destino inválido {msg.target!r}: {exc}")
        try:
            sent = await self.bot.send_message(**kwargs)
        except Exception as exc:  # every failure becomes a result; the dispatcher logs it
            return classify(exc)
        return Sent(str(sent.message_id))

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self.bot.shutdown()
