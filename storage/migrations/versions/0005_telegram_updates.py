"""telegram: the journal of polled updates not yet processed

Revision ID: 0005_telegram_updates
Revises: 0004_fts_scope
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_telegram_updates"
down_revision: str | Sequence[str] | None = "0004_fts_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add telegram_updates."""
    op.create_table(
        "telegram_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name="pk_telegram_updates"),
    )


def downgrade() -> None:
    """Drop telegram_updates."""
    op.drop_table("telegram_updates")
