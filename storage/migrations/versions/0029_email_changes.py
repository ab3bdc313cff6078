"""email_changes: a new e-mail address waits for the code sent to it (R11)

A customer's new address replaced the old one at once: a typo sent every later ticket e-mail
nowhere. The change is kept here until the code mailed to the new address is typed in the
chat (the old address stays in use meanwhile); one row per user.

Revision ID: 0029_email_changes
Revises: 0028_rated_comment_index
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_email_changes"
down_revision: str | Sequence[str] | None = "0028_rated_comment_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add email_changes."""
    op.create_table(
        "email_changes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("sent_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_email_changes_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name="pk_email_changes"),
    )


def downgrade() -> None:
    """Drop email_changes (the changes waiting for their code are forgotten)."""
    op.drop_table("email_changes")
