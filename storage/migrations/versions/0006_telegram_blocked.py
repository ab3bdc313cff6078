"""telegram: since when a chat refuses the bot's messages

Revision ID: 0006_telegram_blocked
Revises: 0005_telegram_updates
Create Date: 2026-12-03 15:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_telegram_blocked"
down_revision: str | Sequence[str] | None = "0005_telegram_updates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add telegram_chats.blocked_since."""
    op.add_column("telegram_chats",
                  sa.Column("blocked_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop telegram_chats.blocked_since."""
    with op.batch_alter_table("telegram_chats") as batch:
        batch.drop_column("blocked_since")
