"""tickets: ix_tickets_closed also holds opened_at, the report's times from the index alone

The report's times (R14) read the window's closed tickets by ix_tickets_closed's range, then
each ticket from the table for its opened_at: 24 000 reads for a month at 1 000 000 tickets,
~60 ms of the storage's 300 ms of CPU on SQLite. With opened_at last, the window's closed
tickets are counted and timed from the index alone (PostgreSQL: an index-only scan); an index
led by opened_at drew other plans into reading every ticket, one ending with it does not.

Revision ID: 0035_report_closed_opened_at
Revises: 0033_attachments_sha256_index
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0035_report_closed_opened_at"
down_revision: str | Sequence[str] | None = "0033_attachments_sha256_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ["closed_at", "company_id", "assignee_id", "status", "decision", "rating"]


def upgrade() -> None:
    """Rebuild ix_tickets_closed with opened_at after its columns."""
    op.drop_index("ix_tickets_closed", table_name="tickets")
    op.create_index("ix_tickets_closed", "tickets", [*BEFORE, "opened_at"])


def downgrade() -> None:
    """ix_tickets_closed without opened_at again."""
    op.drop_index("ix_tickets_closed", table_name="tickets")
    op.create_index("ix_tickets_closed", "tickets", BEFORE)
