"""slack_kept_notes: a refused Encaminhar's note, kept for the button that offers it as an
internal note (its value held the note itself, so a note over 2 000 characters had no button)

Revision ID: 0023_slack_kept_notes
Revises: 0022_workaround_at
Create Date: 2026-12-06 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_slack_kept_notes"
down_revision: str | Sequence[str] | None = "0022_workaround_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add slack_kept_notes (empty: buttons posted before carry their note in their value)."""
    op.create_table(
        "slack_kept_notes",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("slack_id", sa.String(50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name="fk_slack_kept_notes_ticket_id_tickets",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token", name="pk_slack_kept_notes"),
    )


def downgrade() -> None:
    """Drop slack_kept_notes (the buttons posted meanwhile no longer find their note)."""
    op.drop_table("slack_kept_notes")
