"""outbox_workers: each dispatcher's channels and heartbeat

An instance without a sender for a channel (no SLACK_BOT_TOKEN) failed that channel's rows,
which another instance could send. Each dispatcher now records the channels it serves every
few seconds; a channel's rows fail only when no instance seen lately serves it.

Revision ID: 0019_outbox_workers
Revises: 0018_outbox_unposted
Create Date: 2026-12-06 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_outbox_workers"
down_revision: str | Sequence[str] | None = "0018_outbox_unposted"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add outbox_workers."""
    op.create_table(
        "outbox_workers",
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("channels", sa.String(200), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("seen_at", TS, nullable=False),
        sa.Column("stopped_at", TS),
        sa.PrimaryKeyConstraint("worker", name="pk_outbox_workers"),
    )


def downgrade() -> None:
    """Drop outbox_workers."""
    op.drop_table("outbox_workers")
