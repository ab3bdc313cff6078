"""search: each ticket's word roots (tickets.search_roots), indexed, so word forms find each other

"rejeição" now finds "rejeitada", "emitir" "emissão" (storage.search.root). The roots are
computed in Python, so they are a column the store writes with the ticket; SQLite's FTS5 index
gets a roots column (rebuilt as 0004 built it), PostgreSQL's search vector the lexemes
'~<root>', which no token of a text can be. Existing tickets get their roots here.

Revision ID: 0010_search_roots
Revises: 0009_link_failures
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.search import stored_roots

revision: str = "0010_search_roots"
down_revision: str | Sequence[str] | None = "0009_link_failures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5_000
_TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
_PREFIX = "prefix='{}'".format(" ".join(str(n) for n in range(1, 21)))
_SCOPED = "number, assunto, descricao, company_id, requester_id"


def _sqlite(cols: str, values: str, watched: str) -> list[str]:
    """0004's contentless FTS5 table and triggers, over these columns."""
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in watched.split(", "))
    return [
        "DROP TRIGGER IF EXISTS tickets_fts_update",
        "DROP TRIGGER IF EXISTS tickets_fts_delete",
        "DROP TRIGGER IF EXISTS tickets_fts_insert",
        "DROP TABLE IF EXISTS tickets_fts",
        f"CREATE VIRTUAL TABLE tickets_fts USING fts5({cols}, content='', {_TOKENIZE}, {_PREFIX})",
        f"""CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO tickets_fts(rowid, {cols}) VALUES ({values.format(row="new")});
        END""",
        f"""CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO tickets_fts(tickets_fts, rowid, {cols})
            VALUES ('delete', {values.format(row="old")});
        END""",
        f"""CREATE TRIGGER tickets_fts_update AFTER UPDATE OF {watched} ON tickets
        WHEN {changed}
        BEGIN
            INSERT INTO tickets_fts(tickets_fts, rowid, {cols})
            VALUES ('delete', {values.format(row="old")});
            INSERT INTO tickets_fts(rowid, {cols}) VALUES ({values.format(row="new")});
        END""",
        f"INSERT INTO tickets_fts(rowid, {cols}) SELECT {values.format(row='tickets')} "
        "FROM tickets",
    ]


_VALUES = ("{row}.id, {row}.number, {row}.assunto, {row}.descricao, "
           "'c' || {row}.company_id || ' r' || {row}.requester_id")
SQLITE_UP = _sqlite("number, assunto, descricao, scope, roots",
                    _VALUES + ", {row}.search_roots", f"{_SCOPED}, search_roots")
SQLITE_DOWN = _sqlite("number, assunto, descricao, scope", _VALUES, _SCOPED)

_TEXT_VECTOR = """setweight(to_tsvector('pt_unaccent', helpdesk_search_text({row}.number)), 'A')
    || to_tsvector('pt_unaccent', helpdesk_search_text({row}.assunto))
    || to_tsvector('pt_unaccent', helpdesk_search_text({row}.descricao))"""
_ROOTS_VECTOR = """coalesce(array_to_tsvector(string_to_array(
    '~' || replace(nullif({row}.search_roots, ''), ' ', ' ~'), ' ')), '')"""


def _postgres(vector: str, watched: str) -> list[str]:
    """0001's search trigger, making this vector of these columns."""
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched.split(", "))
    return [
        f"""CREATE OR REPLACE FUNCTION tickets_search_trg() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search := {vector.format(row="NEW")};
            RETURN NEW;
        END $$""",
        "DROP TRIGGER IF EXISTS tickets_search_update ON tickets",
        f"""CREATE TRIGGER tickets_search_update BEFORE UPDATE OF {watched} ON tickets
            FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION tickets_search_trg()""",
    ]


_WATCHED = "number, assunto, descricao"
POSTGRES_UP = _postgres(f"{_TEXT_VECTOR}\n    || {_ROOTS_VECTOR}", f"{_WATCHED}, search_roots")
POSTGRES_DOWN = [
    *_postgres(_TEXT_VECTOR, _WATCHED),
    f"UPDATE tickets SET search = {_TEXT_VECTOR.format(row='tickets')} "
    "WHERE search_roots IS NOT NULL",
]


def _run(statements: list[str]) -> None:
    for ddl in statements:
        op.execute(sa.text(ddl.replace(":", "\\:")))


def _fill_roots() -> None:
    """Write every ticket's roots, a batch of ids at a time."""
    conn = op.get_bind()
    tickets = sa.table("tickets", sa.column("id"), sa.column("assunto"),
                       sa.column("descricao"), sa.column("search_roots"))
    write = (sa.update(tickets).where(tickets.c.id == sa.bindparam("ticket_id"))
             .values(search_roots=sa.bindparam("roots")))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(tickets.c.id, tickets.c.assunto, tickets.c.descricao)
            .where(tickets.c.id > last).order_by(tickets.c.id).limit(_BATCH)).all()
        if not rows:
            return
        conn.execute(write, [{"ticket_id": r.id, "roots": stored_roots(r.assunto, r.descricao)}
                             for r in rows])
        last = rows[-1].id


def upgrade() -> None:
    """Add tickets.search_roots, fill it, and index it."""
    op.add_column("tickets", sa.Column("search_roots", sa.Text(), nullable=True))
    if op.get_context().dialect.name == "sqlite":
        _fill_roots()  # before the roots column's triggers: the index is then built in one go
        _run(SQLITE_UP)
    else:
        _run(POSTGRES_UP)
        _fill_roots()  # the search trigger writes each row's vector with its roots


def downgrade() -> None:
    """Index the texts alone again, and drop tickets.search_roots."""
    _run(SQLITE_DOWN if op.get_context().dialect.name == "sqlite" else POSTGRES_DOWN)
    # Not a batch (copy-and-move) on SQLite: that would drop the full-text index's triggers.
    op.drop_column("tickets", "search_roots")
