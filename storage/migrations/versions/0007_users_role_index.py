"""users: index on role, so the agents' list does not read every customer

Revision ID: 0007_users_role_index
Revises: 0006_telegram_blocked
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_users_role_index"
down_revision: str | Sequence[str] | None = "0006_telegram_blocked"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ix_users_role."""
    op.create_index("ix_users_role", "users", ["role"])


def downgrade() -> None:
    """Drop ix_users_role."""
    op.drop_index("ix_users_role", table_name="users")
