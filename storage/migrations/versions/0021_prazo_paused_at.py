"""tickets: prazo_paused_at, since when the prazo waits on the customer's answer to a proposal

A ticket Em estimativa whose commercial proposal awaits the customer's approval waits on the
customer (R13, R16): the sweeps and the overdue list leave it out, and the answer moves the
prazo by the time waited.

Revision ID: 0021_prazo_paused_at
Revises: 0020_job_runs
Create Date: 2026-12-06 07:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_prazo_paused_at"
down_revision: str | Sequence[str] | None = "0020_job_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add tickets.prazo_paused_at (NULL: the prazo runs)."""
    op.add_column("tickets", sa.Column("prazo_paused_at", sa.DateTime(timezone=True),
                                       nullable=True))


def downgrade() -> None:
    """Drop tickets.prazo_paused_at."""
    # Not a batch (copy-and-move) on SQLite: that would drop the full-text index's triggers.
    op.drop_column("tickets", "prazo_paused_at")
