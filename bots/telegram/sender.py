"""Deliver outbox rows to Telegram chats with python-telegram-bot's Bot.

Three kinds of rows: notifications about a ticket (public trâmites, status changes...), the
approval and billing prompts (sent as the conversation's question, with their buttons, through
core's prompt_for_ticket_event so the next click is understood), and conversation answers the
channel handed over (kind telegram.replies). With a desk, every message about a ticket is
remembered, so replying to it in Telegram adds a trâmite to that ticket.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from telegram import Bot

from bots.delivery import notice_files as files
from bots.delivery.render import render
from bots.delivery.results import SEND_DEADLINE, Permanent, Result, RetryAfter, Sent, Transient
from bots.runtime import Desk
from bots.telegram import notice_files
from bots.telegram.courier import Courier
from bots.telegram.errors import (
    UNREACHABLE_HINTS,
    classify,
    retry_seconds,
    use_timedelta_periods,
)
from bots.telegram.menus import set_menu, show_staff_menu
from bots.telegram.render import (
    MAX_TEXT,
    Outgoing,
    agent_html,
    escape,
    html_parts,
    one_message,
    render_replies,
    text_messages,
)
from bots.telegram.steps import REPLIES_KIND, STAFF_MENU, chat_blocked, delivered
from bots.telegram.transport import AiohttpRequest
from core.conversation.identity import telegram_key
from core.conversation.replies import Reply
from core.conversation.ticket_prompts import TICKET_PROMPTS, prompt_for_ticket_event
from core.errors import Conflict, HelpdeskError
from core.i18n import AGENT_TYPED, t
from core.outbox import TELEGRAM_MENU, UNSENT, OutboxMessage

log = logging.getLogger(__name__)

__all__ = ["MAX_TEXT", "UNREACHABLE_HINTS", "TelegramSender", "classify", "retry_seconds",
           "use_timedelta_periods"]


_SPOT = "\ue000"
REPLYABLE = frozenset({"ticket.tramite", "ticket.workaround"})
"""The notifications people most often answer (a trâmite, a workaround to try): they tell
them a reply reaches the ticket."""


class TelegramSender:
    """Sends one outbox row as one or more messages; never raises for a delivery failure."""

    def __init__(self, bot: Bot, *, language: str = "pt_BR", desk: Desk | None = None,
                 owns_bot: bool = True, files_dir: str = "files") -> None:
        self.bot = bot
        self.files_dir = files_dir
        self.language = language
        self.desk = desk
        self.owns_bot = owns_bot
        self.courier = Courier(bot, budget=0.0)

    @classmethod
    def from_token(cls, token: str, api_url: str = "https://api.telegram.org", *,
                   timeout: float = 20.0, language: str = "pt_BR",
                   desk: Desk | None = None, files_dir: str = "files") -> TelegramSender:
        """A sender with its own Bot against the Bot API at api_url (a fake one in tests)."""
        use_timedelta_periods()
        request = AiohttpRequest(connection_pool_size=16, connect_timeout=5.0,
                               read_timeout=timeout, write_timeout=timeout, pool_timeout=5.0)
        bot = Bot(token, base_url=f"{api_url.rstrip('/')}/bot", request=request)
        return cls(bot, language=language, desk=desk, files_dir=files_dir)

    def compose(self, msg: OutboxMessage, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The chat and the plain text of a notification (escaped and split when sent)."""
        lang = msg.params.get("language") or self.language
        _, text = render(msg.kind, msg.params if params is None else params, lang)
        if msg.kind in REPLYABLE and msg.ticket_id is not None and self.desk is not None:
            # A reply to this message becomes a trâmite (bots.telegram.steps): say so.
            text += "\n\n" + t("telegram.reply_hint", lang, number=msg.params.get("number"))
        return {"chat_id": int(msg.target), "text": text}

    def uploads(self, msg: OutboxMessage) -> bool:
        """Whether the row uploads a file (a chat's answer with one, a trâmite's files): given
        longer to send."""
        if files.wanted(msg):
            return True
        return msg.kind == REPLIES_KIND and any(
            isinstance(m, dict) and m.get("document") for m in msg.params.get("messages") or [])

    def cut_uploads(self) -> None:
        """A stop: end the uploads whose file has not gone out (transport.UploadCut), so their
        rows are sent at the next start rather than waited for; no new one starts."""
        request = self.bot.request
        if isinstance(request, AiohttpRequest):
            request.cut_uploads()

    async def send(self, msg: OutboxMessage) -> Result:
        """Deliver one row and classify the outcome."""
        if msg.kind == TELEGRAM_MENU:
            return await self._menu(msg)
        try:
            chat_id, messages = await self.outgoing(msg)
        except (ValueError, KeyError, TypeError) as exc:
            return Permanent(t("telegram.invalid_row", self.language, target=repr(msg.target),
                               error=exc))
        result = await self.deliver(chat_id, messages, resumed=_rest(msg) is not None)
        menu = msg.params.get(STAFF_MENU) if msg.kind == REPLIES_KIND else None
        if menu and isinstance(result, Sent):  # a step's answer that linked an agent
            await show_staff_menu(self.bot, chat_id, str(menu))
        return result

    async def outgoing(self, msg: OutboxMessage) -> tuple[int, list[Outgoing]]:
        """The chat and the messages a row stands for (those still to send, when an earlier
        attempt sent the first ones)."""
        rest = _rest(msg)
        if rest is not None:
            return int(msg.target), [Outgoing.model_validate(m) for m in rest]
        if msg.kind == REPLIES_KIND:
            return int(msg.target), [Outgoing.model_validate(m) for m in msg.params["messages"]]
        if msg.ticket_id is not None and msg.kind in TICKET_PROMPTS:
            replies = await self._prompt(msg)
            if replies:
                messages = one_message(render_replies(
                    replies, msg.params.get("language") or self.language))
                for message in messages:
                    message.ticket_id = msg.ticket_id if message.document is None else None
                return int(msg.target), messages
        kwargs = self.compose(msg)
        rich = self._rich(msg)
        messages = [Outgoing(html=part, ticket_id=msg.ticket_id) for part in rich] if rich \
            else text_messages(str(kwargs["text"]), ticket_id=msg.ticket_id)
        return int(kwargs["chat_id"]), messages + await self._documents(msg)

    async def _documents(self, msg: OutboxMessage) -> list[Outgoing]:
        """The trâmite's files, to send after its text (none without a desk to read them)."""
        if self.desk is None or not files.wanted(msg):
            return []
        items = await self.desk.acall(files.entry_files, msg)
        return notice_files.documents(items, msg.ticket_id, msg.params.get("number"),
                                      msg.params.get("language") or self.language)

    def _rich(self, msg: OutboxMessage) -> list[str] | None:
        """A trâmite or a solution with the agent's bold, code and links as HTML; None for the
        plain text."""
        name = AGENT_TYPED.get(msg.kind)
        typed = msg.params.get(name) if name else None
        if name is None or not isinstance(typed, str):
            return None
        # The catalog's words are escaped around a mark, which the agent's HTML then replaces.
        text = str(self.compose(msg, {**msg.params, name: _SPOT})["text"])
        if text.count(_SPOT) != 1:
            return None
        return html_parts(escape(text).replace(_SPOT, agent_html(typed)))

    async def _menu(self, msg: OutboxMessage) -> Result:
        """Set a staff member's chat menu (users.deactivate / reactivate wrote the row)."""
        try:
            await set_menu(self.bot, int(msg.target), msg.params.get("menu") == "team",
                           msg.params.get("language") or self.language)
        except Exception as exc:  # a menu's failure says nothing of the person's chat
            result = classify(exc)
            return Permanent(result.error) if isinstance(result, Permanent) else result
        return Sent(f"menu {msg.params.get('menu')}")

    async def deliver(self, chat_id: int, messages: list[Outgoing], *, resumed: bool = False
                      ) -> Result:
        """Send the messages in order; after a partial send the row keeps the rest for its
        next attempt (core.outbox.UNSENT), so it waits as Telegram said and nothing of the
        chat's goes between its messages (`resumed`: these are such a rest already).

        The rest starts at the message that failed, even when its answer alone was lost
        (Telegram may have it: PTB's NetworkError or TimedOut says nothing of whether the
        request was processed, the Bot API has no idempotency key and no method reads a
        chat's messages to look for it); the messages answered are never sent again, also
        when the dispatcher's deadline (SEND_DEADLINE) ends the attempt."""
        sent: list[tuple[int, Outgoing]] = []
        deadline = SEND_DEADLINE.get()
        for index, message in enumerate(messages):
            try:
                # Stopped at the dispatcher's deadline by us, not cut by it: the messages
                # answered are known, and the next attempt starts at this one.
                async with asyncio.timeout_at(deadline.at if deadline else None):
                    message_id = await self.courier.send(chat_id, message) \
                        if message.stored is None else \
                        await notice_files.send(self.courier, chat_id, message, self.files_dir)
            except Exception as exc:  # every failure becomes a result; the dispatcher logs it
                result = classify(exc) if deadline is None or not isinstance(exc, TimeoutError) \
                    else Transient(t("delivery.no_answer", self.language,
                                     seconds=f"{deadline.seconds:g}"))
                if isinstance(result, Permanent) and result.unreachable:
                    await self._blocked(chat_id)
                if (sent or resumed) and isinstance(result, RetryAfter | Transient):
                    result = replace(result, unsent=[m.model_dump(mode="json")
                                                     for m in messages[index:]])
                await self._remember(chat_id, sent)
                return result
            sent.append((message_id, message))
        await self._remember(chat_id, sent)
        return Sent(str(sent[-1][0]) if sent else None)

    async def _blocked(self, chat_id: int) -> None:
        """Remember that the chat refuses the bot, until its person writes again."""
        if self.desk is None:
            return
        try:
            await self.desk.acall(chat_blocked, chat_id)
        except Exception:
            log.exception("could not record that chat %s blocked the bot", chat_id)

    async def _prompt(self, msg: OutboxMessage) -> list[Reply]:
        """The approval/billing question core puts in the chat, or [] for the plain text."""
        if self.desk is None:
            return []
        key = telegram_key(msg.target, msg.target)
        for _ in range(3):
            try:
                return await self.desk.acall(prompt_for_ticket_event, key, msg.ticket_id or 0,
                                             msg.kind)
            except Conflict:
                continue
            except HelpdeskError:
                return []
        return []

    async def _remember(self, chat_id: int, sent: list[tuple[int, Outgoing]]) -> None:
        """Record what went out; take the buttons off the question it replaced."""
        if self.desk is None or not sent:
            return
        try:
            previous = await self.desk.acall(delivered, chat_id, sent)
        except Exception:
            log.exception("could not record messages sent to chat %s", chat_id)
            return
        if previous is not None and previous.keyboard:
            await self.courier.remove_buttons(chat_id, previous.message_id)

    async def aclose(self) -> None:
        """Close the HTTP connections of a Bot this sender created."""
        if self.owns_bot:
            await self.bot.shutdown()
            # shutdown() skips a Bot never initialize()d, whose pool may still hold sockets.
            await self.bot.request.shutdown()


def _rest(msg: OutboxMessage) -> list[Any] | None:
    """The messages of a row an earlier attempt did not send (TelegramSender.deliver)."""
    rest = msg.params.get(UNSENT)
    return rest if isinstance(rest, list) else None
