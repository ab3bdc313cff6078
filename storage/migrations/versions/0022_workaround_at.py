"""tickets: workaround_at, when a workaround (solução de contorno) first reached the customer

A critical ticket's answer may be a workaround until the definitive fix (R12, §8): the ticket
stays open for the fix, whose prazo is the Padrão one.

Revision ID: 0022_workaround_at
Revises: 0021_prazo_paused_at
Create Date: 2026-12-06 07:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_workaround_at"
down_revision: str | Sequence[str] | None = "0021_prazo_paused_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add tickets.workaround_at (NULL: no workaround sent)."""
    op.add_column("tickets", sa.Column("workaround_at", sa.DateTime(timezone=True),
                                       nullable=True))


def downgrade() -> None:
    """Drop tickets.workaround_at."""
    # Not a batch (copy-and-move) on SQLite: that would drop the full-text index's triggers.
    op.drop_column("tickets", "workaround_at")
