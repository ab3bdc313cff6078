"""The Telegram channel's own rows, inside the unit of work's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.outbox import DeliveryStatus
from storage.sql.base import SqlRepo
from storage.tables import outbox
from storage.telegram_tables import telegram_chats, telegram_messages


@dataclass(frozen=True)
class ChatPrompt:
    """The bot message showing a chat's current question."""

    message_id: int
    keyboard: bool


# The statements of every chat step, built once (their compiled form is cached by SQLAlchemy).
_TICKET_OF = select(telegram_messages.c.ticket_id).where(
    telegram_messages.c.chat_id == bindparam("chat"),
    telegram_messages.c.message_id == bindparam("message"))
_PROMPT = select(telegram_chats.c.prompt_message_id, telegram_chats.c.prompt_keyboard,
                 telegram_chats.c.blocked_since).where(
    telegram_chats.c.chat_id == bindparam("chat"))
_OUTBOX_SENT = (update(outbox)
                .where(outbox.c.id == bindparam("row"),
                       outbox.c.status == DeliveryStatus.PENDING)
                .values(status=DeliveryStatus.SENT, sent_at=bindparam("now"), last_error=None,
                        claimed_by=None, claimed_until=None))


@cache
def _upserts(dialect: str) -> tuple[Any, Any]:
    """(remember a message, set the prompt) as this dialect's INSERT … ON CONFLICT."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    remember = insert(telegram_messages).on_conflict_do_nothing(
        index_elements=[telegram_messages.c.chat_id, telegram_messages.c.message_id])
    prompt = insert(telegram_chats)
    prompt = prompt.on_conflict_do_update(
        index_elements=[telegram_chats.c.chat_id],
        set_={"prompt_message_id": prompt.excluded.prompt_message_id,
              "prompt_keyboard": prompt.excluded.prompt_keyboard,
              "updated_at": prompt.excluded.updated_at})
    return remember, prompt


class SqlTelegram(SqlRepo):
    """Message→ticket links, the current question's message, whether the chat blocks the bot."""

    def remember_message(self, chat_id: int, message_id: int, ticket_id: int,
                         now: datetime) -> None:
        """Say that a bot message is about a ticket (a repeat keeps the first link)."""
        self.conn.execute(_upserts(self.dialect)[0], {
            "chat_id": chat_id, "message_id": message_id, "ticket_id": ticket_id, "sent_at": now})

    def ticket_of(self, chat_id: int, message_id: int) -> int | None:
        """The ticket a bot message is about, if any."""
        return self.conn.execute(_TICKET_OF, {"chat": chat_id, "message": message_id}
                                 ).scalar_one_or_none()

    def prompt(self, chat_id: int) -> ChatPrompt | None:
        """The message of the chat's current question."""
        return self.chat(chat_id)[0]

    def chat(self, chat_id: int) -> tuple[ChatPrompt | None, bool]:
        """The chat's current question and whether it was found blocking the bot."""
        row = self.conn.execute(_PROMPT, {"chat": chat_id}).first()
        if row is None:
            return None, False
        prompt = None if row.prompt_message_id is None else ChatPrompt(
            int(row.prompt_message_id), bool(row.prompt_keyboard))
        return prompt, row.blocked_since is not None

    def mark_blocked(self, chat_id: int, now: datetime) -> None:
        """Record that the chat refuses the bot's messages (the first time is kept)."""
        stmt = self.upsert(telegram_chats).values(
            chat_id=chat_id, prompt_keyboard=False, updated_at=now, blocked_since=now)
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=[telegram_chats.c.chat_id],
            set_={"blocked_since": func.coalesce(telegram_chats.c.blocked_since,
                                                 stmt.excluded.blocked_since)}))

    def clear_blocked(self, chat_id: int) -> None:
        """The chat takes the bot's messages again."""
        self.conn.execute(update(telegram_chats).where(telegram_chats.c.chat_id == chat_id)
                          .values(blocked_since=None))

    def set_prompt(self, chat_id: int, message_id: int, keyboard: bool, now: datetime) -> None:
        """Record the message that now shows the chat's current question."""
        self.conn.execute(_upserts(self.dialect)[1], {
            "chat_id": chat_id, "prompt_message_id": message_id, "prompt_keyboard": keyboard,
            "updated_at": now})

    def forget_messages(self, before: datetime) -> int:
        """Drop message→ticket links older than `before`."""
        stmt = delete(telegram_messages).where(telegram_messages.c.sent_at < before)
        return self.conn.execute(stmt).rowcount

    def outbox_sent(self, message_id: int, now: datetime) -> bool:
        """Close an outbox row the channel delivered itself (its safety net), if still pending."""
        return self.conn.execute(_OUTBOX_SENT, {"row": message_id, "now": now}).rowcount == 1
