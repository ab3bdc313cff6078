"""Per-chat ordering: updates of one chat one after another, different chats at once.

accept() places an update in its chat's line synchronously, so the order of accept() calls is
the order of processing. The photos of an album (one media_group_id) arrive as separate
updates; they are gathered into one job that waits until no new part came for `album_wait`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    InaccessibleMessage,
    MaybeInaccessibleMessage,
    Message,
    MessageEntity,
    Update,
    User,
)

from bots.telegram.light import TYPED_FIELDS, Click, Typed, read_light, whole

log = logging.getLogger(__name__)

Incoming = Update | Typed | Click
"""An update as the inbox and the conversations take it: a typed text or a click of the busy
path in a light type of our own (bots.telegram.light), anything else as PTB's Update."""
Process = Callable[[list[Incoming]], Awaitable[None]]


@dataclass
class _Album:
    updates: list[Incoming]
    last: float
    job: asyncio.Task[None] | None = None
    closed: bool = False


CLICKED_FIELDS = ("message_id", "date", "chat", "from")
"""What the adapter reads of the message a button was clicked on (the chat, the message id)."""
def read_incoming(raw: dict[str, Any], bot: Bot) -> Incoming:
    """The update as a light Typed or Click when it is one, else as PTB's (read_update)."""
    light = read_light(raw)
    return light if light is not None else read_update(raw, bot)


def is_click(update: Incoming) -> bool:
    """Whether the update is a button's click (its answer may ride in a webhook's answer)."""
    return isinstance(update, Click) or (isinstance(update, Update)
                                         and update.callback_query is not None)


def read_update(raw: dict[str, Any], bot: Bot) -> Update:
    """The update as python-telegram-bot's object. Of a clicked message only the chat, its id
    and date are read, as a MaybeInaccessibleMessage: PTB's Message reads ~100 optional fields
    and sets ~200 attributes (two thirds of reading a click). A text typed (TYPED_FIELDS) is
    built directly, as PTB reads it. raw is not changed."""
    query = raw.get("callback_query")
    if isinstance(query, dict) and isinstance(message := query.get("message"), dict):
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            return _click(raw, query, message, bot)
        # Not shaped as expected: PTB reads it, and says what is wrong with it.
        kept = {k: message[k] for k in CLICKED_FIELDS if k in message}
        raw = {**raw, "callback_query": {**query, "message": kept}}
    elif isinstance(message := raw.get("message"), dict) and len(raw) == 2 \
            and "text" in message and message.keys() <= TYPED_FIELDS:
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            return _typed(raw, message, bot)
    update = Update.de_json(raw, bot)
    if update is None:
        raise ValueError("not an update")
    return update


def _click(raw: dict[str, Any], query: dict[str, Any], message: dict[str, Any],
           bot: Bot) -> Update:
    """A button click, its message read as the chat and the message's id and date."""
    chat = Chat.de_json(message["chat"], bot)
    message_id, date = int(message["message_id"]), int(message["date"])
    clicked = InaccessibleMessage(chat, message_id) if date == 0 else \
        MaybeInaccessibleMessage(chat, message_id, dtm.datetime.fromtimestamp(date, dtm.UTC))
    callback = CallbackQuery(str(query["id"]), User.de_json(query["from"], bot),
                             str(query["chat_instance"]), clicked, query.get("data"),
                             query.get("inline_message_id"), query.get("game_short_name"))
    update = Update(int(raw["update_id"]), callback_query=callback)
    for read in (clicked, callback, update):
        read.set_bot(bot)
    return update


