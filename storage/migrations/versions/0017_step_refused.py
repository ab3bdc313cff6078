"""chat step: PostgreSQL's folded write refuses by a named error, not a division by zero

A Telegram chat step writes the conversation's save, the update id and its answer's outbox row
in one statement (storage.sql.delivery), all or none. When the save finds the conversation
moved or the id was recorded meanwhile, the statement divided by zero to abort itself.
helpdesk_all_written(counts...) says so by name: it returns 1 when every count is at least 1,
else raises SQLSTATE HD409 "chat step refused: …". SQLite is not concerned.

Revision ID: 0017_step_refused
Revises: 0016_fts_status_out
Create Date: 2026-12-10 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_step_refused"
down_revision: str | Sequence[str] | None = "0016_fts_status_out"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UP = """CREATE FUNCTION helpdesk_all_written(VARIADIC counts bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
    IF 0 = ANY(counts) THEN
        RAISE EXCEPTION 'chat step refused: the conversation moved or the update was taken'
            USING ERRCODE = 'HD409';
    END IF;
    RETURN 1;
END $$"""


def upgrade() -> None:
    """Create helpdesk_all_written on PostgreSQL."""
    if op.get_context().dialect.name == "postgresql":
        op.execute(sa.text(UP))


def downgrade() -> None:
    """Drop it."""
    if op.get_context().dialect.name == "postgresql":
        op.execute(sa.text("DROP FUNCTION helpdesk_all_written(bigint[])"))
