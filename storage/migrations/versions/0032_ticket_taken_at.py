"""tickets.taken_at: when the responsible a ticket has now got it, and ix_tickets_taken_by

Assumir o próximo's double-press guard (R12) looked for the agent's ticket taken in the last
seconds by assigned_at, the ticket's first take (the report's first response, R14): a ticket
back in the queue and taken again kept its old moment, and a double press took a second ticket.
taken_at is set on every take (cleared when nobody has the ticket); the open tickets with
someone now are backfilled with their first take, the best known. Closed and rejected ones are
left NULL: the guard reads open tickets only, and rewriting every closed row (with the
full-text index's entries) took 226 s at 1 000 000 tickets on PostgreSQL. The partial index
finds an agent's tickets of a status by it, without reading every ticket she has.

ix_attachments_sha256 was made here for an hour after this migration first landed; 0033 makes
it now, also where the first version of this one ran.

Revision ID: 0032_ticket_taken_at
Revises: 0031_report_taken_index
Create Date: 2026-12-07 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_ticket_taken_at"
down_revision: str | Sequence[str] | None = "0031_report_taken_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = "taken_at IS NOT NULL"


def upgrade() -> None:
    """Add tickets.taken_at, backfilled from assigned_at where someone has an open ticket,
    and ix_tickets_taken_by (assignee_id, status, taken_at) over those."""
    op.add_column("tickets", sa.Column("taken_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE tickets SET taken_at = assigned_at WHERE assignee_id IS NOT NULL"
               " AND status NOT IN ('encerrado', 'rejeitado')")
    op.create_index("ix_tickets_taken_by", "tickets", ["assignee_id", "status", "taken_at"],
                    sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade() -> None:
    """Drop ix_tickets_taken_by and tickets.taken_at."""
    op.drop_index("ix_tickets_taken_by", table_name="tickets")
    op.drop_column("tickets", "taken_at")
