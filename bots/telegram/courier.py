"""Bot API calls for outgoing messages: send with in-place retries, edit buttons, answer clicks."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram import error as tg
from telegram.constants import ChatAction, ParseMode

from bots.telegram.errors import is_transient, retry_seconds
from bots.telegram.render import Outgoing

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_ALERT = 200


@dataclass
class Courier:
    """Sends through one Bot; retries 429 (after retry_after), 5xx and timeouts within `budget`.

    A budget of 0 never waits: the first failure is raised (the outbox retries instead).
    """

    bot: Bot
    budget: float = 15.0
    attempts: int = 6
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    retried: int = field(default=0, init=False)

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run one Bot API call, retrying transient failures while the budget lasts."""
        started = time.monotonic()
        for attempt in range(1, self.attempts + 1):
            try:
                return await fn()
            except (tg.RetryAfter, tg.NetworkError) as exc:
                if not is_transient(exc) or attempt == self.attempts:
                    raise
                wait = retry_seconds(exc) if isinstance(exc, tg.RetryAfter) else \
                    min(3.0, 0.2 * 2 ** (attempt - 1)) * (1 + random.random() / 2)
                if time.monotonic() - started + wait > self.budget:
                    raise
                self.retried += 1
                log.info("Bot API %s; retrying in %.2f s", exc, wait)
                await self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def send(self, chat_id: int, message: Outgoing) -> Message:
        """Send one message (text with buttons, or a document)."""
        payload = message.file()
        markup = keyboard_markup(message)
        if payload is not None:
            document = InputFile(payload.content, filename=payload.filename)
            return await self.call(lambda: self.bot.send_document(
                chat_id=chat_id, document=document, reply_markup=markup))
        return await self.call(lambda: self.bot.send_message(
            chat_id=chat_id, text=message.html, parse_mode=ParseMode.HTML, reply_markup=markup))

    async def remove_buttons(self, chat_id: int, message_id: int) -> None:
        """Take the buttons off an old message, so they cannot be pressed again (best effort)."""
        try:
            await self.call(lambda: self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None))
        except tg.TelegramError as exc:
            log.debug("buttons of message %s in chat %s not removed: %s", message_id, chat_id,
                      exc)

    async def answer(self, query_id: str, text: str | None = None) -> None:
        """Answer a button click, with a short notice when it was refused (best effort)."""
        if text and len(text) > MAX_ALERT:
            text = text[: MAX_ALERT - 1] + "…"
        try:
            await self.call(lambda: self.bot.answer_callback_query(
                query_id, text=text or None, show_alert=bool(text)))
        except tg.TelegramError as exc:
            log.debug("callback %s not answered: %s", query_id, exc)

    async def typing(self, chat_id: int) -> None:
        """Show 'typing…' in the chat (best effort, never retried)."""
        try:
            await self.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except tg.TelegramError as exc:
            log.debug("chat action in %s failed: %s", chat_id, exc)


def keyboard_markup(message: Outgoing) -> InlineKeyboardMarkup | None:
    """The message's buttons for python-telegram-bot."""
    if not message.has_keyboard:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in message.buttons])
