"""users: deactivated_at and deactivation_reason, when and why an account was deactivated

Revision ID: 0011_user_deactivation
Revises: 0010_search_roots
Create Date: 2026-12-05 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_user_deactivation"
down_revision: str | Sequence[str] | None = "0010_search_roots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add users.deactivated_at and users.deactivation_reason (NULL: active, or unknown)."""
    op.add_column("users", sa.Column("deactivated_at", sa.DateTime(timezone=True),
                                     nullable=True))
    op.add_column("users", sa.Column("deactivation_reason", sa.String(200), nullable=True))


def downgrade() -> None:
    """Drop both columns (accounts stay deactivated: users.active is untouched)."""
    op.drop_column("users", "deactivation_reason")
    op.drop_column("users", "deactivated_at")
