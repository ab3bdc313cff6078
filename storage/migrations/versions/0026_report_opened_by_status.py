"""tickets: drop ix_tickets_opened_origin (0025); the report reads the opened by status

An index led by opened_at drew PostgreSQL's plans of the sweeps and of the searches (each
ordered by opening, with a LIMIT) into walking it and filtering every ticket. The report now
reads a window's opened tickets through ix_tickets_status_opened, every status named.

Revision ID: 0026_report_opened_by_status
Revises: 0025_report_indexes
Create Date: 2026-12-06 20:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0026_report_opened_by_status"
down_revision: str | Sequence[str] | None = "0025_report_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop ix_tickets_opened_origin."""
    op.drop_index("ix_tickets_opened_origin", table_name="tickets")


def downgrade() -> None:
    """Create ix_tickets_opened_origin again, as 0025 did."""
    op.create_index("ix_tickets_opened_origin", "tickets",
                    ["opened_at", "company_id", "origin", "covered", "billable"])
