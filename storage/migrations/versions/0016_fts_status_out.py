"""search: the status out of SQLite's FTS5 scope column again (undoes 0015's index)

With the status in the index (0015) every status change rewrote the ticket's FTS5 row: a
delete and an insert of the same rowid, which makes FTS5 flush its pending terms to a new
segment and merge, each time. The auto-close sweep closing 100 due tickets took 5 962 ms at
1 000 000 tickets against 176 ms at 10 000 (45 / 40 ms before 0015). The index is rebuilt
as 0010 left it; a tab's search over every company filters the statuses on the tickets again.

Revision ID: 0016_fts_status_out
Revises: 0015_fts_status
Create Date: 2026-12-09 12:00:00
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_fts_status_out"
down_revision: str | Sequence[str] | None = "0015_fts_status"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_0015 = importlib.import_module("storage.migrations.versions.0015_fts_status")


def _run(statements: list[str]) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for ddl in statements:
        op.execute(sa.text(ddl))


def upgrade() -> None:
    """Rebuild SQLite's tickets_fts with the company and requester alone in its scope."""
    _run(_0015.SQLITE_DOWN)


def downgrade() -> None:
    """Rebuild it with each ticket's status in its scope, as 0015 did."""
    _run(_0015.SQLITE_UP)
