"""tickets: billing_quote, what a billable service will cost, shown before it is authorized

Revision ID: 0008_billing_quote
Revises: 0007_users_role_index
Create Date: 2026-12-04 20:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_billing_quote"
down_revision: str | Sequence[str] | None = "0007_users_role_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add tickets.billing_quote (NULL: no quote given)."""
    op.add_column("tickets", sa.Column("billing_quote", sa.String(200), nullable=True))


def downgrade() -> None:
    """Drop tickets.billing_quote."""
    # Not a batch (copy-and-move) on SQLite: that would drop the full-text index's triggers.
    op.drop_column("tickets", "billing_quote")
