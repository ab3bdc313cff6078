"""search: SQLite's FTS5 index scoped by company and requester, with prefix indexes

A customer's search used to match the whole table before keeping its company's tickets, and
a prefix word ("fiscal"*) merged the doclists of every ticket holding it: both grew with the
table. The index now holds a scope column ("c<company_id> r<requester_id>") the query ANDs
with, and prefix indexes of 1 to 20 characters, so every word is one doclist FTS5 can skip
through: the cost follows the scope's tickets. It is contentless (nothing else reads its
columns; no view on tickets to trip a later table rebuild), so triggers pass every value.
PostgreSQL is left as it is.

Revision ID: 0004_fts_scope
Revises: 0003_telegram
Create Date: 2026-11-28 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_fts_scope"
down_revision: str | Sequence[str] | None = "0003_telegram"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
_PREFIX = "prefix='{}'".format(" ".join(str(n) for n in range(1, 21)))
_COLS = "number, assunto, descricao, scope"
_OLD_COLS = "number, assunto, descricao"


def _values(row: str) -> str:
    return (f"{row}.id, {row}.number, {row}.assunto, {row}.descricao, "
            f"'c' || {row}.company_id || ' r' || {row}.requester_id")


def _old_values(row: str) -> str:
    return f"{row}.id, {row}.number, {row}.assunto, {row}.descricao"


def _changed(cols: str) -> str:
    return " OR ".join(f"old.{c} IS NOT new.{c}" for c in cols.split(", "))


_DROP = [
    "DROP TRIGGER IF EXISTS tickets_fts_update",
    "DROP TRIGGER IF EXISTS tickets_fts_delete",
    "DROP TRIGGER IF EXISTS tickets_fts_insert",
    "DROP TABLE IF EXISTS tickets_fts",
]

_SCOPED = "number, assunto, descricao, company_id, requester_id"

SQLITE_UP = [
    *_DROP,
    f"""CREATE VIRTUAL TABLE tickets_fts USING fts5({_COLS},
        content='', {_TOKENIZE}, {_PREFIX})""",
    f"""CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO tickets_fts(rowid, {_COLS}) VALUES ({_values("new")});
    END""",
    f"""CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, {_COLS}) VALUES ('delete', {_values("old")});
    END""",
    f"""CREATE TRIGGER tickets_fts_update AFTER UPDATE OF {_SCOPED} ON tickets
    WHEN {_changed(_SCOPED)}
    BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, {_COLS}) VALUES ('delete', {_values("old")});
        INSERT INTO tickets_fts(rowid, {_COLS}) VALUES ({_values("new")});
    END""",
    f"""INSERT INTO tickets_fts(rowid, {_COLS})
        SELECT {_values("tickets")} FROM tickets""",
]

SQLITE_DOWN = [
    *_DROP,
    f"""CREATE VIRTUAL TABLE tickets_fts USING fts5({_OLD_COLS},
        content='tickets', content_rowid='id', {_TOKENIZE})""",
    f"""CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO tickets_fts(rowid, {_OLD_COLS}) VALUES ({_old_values("new")});
    END""",
    f"""CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, {_OLD_COLS})
        VALUES ('delete', {_old_values("old")});
    END""",
    f"""CREATE TRIGGER tickets_fts_update AFTER UPDATE OF {_OLD_COLS} ON tickets
    WHEN {_changed(_OLD_COLS)}
    BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, {_OLD_COLS})
        VALUES ('delete', {_old_values("old")});
        INSERT INTO tickets_fts(rowid, {_OLD_COLS}) VALUES ({_old_values("new")});
    END""",
    "INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')",
]


def _run(statements: list[str]) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for ddl in statements:
        op.execute(sa.text(ddl))


def upgrade() -> None:
    """Rebuild SQLite's tickets_fts with the scope column and prefix indexes."""
    _run(SQLITE_UP)


def downgrade() -> None:
    """Put back the unscoped external-content tickets_fts of 0001."""
    _run(SQLITE_DOWN)
