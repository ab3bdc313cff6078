"""search: SQLite's FTS5 scope column holds each ticket's status too ("s<status>")

A search across every company in a tab few tickets are in ("nota" in Aguardando aprovação)
read every ticket holding its words to keep the tab's: 320-470 ms at 1 000 000 tickets for
the total. With the status in the scope column FTS5 ANDs the tab's short list with the words'
(underscores dropped: "aguardando_aprovacao" would be two tokens). The triggers now rewrite
a ticket's row of the index when its status changes (0.07 ms for a typical ticket).
PostgreSQL is left as it is.

Revision ID: 0015_fts_status
Revises: 0014_slack_opened_cards
Create Date: 2026-12-08 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_fts_status"
down_revision: str | Sequence[str] | None = "0014_slack_opened_cards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
_PREFIX = "prefix='{}'".format(" ".join(str(n) for n in range(1, 21)))
_COLS = "number, assunto, descricao, scope, roots"
_SCOPED = "number, assunto, descricao, company_id, requester_id, search_roots"
_SCOPE = "'c' || {row}.company_id || ' r' || {row}.requester_id"
_STATUS = " || ' s' || replace({row}.status, '_', '')"


def _sqlite(scope: str, watched: str) -> list[str]:
    """0010's contentless FTS5 table and triggers, with this scope column."""
    values = ("{row}.id, {row}.number, {row}.assunto, {row}.descricao, "
              f"{scope}, {{row}}.search_roots")
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in watched.split(", "))
    return [
        "DROP TRIGGER IF EXISTS tickets_fts_update",
        "DROP TRIGGER IF EXISTS tickets_fts_delete",
        "DROP TRIGGER IF EXISTS tickets_fts_insert",
        "DROP TABLE IF EXISTS tickets_fts",
        f"CREATE VIRTUAL TABLE tickets_fts USING fts5({_COLS}, content='', {_TOKENIZE}, {_PREFIX})",
        f"""CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO tickets_fts(rowid, {_COLS}) VALUES ({values.format(row="new")});
        END""",
        f"""CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO tickets_fts(tickets_fts, rowid, {_COLS})
            VALUES ('delete', {values.format(row="old")});
        END""",
        f"""CREATE TRIGGER tickets_fts_update AFTER UPDATE OF {watched} ON tickets
        WHEN {changed}
        BEGIN
            INSERT INTO tickets_fts(tickets_fts, rowid, {_COLS})
            VALUES ('delete', {values.format(row="old")});
            INSERT INTO tickets_fts(rowid, {_COLS}) VALUES ({values.format(row="new")});
        END""",
        f"INSERT INTO tickets_fts(rowid, {_COLS}) SELECT {values.format(row='tickets')} "
        "FROM tickets",
    ]


SQLITE_UP = _sqlite(_SCOPE + _STATUS, f"{_SCOPED}, status")
SQLITE_DOWN = _sqlite(_SCOPE, _SCOPED)


def _run(statements: list[str]) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for ddl in statements:
        op.execute(sa.text(ddl))


def upgrade() -> None:
    """Rebuild SQLite's tickets_fts with each ticket's status in its scope column."""
    _run(SQLITE_UP)


def downgrade() -> None:
    """Rebuild it with the company and requester alone, as 0010 left it."""
    _run(SQLITE_DOWN)
