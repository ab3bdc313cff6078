"""Updates to conversation steps: read the update, store its files, run the step, answer.

Every database call goes through the desk (a worker thread). A step that lost the race with
another instance (core.errors.Conflict) runs again on the fresh state in a new transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot, Message, MessageEntity, Update
from telegram import error as tg
from telegram.constants import ChatType

from bots.runtime import Desk
from bots.telegram.batch import GroupCommit
from bots.telegram.courier import Courier, answer_fields
from bots.telegram.errors import is_transient, retry_seconds
from bots.telegram.files import FileStore, file_refs
from bots.telegram.form import filled
from bots.telegram.inbox import Incoming
from bots.telegram.light import Click, Typed, buttons_of
from bots.telegram.menus import show_staff_menu
from bots.telegram.render import Outgoing, keyboard, page_of, text_messages
from bots.telegram.steps import (
    GRACE,
    Delivery,
    Inbound,
    Outcome,
    converse,
    converse_many,
    delivered_many,
    grace_for,
    language_here,
    linked,
    prompt_choices,
    requeue,
)
from core.conversation.replies import UserInput, parse
from core.errors import Conflict
from core.i18n import t
from core.models import Attachment
from core.services.intake import plain
from storage.engine import is_sqlite
from storage.sql.known import KnownChat
from storage.sql.telegram import ChatPrompt

log = logging.getLogger(__name__)
MAX_TAKEN = 10_000
PAGE_TURN = "page"
"""The choice a stale page button stands for: offered by no question."""
MAX_KNOWN = 1_000
"""Chats whose last step this process keeps (steps.Inbound.known), the least recent dropped."""
SEND_SHARE = 0.8
"""The share of the answer's grace (steps.GRACE) its send may take, retries included."""
STEPS_PER_COMMIT = 10
"""The most chats' steps one transaction runs (steps.converse_many). It holds SQLite's write
lock, or PostgreSQL's row locks of its steps (conversations, the ticket number's counter), for
all of them (~1-2 ms each) and their answers wait for its commit; ten share one commit's cost
nearly as well as more would (a CPU's tenth each, bench notes)."""


@dataclass
class Stats:
    """What this instance did, for logs and benchmarks."""

    updates: int = 0
    done: int = 0
    duplicates: int = 0
    conflicts: int = 0
    handed_over: int = 0
    kept: int = 0
    """Steps that started from what the chat's last step left (no read: Inbound.known)."""