def _typed(raw: dict[str, Any], message: dict[str, Any], bot: Bot) -> Update:
    """A text message (TYPED_FIELDS only), built as PTB's Message.de_json builds it."""
    update_id, message_id, date, text = (raw["update_id"], message["message_id"],
                                         message["date"], message["text"])
    if not (whole(update_id) and whole(message_id) and whole(date) and isinstance(text, str)
            and isinstance(message["chat"], dict)):
        raise TypeError("not as Telegram sends a text")
    sender = message.get("from")
    typed = Message(
        message_id, dtm.datetime.fromtimestamp(date, dtm.UTC), Chat.de_json(message["chat"], bot),
        from_user=None if sender is None else User.de_json(sender, bot), text=text,
        entities=[MessageEntity.de_json(e, bot) for e in message.get("entities") or ()])
    update = Update(update_id, message=typed)
    for read in (typed, update):
        read.set_bot(bot)
    return update


def chat_of(update: Incoming) -> int:
    """The chat an update belongs to (0 for updates without one)."""
    if not isinstance(update, Update):
        return update.chat_id
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return 0


class Inbox:
    """Runs `process` for each chat's updates in arrival order, up to `concurrency` chats.

    At most `max_pending` updates are held at once: room() makes the receiver wait, so a long
    backlog stays on Telegram's side rather than in this process's memory.
    """

    def __init__(self, process: Process, *, album_wait: float = 0.6, album_max: float = 4.0,
                 concurrency: int = 64, max_pending: int = 512) -> None:
        self.process = process
        self.max_pending = max_pending
        self._room = asyncio.Event()
        self._room.set()
        self.album_wait = album_wait
        self.album_max = album_max
        self._slots = asyncio.Semaphore(concurrency)
        self._tails: dict[int, asyncio.Task[None]] = {}
        self._albums: dict[tuple[int, str], _Album] = {}
        self._jobs: set[asyncio.Task[None]] = set()
        self.closed = False

    async def room(self) -> None:
        """Wait until fewer than max_pending updates are in hand."""
        while len(self._jobs) >= self.max_pending:
            self._room.clear()
            await self._room.wait()

    def accept(self, update: Incoming) -> asyncio.Task[None]:
        """Queue an update behind the earlier ones of its chat; the task ends once processed."""
        if self.closed:
            raise RuntimeError("the Telegram inbox is closed")
        loop = asyncio.get_running_loop()
        chat = chat_of(update)
        group = update.message.media_group_id \
            if isinstance(update, Update) and update.message is not None else None
        album: _Album | None = None
        if group is not None:
            album = self._albums.get((chat, group))
            if album is not None and not album.closed and album.job is not None:
                album.updates.append(update)
                album.last = loop.time()
                return album.job
            album = _Album(updates=[update], last=loop.time())
            self._albums[(chat, group)] = album
        previous = self._tails.get(chat)
        updates = album.updates if album is not None else [update]
        job = asyncio.create_task(self._run(chat, previous, updates, album, group),
                                  name=f"telegram-chat-{chat}")
        if album is not None:
            album.job = job
        self._tails[chat] = job
        self._jobs.add(job)
        job.add_done_callback(self._done)
        return job

    async def _run(self, chat: int, previous: asyncio.Task[None] | None, updates: list[Incoming],
                   album: _Album | None, group: str | None) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            if album is not None:
                await self._gather(album)
                if self._albums.get((chat, group or "")) is album:
                    del self._albums[(chat, group or "")]
            async with self._slots:
                await self.process(list(updates))
        finally:
            if self._tails.get(chat) is asyncio.current_task():
                del self._tails[chat]

    async def _gather(self, album: _Album) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        while True:
            quiet = album.last + self.album_wait - loop.time()
            if quiet <= 0 or loop.time() - started >= self.album_max:
                break
            await asyncio.sleep(quiet)
        album.closed = True

    def _done(self, job: asyncio.Task[None]) -> None:
        self._jobs.discard(job)
        if len(self._jobs) < self.max_pending:
            self._room.set()
        if not job.cancelled() and job.exception() is not None:
            log.error("processing a Telegram update failed", exc_info=job.exception())

    async def drain(self, within: float = 30.0) -> None:
        """Stop accepting and wait for the updates in hand."""
        self.closed = True
        if self._jobs:
            _, late = await asyncio.wait(list(self._jobs), timeout=within)
            for job in late:
                job.cancel()
            if late:
                await asyncio.wait(late)
