"""tickets: rating_comment, the customer's words given with the satisfaction rating (R20)

Feedback typed at the rating ("demorou muito, mas resolveu") is kept with the mark, as help
desks keep a CSAT comment; the coordinator's report lists the latest of the low ones.

Revision ID: 0027_rating_comment
Revises: 0026_report_opened_by_status
Create Date: 2026-12-06 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_rating_comment"
down_revision: str | Sequence[str] | None = "0026_report_opened_by_status"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add tickets.rating_comment (NULL: no comment given)."""
    op.add_column("tickets", sa.Column("rating_comment", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop tickets.rating_comment."""
    # Not a batch (copy-and-move) on SQLite: that would drop the full-text index's triggers.
    op.drop_column("tickets", "rating_comment")
