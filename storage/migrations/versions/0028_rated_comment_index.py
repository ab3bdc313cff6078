"""tickets: ix_tickets_rated_comment, one company's rating comments by an index (R20)

The coordinator's report of one company lists its latest low ratings with a comment. Its
plan walked the window's rating lines of every company from the end until it found ten of
that company's: with a big neighbour, thousands of rows for a handful. The partial index
holds only the tickets with a comment, by company.

Revision ID: 0028_rated_comment_index
Revises: 0027_rating_comment
Create Date: 2026-12-07 00:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_rated_comment_index"
down_revision: str | Sequence[str] | None = "0027_rating_comment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = "rating_comment IS NOT NULL"


def upgrade() -> None:
    """Add ix_tickets_rated_comment (company_id, id) over the tickets with a comment."""
    op.create_index("ix_tickets_rated_comment", "tickets", ["company_id", "id"],
                    sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade() -> None:
    """Drop ix_tickets_rated_comment."""
    op.drop_index("ix_tickets_rated_comment", table_name="tickets")
