"""tickets, entries: the indexes of the coordinator's report (helpdesk tickets report)

The report counts a window's tickets opened (by origin and coverage, R22/R23), closed (by
decision, rating and responsible, R18-R20) and the system lines written in it (a solution
sent, Não aprovar, a rating: R13, R19, R20), each by an index range over the window alone.

Revision ID: 0025_report_indexes
Revises: 0024_queue_after_workaround
Create Date: 2026-12-06 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_report_indexes"
down_revision: str | Sequence[str] | None = "0024_queue_after_workaround"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS_WHERE = ("kind = 'sistema' AND (\"text\" = 'approval_requested' OR "
                "\"text\" LIKE 'nao_aprovado %' OR \"text\" LIKE 'rated %')")
"""storage.tables.REPORT_EVENTS_WHERE as of this revision (a migration never reads the live
module)."""


def upgrade() -> None:
    """Add ix_tickets_opened_origin, ix_tickets_closed and ix_entries_report_events."""
    op.create_index("ix_tickets_opened_origin", "tickets",
                    ["opened_at", "company_id", "origin", "covered", "billable"])
    op.create_index("ix_tickets_closed", "tickets",
                    ["closed_at", "company_id", "assignee_id", "status", "decision", "rating"])
    op.create_index("ix_entries_report_events", "entries", ["created_at"],
                    sqlite_where=sa.text(EVENTS_WHERE), postgresql_where=sa.text(EVENTS_WHERE))


def downgrade() -> None:
    """Drop the report's indexes."""
    op.drop_index("ix_entries_report_events", table_name="entries")
    op.drop_index("ix_tickets_closed", table_name="tickets")
    op.drop_index("ix_tickets_opened_origin", table_name="tickets")
