"""telegram: message→ticket links, the chat's current question, failed link attempts

Revision ID: 0003_telegram
Revises: 0002_delivery
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_telegram"
down_revision: str | Sequence[str] | None = "0002_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add telegram_messages, telegram_chats and telegram_link_failures."""
    op.create_table(
        "telegram_messages",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], ondelete="CASCADE",
                                name="fk_telegram_messages_ticket_id_tickets"),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name="pk_telegram_messages"),
    )
    op.create_index("ix_telegram_messages_ticket_id", "telegram_messages", ["ticket_id"])
    op.create_index("ix_telegram_messages_sent_at", "telegram_messages", ["sent_at"])
    op.create_table(
        "telegram_chats",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("prompt_message_id", sa.BigInteger(), nullable=True),
        sa.Column("prompt_keyboard", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name="pk_telegram_chats"),
    )
    op.create_table(
        "telegram_link_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("failed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_telegram_link_failures"),
    )
    op.create_index("ix_telegram_link_failures_chat_failed", "telegram_link_failures",
                    ["chat_id", "failed_at"])


def downgrade() -> None:
    """Drop the Telegram tables."""
    op.drop_index("ix_telegram_link_failures_chat_failed", table_name="telegram_link_failures")
    op.drop_table("telegram_link_failures")
    op.drop_table("telegram_chats")
    op.drop_index("ix_telegram_messages_sent_at", table_name="telegram_messages")
    op.drop_index("ix_telegram_messages_ticket_id", table_name="telegram_messages")
    op.drop_table("telegram_messages")
