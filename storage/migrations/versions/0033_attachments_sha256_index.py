"""attachments: ix_attachments_sha256, where the first 0032 left it out

FILES_DIR's sweep asks whether a row names an old file (up to 1 000 a run) and reads every name
once a run: attachments.sha256 had no index, each ask read the whole table (85–170 ms at
500 000 attachments), and every name was read and sorted (3–11 s; 1.2–1.4 s by the index).
The index was added to 0032 an hour after 0032 first landed, so a database migrated by the
first 0032 lacks it; it is made here, only where it is missing (0032 no longer makes it).

Revision ID: 0033_attachments_sha256_index
Revises: 0032_ticket_taken_at
Create Date: 2026-12-07 20:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0033_attachments_sha256_index"
down_revision: str | Sequence[str] | None = "0032_ticket_taken_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ix_attachments_sha256 (sha256) unless the extended 0032 made it already."""
    op.execute("CREATE INDEX IF NOT EXISTS ix_attachments_sha256 ON attachments (sha256)")


def downgrade() -> None:
    """Drop ix_attachments_sha256."""
    op.drop_index("ix_attachments_sha256", table_name="attachments")
