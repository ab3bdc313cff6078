"""slack_opened_cards: the ticket cards Abrir showed each person lately, so another Abrir
points to the card (updated) instead of posting it again

Revision ID: 0014_slack_opened_cards
Revises: 0013_slack_homes
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_slack_opened_cards"
down_revision: str | Sequence[str] | None = "0013_slack_homes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add slack_opened_cards (empty: the next Abrir of each card shows it as before)."""
    op.create_table(
        "slack_opened_cards",
        sa.Column("slack_id", sa.String(50), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.String(50), nullable=True),
        sa.Column("drawn", sa.String(64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pointed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name="fk_slack_opened_cards_ticket_id_tickets",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("slack_id", "channel", "ticket_id",
                                name="pk_slack_opened_cards"),
    )


def downgrade() -> None:
    """Drop slack_opened_cards (every Abrir shows the card again)."""
    op.drop_table("slack_opened_cards")
