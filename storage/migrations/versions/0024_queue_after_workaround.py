"""tickets: the queue's index ranks a critical ticket given a workaround with the Padrão ones

R12: a workaround meets a critical ticket's urgency (its prazo becomes the Padrão one, 0022),
so the agents' queue no longer puts it first. The queue now orders by QUEUE_RANK (0 for a
critical ticket with no workaround, else 1), then opening time; its partial index follows.

Revision ID: 0024_queue_after_workaround
Revises: 0023_slack_kept_notes
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_queue_after_workaround"
down_revision: str | Sequence[str] | None = "0023_slack_kept_notes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE_WHERE = (
    "status IN ('novo', 'em_estimativa', 'repassada', 'em_atendimento', 'em_desenvolvimento')"
)
"""storage.tables.QUEUE_WHERE as of this revision (a migration never reads the live module)."""
RANK = "(CASE WHEN priority = 'critico' AND workaround_at IS NULL THEN 0 ELSE 1 END)"


def _index(*cols: str | sa.TextClause) -> None:
    op.create_index("ix_tickets_queue", "tickets", list(cols),
                    sqlite_where=sa.text("+" + QUEUE_WHERE),
                    postgresql_where=sa.text(QUEUE_WHERE))


def upgrade() -> None:
    """Rebuild ix_tickets_queue on (the rank, opened_at, id)."""
    op.drop_index("ix_tickets_queue", table_name="tickets")
    _index(sa.text(RANK), "opened_at", "id")


def downgrade() -> None:
    """Back to (priority, opened_at, id): a workaround leaves a critical ticket first."""
    op.drop_index("ix_tickets_queue", table_name="tickets")
    _index("priority", "opened_at", "id")