class Conversations:
    """Processes one chat's updates (the Inbox keeps them in order)."""

    def __init__(self, desk: Desk, bot: Bot, files: FileStore, *,
                 wake: Callable[[], None] | None = None, typing_after: float = 1.0,
                 budget: float = 15.0, attempts: int = 6, language: str = "pt_BR",
                 repeats_lost: bool = False, grace: float = GRACE.total_seconds()) -> None:
        self.desk = desk
        # Polling: one process fetches the updates and runs a chat's in order, so an update
        # that comes again finds its first run ended (answered, or died before answering).
        self.repeats_lost = repeats_lost
        self.bot = bot
        self.files = files
        self.wake = wake
        self.typing_after = typing_after
        self.attempts = attempts
        self.language = language
        self.grace = timedelta(seconds=grace)
        self.courier = Courier(bot, budget=budget)
        # What each step sent is recorded right after; under a burst, many chats at once.
        self.delivered: GroupCommit[Delivery, ChatPrompt | None] = GroupCommit(
            desk, delivered_many)
        # The steps of chats that arrive while one runs share the next transaction, each undone
        # alone if it fails (steps.converse_many). SQLite: a commit writes the pages it changed
        # to the log, and most are the same for all of them (the outbox's, the update ids',
        # the conversations' index). PostgreSQL: a step alone is one statement committing on
        # its own; together they save the server a transaction each (steps.py), half the
        # database threads running such transactions at once (the server runs some while this
        # process prepares others; the other half left to the rest: sends' records, claims).
        engine = getattr(desk.store, "engine", None)
        self.steps: GroupCommit[Inbound, Outcome | Exception] | None = GroupCommit(
            desk, converse_many, most=STEPS_PER_COMMIT,
            writers=1 if is_sqlite(engine) else max(1, desk.workers // 2)) \
            if engine is not None else None
        self.stats = Stats()
        self._background: set[asyncio.Task[None]] = set()
        # Per chat, the button whose click was last taken: a second tap on it is no mistake.
        self._taken: dict[int, tuple[int, str]] = {}
        # Updates delivered by webhook (update id): one best-effort call of their step (a
        # click's answer, the removal of an old question's buttons) rides in the HTTP answer
        # to the delivery instead of a request of its own (see reply_to).
        self._replies: dict[int, dict[str, Any] | None] = {}
        # Updates fetched by a process that stopped (the polling journal's, at start).
        self._replayed: set[int] = set()
        # Per chat, the conversation's version its last step wrote unflushed (PostgreSQL), until
        # the record of its send commits (flushed, so the step is durable): kept only when
        # that record failed, so the next step can tell a step the database forgot.
        self._unflushed: dict[int, int] = {}
        # Per chat, what its last step read and wrote (PostgreSQL): the next step starts from
        # it, its write checking that none of it moved (storage.sql.known). Taken by the step.
        self._known: dict[int, KnownChat] = {}

    def replayed(self, update_id: int) -> None:
        """This update was fetched by an earlier run: if its step is done, its answer may
        never have been sent (steps.Inbound.lost)."""
        self._replayed.add(update_id)

    def _lost(self, updates: list[int]) -> bool:
        found = [u for u in updates if u in self._replayed]
        self._replayed.difference_update(found)
        return self.repeats_lost or bool(found)

    def answer_in_reply(self, update_id: int) -> None:
        """This update came by webhook: a click's answer, or the removal of the buttons of the
        question before a typed answer, goes in the webhook's HTTP answer (reply_to). A
        delivery again of an update in hand keeps what its first one carries."""
        self._replies.setdefault(update_id, None)

    def reply_to(self, update_id: int) -> dict[str, Any] | None:
        """The Bot API method to put in the webhook's answer to this update, if any: Telegram
        runs it ("Making requests when getting updates"), which saves a request."""
        return self._replies.pop(update_id, None)

    async def answer_now(self, update_id: int) -> None:
        """Make this update's call by a request of its own after all (its webhook delivery
        failed, so no HTTP answer will carry it)."""
        reply = self._replies.pop(update_id, None)
        if reply is None:
            return
        fields = {k: v for k, v in reply.items() if k != "method"}
        if reply["method"] == "answerCallbackQuery":
            await self.courier.answer_with(fields)
        else:
            await self.courier.remove_buttons(fields["chat_id"], fields["message_id"])

    async def process(self, updates: list[Incoming]) -> None:
        """Handle one update, or the updates of one album."""
        first = updates[0]
        self.stats.updates += len(updates)
        try:
            if isinstance(first, Click):
                await self._clicked(first.update_id, first.query_id, first.data, first.user_id,
                                    first.chat_id, first.chat_type, first.message_id,
                                    first.shown, first.label, first.showing)
            elif isinstance(first, Typed):
                await self._typed(first)
            elif first.callback_query is not None:
                await self._click(first)
            elif first.edited_message is not None:
                await self._edited(first, first.edited_message)
            elif first.message is not None:
                if first.message.chat.type != ChatType.PRIVATE:
                    await self._not_private(first.message)
                else:
                    await self._message([u for u in updates if isinstance(u, Update)])
        finally:
            self.stats.done += len(updates)

    # -- messages ----------------------------------------------------------------------------

    async def _message(self, updates: list[Update]) -> None:
        messages = [u.message for u in updates if u.message is not None]
        first = messages[0]
        chat = first.chat.id
        user = first.from_user.id if first.from_user else chat
        refs = {u.update_id: file_refs(u.message) for u in updates if u.message is not None}
        # Control characters dropped: a NUL would fail the step on PostgreSQL.
        text = next((plain(m.text) for m in messages if m.text), None)
        card = first.contact
        if text is None and card is not None and card.user_id == user and card.phone_number:
            text = plain(card.phone_number)  # their own contact card: the number, as typed
        caption = next((plain(m.caption) for m in messages if m.caption), None)
        wanted = any(refs.values())
        stranger = wanted and not await self.desk.acall(linked, chat, user)
        if stranger:  # nothing is downloaded for someone not registered (R2)
            refs = {}
        async with self._typing(chat, at_once=wanted):
            files: dict[int, list[Attachment]] = {}
            notices: list[str] = []
            for update_id, found in refs.items():
                for ref in found:
                    got = await self.files.fetch(self.courier, ref, self.language)
                    if isinstance(got, str):
                        notices.append(got)
                    else:
                        files.setdefault(update_id, []).append(got)
            stored = [a for batch in files.values() for a in batch]
            user_input: UserInput | None
            unhandled = None
            if stranger:
                user_input = UserInput.of_files([], caption)  # told how to register
            elif stored:
                user_input = UserInput.of_files(stored, caption)
            elif wanted:  # none could be fetched (said why): the caption read as typed
                user_input = parse(caption) if caption else None
            elif text is not None:
                user_input = parse(text)
            else:  # a sticker, a die, a location: said what the question takes instead
                user_input, unhandled = None, _kind(first)
            if user_input is not None and user_input.text is not None:
                typed = next((m for m in messages if m.text or m.caption), first)  # see _edited
                user_input = user_input.model_copy(update={"ref": str(typed.message_id)})
            replied = self._replied(messages)
            inbound = Inbound(update_ids=[u.update_id for u in updates], chat_id=chat,
                              user_id=user, user_input=user_input,
                              reply_to=replied.message_id if replied else None,
                              replied_text=(replied.text or replied.caption) if replied else None,
                              text=text or caption,
                              files=files, notices=notices,
                              unhandled=unhandled, lost=self._lost([u.update_id for u in updates]))
            outcome = await self._message_step(inbound)
        await self._message_sent(chat, outcome, [u.update_id for u in updates])

    async def _typed(self, typed: Typed) -> None:
        """A text typed (bots.telegram.light): what _message does with a message that carries
        a text and nothing else."""
        chat = typed.chat_id
        text = plain(typed.text)  # control characters dropped, as _message does
        async with self._typing(chat):
            user_input = parse(text)
            if user_input.text is not None:
                user_input = user_input.model_copy(update={"ref": str(typed.message_id)})
            inbound = Inbound(update_ids=[typed.update_id], chat_id=chat, user_id=typed.user_id,
                              user_input=user_input, text=text or None,
                              lost=self._lost([typed.update_id]))
            outcome = await self._message_step(inbound)
        await self._message_sent(chat, outcome, [typed.update_id])

    async def _message_step(self, inbound: Inbound) -> Outcome:
        """A message's step; if it fails, the person is told so in their language."""
        try:
            return await self._step(inbound)
        except Exception:
            lang = await self._language(inbound.chat_id, inbound.user_id)
            with contextlib.suppress(tg.TelegramError):
                await self.courier.send(inbound.chat_id,
                                        text_messages(t("error.generic", lang))[0])
            raise

    async def _message_sent(self, chat: int, outcome: Outcome, updates: list[int]) -> None:
        if not outcome.duplicate:
            await self._send(chat, outcome, ride=updates)
        if outcome.staff_menu is not None:  # an agent linked this chat: /fila in its menu
            await show_staff_menu(self.bot, chat, outcome.staff_menu)

    async def _language(self, chat: int, user: int) -> str:
        """The person's language for a step that failed (its transaction rolled back); the
        desk's when even that read fails."""
        try:
            return await self.desk.acall(language_here, chat, user)
        except Exception:
            log.warning("could not read the language of chat %s", chat, exc_info=True)
            return self.language

    def _replied(self, messages: list[Message]) -> Message | None:
        """The bot message the user replied to, if any."""
        for message in messages:
            replied = message.reply_to_message
            if replied is not None and replied.from_user is not None \
                    and replied.from_user.id == self.bot.id:
                return replied
        return None

    async def _edited(self, update: Update, message: Message) -> None:
        """An edit of a text taken into the ticket being opened changes it; of anything else,
        the customer is told how to correct it (bots.telegram.steps)."""
        if message.location is not None:
            return  # a live location: Telegram sends each move as an edit, none typed
        if message.chat.type != ChatType.PRIVATE:
            return
        chat = message.chat.id
        inbound = Inbound(update_ids=[update.update_id], chat_id=chat,
                          user_id=message.from_user.id if message.from_user else chat,
                          user_input=None, text=plain(message.text or message.caption or ""),
                          edited=message.message_id, lost=self._lost([update.update_id]))
        outcome = await self._step(inbound)
        if not outcome.duplicate:
            await self._send(chat, outcome, ride=[update.update_id])

    async def _not_private(self, message: Message) -> None:
        """A group: a command, a word to the bot or the bot added are told to talk in private;
        the group's own talk is left alone."""
        if (message.text or "").startswith("/") or self._called(message):
            with contextlib.suppress(tg.TelegramError):
                await self.courier.send(message.chat.id, text_messages(
                    t("telegram.private_only", self.language))[0])

    def _called(self, message: Message) -> bool:
        """Whether a group's message adds the bot, mentions it or replies to it."""
        if any(member.id == self.bot.id for member in message.new_chat_members or ()):
            return True
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None \
                and replied.from_user.id == self.bot.id:
            return True
        name = f"@{self.bot.username}".casefold()
        return any(entity.user is not None and entity.user.id == self.bot.id
                   or said.casefold() == name for entity, said in
                   message.parse_entities([MessageEntity.MENTION,
                                           MessageEntity.TEXT_MENTION]).items())

    # -- button clicks -----------------------------------------------------------------------

    async def _click(self, update: Update) -> None:
        query = update.callback_query
        assert query is not None
        message = query.message
        chat = message.chat.id if message is not None else query.from_user.id
        clicked = message.message_id if message is not None else 0
        if not query.data:
            await self._answer(update.update_id, query.id)
            return
        markup = getattr(message, "reply_markup", None)
        buttons = {"inline_keyboard": [[{"text": b.text, "callback_data": b.callback_data}
                                        for b in row] for row in markup.inline_keyboard]} \
            if markup is not None else None
        await self._clicked(update.update_id, query.id, query.data, query.from_user.id, chat,
                            message.chat.type if message is not None else None, clicked,
                            getattr(message, "text", None),
                            *buttons_of({"reply_markup": buttons}, query.data))

    async def _clicked(self, uid: int, query_id: str, data: str, user: int, chat: int,
                       chat_type: str | None, clicked: int, shown: str | None = None,
                       label: str | None = None, showing: int | None = None) -> None:
        """A click with its data on message `clicked` (0: none) of `chat`, of `chat_type`
        (None: not said, an inline message's), which reads `shown` now, its button `label`,
        its buttons those of question `showing` (light.Click)."""
        if chat_type is not None and (chat_type != ChatType.PRIVATE or chat != user):
            # Not the clicker's own chat with the bot: never answer into someone else's.
            key = "telegram.private_only" if chat_type != ChatType.PRIVATE \
                else "telegram.callback.not_yours"
            await self._answer(uid, query_id, t(key, self.language))
            return
        page = page_of(data)
        if page is not None and await self._page(uid, query_id, chat, user,
                                                 clicked, *page):
            return
        # A page button of a question no longer current is a stale choice of that question:
        # refused as one (and the current question asked again when it is not on screen).
        choice = data if page is None else f"{page[0]}:{PAGE_TURN}"
        inbound = Inbound(update_ids=[uid], chat_id=chat,
                          user_id=user,
                          user_input=UserInput.of_choice(choice), clicked=clicked,
                          showing=showing, lost=self._lost([uid]))
        try:
            # No 'typing…': the button shows Telegram's progress bar until the click's answer,
            # which goes with the step's (sendChatAction was a request shown under it).
            outcome = await self._step(inbound)
        except Exception:
            lang = await self._language(chat, user)
            await self.courier.answer(query_id, t("error.generic", lang))
            raise
        if outcome.duplicate:
            await self._answer(uid, query_id)
            return
        if not outcome.accepted:
            if outcome.messages:  # the question was not on screen: asked again (steps.Refused)
                again = [self._answer(uid, query_id, _sentence(outcome.refusal or ""))]
                if clicked:
                    again.append(self.courier.remove_buttons(chat, clicked))
                await self._send_first(chat, outcome, clicked, again)
                return
            lang = outcome.lang or self.language
            if self._taken.get(chat) == (clicked, data):  # a double tap: a toast, no popup
                await self._answer(uid, query_id, t("telegram.callback.taken", lang),
                                   alert=False)
                return
            await self._answer(uid, query_id, _sentence(
                outcome.refusal or t("telegram.callback.expired", lang)))
            if clicked and (outcome.prompt is None or outcome.prompt.message_id != clicked):
                await self.courier.remove_buttons(chat, clicked)
            return
        self._take(chat, clicked, data)
        # A guided question's answer edits the clicked message into the next question (its
        # buttons go with the edit): one request. Anything else is a new message.
        edit = filled(shown, label or "", outcome.messages[0], outcome.lang) \
            if outcome.form and clicked and shown and label else None
        others = [self._answer(uid, query_id)]
        if clicked and edit is None:
            others.append(self.courier.remove_buttons(chat, clicked))
        await self._send_first(chat, outcome, clicked, others, edit)

    async def _send_first(self, chat: int, outcome: Outcome, clicked: int,
                          others: list[Coroutine[Any, Any, None]],
                          edit: Outgoing | None = None) -> None:
        """Send the answer and make the click's other calls (best effort) at once, one round
        trip: the answer from this task, the others started behind its request (gather would
        first wait a turn of the loop for it); cancelled, they are too, and their errors come
        through."""
        tasks: list[asyncio.Task[None]] = []

        def start() -> None:
            if not tasks:
                tasks.extend(asyncio.ensure_future(call) for call in others)

        # aiohttp writes a request from a task of its own (before Python 3.12's eager tasks):
        # others started now would build their requests before the answer's is written
        # (~70-150 us of a click's latency, measured in the paced bench).
        later = asyncio.get_running_loop().call_soon(start)
        try:
            await self._send(chat, outcome, clicked, edit=edit)
        except asyncio.CancelledError:
            start()
            for task in tasks:
                task.cancel()
            raise
        finally:
            later.cancel()
            start()
            if tasks:
                await asyncio.wait(tasks)
        for task in tasks:
            task.result()

    async def _page(self, update_id: int, query_id: str, chat: int, user: int, clicked: int,
                    prompt: str, page: int) -> bool:
        """Another page of the buttons of the question on screen; nothing else changes. False
        when the question is no longer the current one (nothing done)."""
        shown = await self.desk.acall(prompt_choices, chat, user)
        if shown is None or not clicked or \
                any(not data.startswith(f"{prompt}:") for _, data in shown[0]):
            return False
        choices, lang = shown
        await asyncio.gather(self.courier.set_buttons(chat, clicked, keyboard(choices, lang, page)),
                             self._answer(update_id, query_id))
        return True

    async def _answer(self, update_id: int, query_id: str, text: str | None = None,
                      alert: bool = True) -> None:
        """Answer a click: in the webhook's answer when it came so (reply_to), else by request."""
        fields = answer_fields(query_id, text, alert)
        if update_id in self._replies:
            self._replies[update_id] = {"method": "answerCallbackQuery", **fields}
        else:
            await self.courier.answer_with(fields)

    def _take(self, chat: int, clicked: int, data: str) -> None:
        self._taken.pop(chat, None)
        self._taken[chat] = (clicked, data)
        if len(self._taken) > MAX_TAKEN:
            del self._taken[next(iter(self._taken))]  # the chat that clicked longest ago

    # -- the step and the answer -------------------------------------------------------------

    async def _step(self, inbound: Inbound) -> Outcome:
        """Run the step; again on a fresh state after a Conflict, again after a database hiccup."""
        inbound.kept = self._unflushed.get(inbound.chat_id)
        inbound.grace = self.grace
        inbound.known = self._known.pop(inbound.chat_id, None)
        self.stats.kept += inbound.known is not None
        for attempt in range(1, self.attempts + 1):
            try:
                outcome = await self._converse(inbound)
            except Conflict:
                inbound.known = None  # moved, or it was a repeat: read
                self.stats.conflicts += 1
                log.info("chat %s moved meanwhile (attempt %d); running the step again",
                         inbound.chat_id, attempt)
                await asyncio.sleep(random.uniform(0, 0.01 * attempt))
                continue
            except Exception:
                inbound.known = None
                if attempt >= 3:
                    raise
                log.warning("Telegram step failed (attempt %d); retrying", attempt,
                            exc_info=True)
                await asyncio.sleep(0.5 * 2 ** (attempt - 1))
                continue
            if outcome.duplicate:
                self.stats.duplicates += 1
                return outcome
            if outcome.known is not None:
                self._known[inbound.chat_id] = outcome.known
                if len(self._known) > MAX_KNOWN:
                    del self._known[next(iter(self._known))]
            self._unflushed.pop(inbound.chat_id, None)  # checked: what this step wrote counts
            if outcome.unflushed is not None:
                self._unflushed[inbound.chat_id] = outcome.unflushed
                if len(self._unflushed) > MAX_TAKEN:
                    del self._unflushed[next(iter(self._unflushed))]
            return outcome
        raise Conflict("error.conversation_moved")

    async def _converse(self, inbound: Inbound) -> Outcome:
        """The step in a transaction: its own, or one shared (self.steps)."""
        if self.steps is None:
            return await self.desk.acall(converse, inbound)
        result = await self.steps(inbound)
        if isinstance(result, Exception):
            raise result
        return result

    async def _send(self, chat: int, outcome: Outcome, clicked: int | None = None,
                    ride: list[int] | None = None, edit: Outgoing | None = None) -> None:
        """Send the answer in order; what the Bot API keeps refusing goes to the outbox. The
        removal of the buttons of the question before rides in the webhook's answer to one of
        the `ride` updates when it can (a typed answer's: nothing else rides there). `edit`:
        the clicked message as the first message shows it in place (bots.telegram.form)."""
        sent: list[tuple[int, Outgoing]] = []
        # Sent, or handed over, well before the answer's outbox row is due: else the dispatcher
        # sends that row too while Telegram still has our request (then a third copy). Counted
        # from the row's own due time (the desk's clock, the dispatcher's): a step slow to get
        # here (a loaded machine) has that much less time.
        grace = grace_for(outcome.messages, self.grace).total_seconds()
        left = grace if outcome.due is None else \
            (outcome.due - self.desk.clock()).total_seconds()
        loop = asyncio.get_running_loop()
        until = loop.time() + min(grace, left) - grace * (1 - SEND_SHARE)
        for index, message in enumerate(outcome.messages):
            try:
                if loop.time() >= until:  # no time left: the row sends it, it alone
                    raise tg.TimedOut("the answer's outbox row is about due")
                if edit is not None and clicked and not index:
                    message_id, message = await self._edit(chat, clicked, edit, message, until)
                else:
                    message_id = await self.courier.send(chat, message, until)
            except tg.TelegramError as exc:
                await self._give_up(chat, outcome, sent, outcome.messages[index:], exc)
                return
            sent.append((message_id, message))
        try:
            previous = await self.delivered((chat, sent, outcome.outbox_id))
        except BaseException:
            self._known.pop(chat, None)
            raise
        prompts = [(mid, m.has_keyboard) for mid, m in sent if m.prompt]
        known = self._known.get(chat)
        if prompts and known is not None and known is outcome.known:  # no later step's
            if previous is not None and previous.message_id == prompts[-1][0]:
                self._known.pop(chat, None)  # a newer notice's question is the chat's
            else:
                self._known[chat] = known.shown(prompts[-1])  # as after_send recorded it
        if outcome.outbox_id is not None:  # a flushed commit: the step is durable now
            self._unflushed.pop(chat, None)
        if previous is not None and previous.keyboard and previous.message_id != clicked:
            free = next((u for u in ride or () if u in self._replies
                         and self._replies[u] is None), None)
            if free is None:
                await self.courier.remove_buttons(chat, previous.message_id)
            else:
                self._replies[free] = {"method": "editMessageReplyMarkup", "chat_id": chat,
                                       "message_id": previous.message_id}

    async def _edit(self, chat: int, clicked: int, edit: Outgoing, message: Outgoing,
                    until: float) -> tuple[int, Outgoing]:
        """The clicked message edited to read `edit`; the answer sent as a new message when
        Telegram refuses the edit, the clicked buttons taken off (as a click's are)."""
        if await self.courier.edit(chat, clicked, edit, until):
            return clicked, edit
        sent, _ = await asyncio.gather(self.courier.send(chat, message, until),
                                       self.courier.remove_buttons(chat, clicked))
        return sent, message

    async def _give_up(self, chat: int, outcome: Outcome, sent: list[tuple[int, Outgoing]],
                       rest: list[Outgoing], exc: tg.TelegramError) -> None:
        self._known.pop(chat, None)  # its record of what went out is requeue's
        wait = 0.0
        if is_transient(exc):
            log.warning("Bot API still failing for chat %s (%s); %d message(s) go to the outbox",
                        chat, exc, len(rest))
            self.stats.handed_over += len(rest)
            if isinstance(exc, tg.RetryAfter):  # the outbox waits as Telegram asked
                wait = retry_seconds(exc)
        else:
            log.warning("answer to chat %s dropped: %s", chat, exc)
            rest = []
        await self.desk.acall(requeue, chat, outcome.outbox_id, sent, rest, wait)
        if rest and self.wake is not None:
            self.wake()

    @contextlib.asynccontextmanager
    async def _typing(self, chat: int, at_once: bool = False) -> AsyncIterator[None]:
        """Show 'typing…' while a step takes longer than typing_after (files: at once).

        A timer, not a task, waits for typing_after: a quick step (the usual one) creates,
        runs and cancels nothing on its way to the answer."""
        started: list[asyncio.Task[None]] = []

        async def keep_typing() -> None:
            while True:
                # Shielded: stopping mid-request would drop the connection under the request.
                request = asyncio.create_task(self.courier.typing(chat))
                self._background.add(request)
                request.add_done_callback(self._background.discard)
                await asyncio.shield(request)
                await asyncio.sleep(4.5)

        def start() -> None:
            started.append(asyncio.create_task(keep_typing()))

        loop = asyncio.get_running_loop()
        timer = loop.call_soon(start) if at_once else loop.call_later(self.typing_after, start)
        try:
            yield
        finally:
            timer.cancel()
            for task in started:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


def _kind(message: Message) -> str:
    """What a message no step reads is, to name it back: a sticker, a die, a location..."""
    for kind, found in (("sticker", message.sticker), ("dice", message.dice),
                        ("contact", message.contact), ("location", message.location),
                        ("location", message.venue), ("poll", message.poll)):
        if found is not None:
            return kind
    return "other"


def _sentence(text: str) -> str:
    """An alert ends there: "…Responda à pergunta atual:" points at nothing in a popup."""
    text = text.rstrip()
    return text[:-1] + "." if text.endswith(":") else text
