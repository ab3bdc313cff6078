"""Tables of the Telegram channel: which bot message is about which ticket, the chat's current
question, and the updates fetched and not yet processed (failed invite codes are counted for
every channel, in storage.tables.link_failures)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Table, Text

from storage.tables import metadata
from storage.types import UtcDateTime

telegram_messages = Table(
    "telegram_messages",
    metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("message_id", BigInteger, primary_key=True, autoincrement=False),
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    Index("ix_telegram_messages_ticket_id", "ticket_id"),
    Index("ix_telegram_messages_sent_at", "sent_at"),
)
"""A bot message about one ticket: replying to it adds a trâmite to that ticket."""

telegram_chats = Table(
    "telegram_chats",
    metadata,
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("prompt_message_id", BigInteger),
    Column("prompt_keyboard", Boolean, nullable=False, default=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("blocked_since", UtcDateTime),
)
"""The message carrying the chat's current question (its buttons go when a new one is sent),
and since when Telegram refuses to deliver to the chat (the person blocked the bot)."""

telegram_updates = Table(
    "telegram_updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("payload", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)
"""Updates fetched by long polling and not yet processed: kept before Telegram is told it may
forget them (the next getUpdates' offset), replayed after a crash."""
