"""tickets: ix_tickets_taken, the tickets first taken in a window by an index (R14)

The coordinator's report times the tickets first taken in its window. assigned_at had no
index, so they were found among the open tickets and those closed since the window began:
a month a year back read every ticket closed in the year after it. The partial index holds
the taken tickets by the moment they were first taken, with what the report reads of them
(a ticket is added once, when first taken; a new one, not taken, is not written to it).

Revision ID: 0031_report_taken_index
Revises: 0030_solution_judged_when_sent
Create Date: 2026-12-07 14:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_report_taken_index"
down_revision: str | Sequence[str] | None = "0030_solution_judged_when_sent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = "assigned_at IS NOT NULL"


def upgrade() -> None:
    """Add ix_tickets_taken (assigned_at, company_id, opened_at, priority) over the taken
    tickets."""
    op.create_index("ix_tickets_taken", "tickets",
                    ["assigned_at", "company_id", "opened_at", "priority"],
                    sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade() -> None:
    """Drop ix_tickets_taken."""
    op.drop_index("ix_tickets_taken", table_name="tickets")
