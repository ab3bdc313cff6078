"""Bot API calls for outgoing messages: send with in-place retries, edit, answer clicks.

The hot calls (a text answer, a click's answer, removing buttons, "typing…") post their
parameters straight through the Bot's request object (AiohttpRequest.post_json):
python-telegram-bot's own error mapping (RetryAfter, Forbidden, BadRequest…) and JSON checks,
without its parameter layer and without turning every answer into a Message object (measured:
about 40% of a call's CPU).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram import error as tg
from telegram.constants import ChatAction, ParseMode
from telegram.request import BaseRequest

from bots.telegram.errors import is_transient, retry_seconds
from bots.telegram.render import Outgoing, plain_markup
from bots.telegram.transport import AiohttpRequest, UploadCut

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

    async def call(self, fn: Callable[[], Awaitable[T]], until: float | None = None) -> T:
        """Run one Bot API call, retrying transient failures while the budget lasts; `until`
        (the event loop's time()): an attempt still waiting for Telegram then is given up
        (TimedOut), and none starts after it."""
        started = time.monotonic()
        for attempt in range(1, self.attempts + 1):
            try:
                if until is None:
                    return await fn()
                try:
                    async with asyncio.timeout_at(until):
                        return await fn()
                except TimeoutError:
                    raise tg.TimedOut("no answer from the Bot API in time") from None
            except (tg.RetryAfter, tg.NetworkError) as exc:
                if not is_transient(exc) or attempt == self.attempts or \
                        isinstance(exc, UploadCut):  # a stop: the outbox sends it at the start
                    raise
                wait = retry_seconds(exc) if isinstance(exc, tg.RetryAfter) else \
                    min(3.0, 0.2 * 2 ** (attempt - 1)) * (1 + random.random() / 2)
                if time.monotonic() - started + wait > self.budget or (
                        until is not None and asyncio.get_running_loop().time() + wait >= until):
                    raise
                self.retried += 1
                log.info("Bot API %s; retrying in %.2f s", exc, wait)
                await self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    async def post(self, method: str, fields: dict[str, Any]) -> Any:
        """One Bot API method with its JSON-ready parameters; its result as JSON (dict or bool)."""
        return await ours(self.bot.request).post_json(f"{self.bot.base_url}/{method}", fields)

    async def send(self, chat_id: int, message: Outgoing, until: float | None = None) -> int:
        """Send one message (text with buttons, or a document); the id Telegram gave it.
        `until`: given up then (TimedOut), when its outbox row falls due (steps.GRACE)."""
        payload = message.file()
        if payload is not None:
            document = InputFile(payload.content, filename=payload.filename)
            sent = await self.call(lambda: self.bot.send_document(
                chat_id=chat_id, document=document, reply_markup=keyboard_markup(message),
                read_timeout=upload_wait(until)), until)
            return sent.message_id
        result = await self._text("sendMessage", {"chat_id": chat_id}, message, until)
        return int(result["message_id"])

    async def edit(self, chat_id: int, message_id: int, message: Outgoing,
                   until: float | None = None) -> bool:
        """Show a text message in place of a message's text and buttons (editMessageText);
        False when Telegram refuses the edit (the message deleted, too old, unchanged…): the
        caller sends it instead. Transient failures and a blocked chat are raised, as send's."""
        try:
            await self._text("editMessageText", {"chat_id": chat_id, "message_id": message_id},
                             message, until)
        except tg.BadRequest as exc:
            log.info("message %s in chat %s not edited (%s); sent instead", message_id, chat_id,
                     exc)
            return False
        return True

    async def _text(self, method: str, fields: dict[str, Any], message: Outgoing,
                    until: float | None) -> Any:
        """sendMessage or editMessageText with the message's text and buttons; its result.
        Markup Telegram refuses must not lose the message: its words go as plain text."""
        fields = {**fields, "text": message.html}
        if has_markup(message.html):
            fields["parse_mode"] = ParseMode.HTML.value
        if message.has_keyboard:
            fields["reply_markup"] = keyboard(message)
        try:
            return await self.call(lambda: self.post(method, fields), until)
        except tg.BadRequest as exc:
            if "can't parse entities" not in exc.message.lower():
                raise
            log.warning("Telegram refused a message's HTML (%s); %s as plain text", exc, method)
            fields["text"] = plain_markup(message.html)
            return await self.call(lambda: self.post(method, fields), until)

    async def remove_buttons(self, chat_id: int, message_id: int) -> None:
        """Take the buttons off an old message, so they cannot be pressed again (best effort)."""
        try:
            await self.call(lambda: self.post("editMessageReplyMarkup", {
                "chat_id": chat_id, "message_id": message_id}))
        except tg.TelegramError as exc:
            log.debug("buttons of message %s in chat %s not removed: %s", message_id, chat_id,
                      exc)

    async def set_buttons(self, chat_id: int, message_id: int,
                          rows: list[list[tuple[str, str]]]) -> None:
        """Show other buttons under a message (another page of a question's choices)."""
        markup = {"inline_keyboard": [[{"text": label, "callback_data": data}
                                       for label, data in row] for row in rows]}
        try:
            await self.call(lambda: self.post("editMessageReplyMarkup", {
                "chat_id": chat_id, "message_id": message_id, "reply_markup": markup}))
        except tg.BadRequest as exc:  # "message is not modified": a second tap on the page
            log.debug("buttons of message %s in chat %s not changed: %s", message_id, chat_id,
                      exc)

    async def answer(self, query_id: str, text: str | None = None, alert: bool = True) -> None:
        """Answer a button click, with a short notice when it was refused (best effort): a
        popup to dismiss, or (alert=False) a toast that fades."""
        await self.answer_with(answer_fields(query_id, text, alert))

    async def answer_with(self, fields: dict[str, Any]) -> None:
        """answerCallbackQuery with its fields (answer_fields), best effort."""
        try:
            await self.call(lambda: self.post("answerCallbackQuery", fields))
        except tg.TelegramError as exc:
            log.debug("callback %s not answered: %s", fields.get("callback_query_id"), exc)

    async def typing(self, chat_id: int) -> None:
        """Show 'typing…' in the chat (best effort, never retried)."""
        try:
            await self.post("sendChatAction", {"chat_id": chat_id,
                                               "action": ChatAction.TYPING.value})
        except tg.TelegramError as exc:
            log.debug("chat action in %s failed: %s", chat_id, exc)


def upload_wait(until: float | None) -> float | None:
    """How long an upload waits for Telegram's answer once its file went out: until its send
    is given up (`until`), else without a limit of its own, the caller bounding the send (the
    dispatcher's upload timeout). The transport's read timeout (15 s) is a text's: a file's
    answer cut there may still reach the chat, and the file was sent again."""
    if until is None:
        return None
    return max(0.1, until - asyncio.get_running_loop().time())


def has_markup(text: str) -> bool:
    """Whether an HTML text has tags or entities: one without reads the same as plain text, so
    it goes without parse_mode (nothing for Telegram to parse, nothing it could refuse)."""
    return "<" in text or "&" in text


def answer_fields(query_id: str, text: str | None = None, alert: bool = True
                  ) -> dict[str, Any]:
    """answerCallbackQuery's fields: a silent answer, or a popup (alert) or toast saying text."""
    if text and len(text) > MAX_ALERT:
        text = text[: MAX_ALERT - 1] + "…"
    fields: dict[str, Any] = {"callback_query_id": query_id}
    if text:
        fields.update(text=text, show_alert=alert)
    return fields


def ours(request: BaseRequest) -> AiohttpRequest:
    """The Bot's request object, which must be our transport (it posts ready JSON)."""
    if not isinstance(request, AiohttpRequest):
        raise TypeError("the Bot needs bots.telegram.transport.AiohttpRequest as its request")
    return request


def keyboard(message: Outgoing) -> dict[str, Any]:
    """The message's buttons as the Bot API's reply_markup object."""
    return {"inline_keyboard": [[{"text": label, "callback_data": data} for label, data in row]
                                for row in message.buttons]}


def keyboard_markup(message: Outgoing) -> InlineKeyboardMarkup | None:
    """The message's buttons for python-telegram-bot (documents)."""
    if not message.has_keyboard:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in message.buttons])
