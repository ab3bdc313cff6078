"""link_failures: failed invite codes of every chat channel, by conversation key

Revision ID: 0009_link_failures
Revises: 0008_billing_quote
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_link_failures"
down_revision: str | Sequence[str] | None = "0008_billing_quote"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
KEY = sa.String(100)


def upgrade() -> None:
    """Add link_failures, move Telegram's rows into it, drop telegram_link_failures."""
    op.create_table(
        "link_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("chat_id", KEY, nullable=False),
        sa.Column("user_key", KEY, nullable=False),
        sa.Column("failed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_link_failures"),
    )
    op.create_index("ix_link_failures_conversation", "link_failures",
                    ["channel", "chat_id", "user_key", "failed_at"])
    op.create_index("ix_link_failures_failed_at", "link_failures", ["failed_at"])
    # Telegram only serves private chats, whose id is the person's: the key is (chat, chat).
    op.execute(
        "INSERT INTO link_failures (channel, chat_id, user_key, failed_at) "
        "SELECT 'telegram', CAST(chat_id AS VARCHAR(100)), CAST(chat_id AS VARCHAR(100)), "
        "failed_at FROM telegram_link_failures")
    op.drop_index("ix_telegram_link_failures_chat_failed", table_name="telegram_link_failures")
    op.drop_table("telegram_link_failures")


def downgrade() -> None:
    """Give Telegram its own table back, with its rows; the other channels' are dropped."""
    op.create_table(
        "telegram_link_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("failed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_telegram_link_failures"),
    )
    op.create_index("ix_telegram_link_failures_chat_failed", "telegram_link_failures",
                    ["chat_id", "failed_at"])
    op.execute(
        "INSERT INTO telegram_link_failures (chat_id, failed_at) "
        "SELECT CAST(chat_id AS BIGINT), failed_at FROM link_failures "
        "WHERE channel = 'telegram' AND chat_id = user_key")
    op.drop_index("ix_link_failures_failed_at", table_name="link_failures")
    op.drop_index("ix_link_failures_conversation", table_name="link_failures")
    op.drop_table("link_failures")
