"""slack_dev_posts: where each ticket sent to development was posted in the development channel

Revision ID: 0012_slack_dev_posts
Revises: 0011_user_deactivation
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_slack_dev_posts"
down_revision: str | Sequence[str] | None = "0011_user_deactivation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add slack_dev_posts (posts made before it stay as they were: nothing knows their ts)."""
    op.create_table(
        "slack_dev_posts",
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("ts", sa.String(50), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name="fk_slack_dev_posts_ticket_id_tickets", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("channel", "ts", name="pk_slack_dev_posts"),
    )
    op.create_index("ix_slack_dev_posts_ticket_id", "slack_dev_posts", ["ticket_id"])


def downgrade() -> None:
    """Drop slack_dev_posts (the posts stay in Slack, no longer updated)."""
    op.drop_index("ix_slack_dev_posts_ticket_id", table_name="slack_dev_posts")
    op.drop_table("slack_dev_posts")
