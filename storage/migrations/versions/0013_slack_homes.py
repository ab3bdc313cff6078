"""slack_homes: who opened the app's Home tab lately, so it is redrawn as the tickets change

Revision ID: 0013_slack_homes
Revises: 0012_slack_dev_posts
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_slack_homes"
down_revision: str | Sequence[str] | None = "0012_slack_dev_posts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add slack_homes (empty: a Home is kept up from its next opening on)."""
    op.create_table(
        "slack_homes",
        sa.Column("slack_id", sa.String(50), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slack_id", name="pk_slack_homes"),
    )


def downgrade() -> None:
    """Drop slack_homes (the Homes are then drawn only when opened)."""
    op.drop_table("slack_homes")
