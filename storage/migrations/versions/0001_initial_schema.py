"""Initial schema: every table, the ticket counters and stats, full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
QUEUE_WHERE = (
    "status IN ('novo', 'em_estimativa', 'repassada', 'em_atendimento', 'em_desenvolvimento')"
)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _pk(table: str, *cols: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*cols, name=f"pk_{table}")


def _fk(table: str, col: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [col], [target], name=f"fk_{table}_{col}_{ref}", ondelete=ondelete
    )


def _tables() -> None:
    op.create_table(
        "companies",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        _pk("companies", "id"),
        sa.UniqueConstraint("name_key", name="uq_companies_name_key"),
    )
    op.create_table(
        "users",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("email_key", sa.String(320), nullable=False),
        sa.Column("phone", sa.String(50)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("trained", sa.Boolean(), nullable=False),
        sa.Column("slack_id", sa.String(50)),
        sa.Column("telegram_id", sa.BigInteger()),
        sa.Column("language", sa.String(20)),
        sa.Column("active", sa.Boolean(), nullable=False),
        _pk("users", "id"),
        sa.UniqueConstraint("email_key", name="uq_users_email_key"),
    )
    op.create_index("ix_users_slack_id", "users", ["slack_id"])
    op.create_index("ix_users_telegram_id", "users", ["telegram_id"])
    op.create_table(
        "user_companies",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("user_companies", "user_id", "users.id", "CASCADE"),
        _fk("user_companies", "company_id", "companies.id", "CASCADE"),
        _pk("user_companies", "user_id", "company_id"),
    )
    op.create_index("ix_user_companies_company_id", "user_companies", ["company_id"])
    op.create_table(
        "invites",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
        _fk("invites", "user_id", "users.id", "CASCADE"),
        _pk("invites", "code"),
    )
    op.create_index("ix_invites_expires_at", "invites", ["expires_at"])
    op.create_index("ix_invites_user_id", "invites", ["user_id"])
    _tickets()
    _threads()
    _edges()


def _tickets() -> None:
    op.create_table(
        "tickets",
        _id(),
        sa.Column("period", sa.String(6), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(200), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("servico", sa.String(200), nullable=False),
        sa.Column("versao", sa.String(50)),
        sa.Column("assunto", sa.Text(), nullable=False),
        sa.Column("descricao", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("critical_reason", sa.String(40)),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("justificativa", sa.Text()),
        sa.Column("assignee_id", sa.Integer()),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("assigned_at", TS),
        sa.Column("due_at", TS),
        sa.Column("awaiting_since", TS),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("due_warnings_sent", sa.Integer(), nullable=False),
        sa.Column("first_response_flagged", sa.Boolean(), nullable=False),
        sa.Column("closed_at", TS),
        sa.Column("decision", sa.String(40)),
        sa.Column("decision_comment", sa.Text()),
        sa.Column("rating", sa.String(20)),
        sa.Column("origin", sa.String(100)),
        sa.Column("covered", sa.Boolean()),
        sa.Column("billable", sa.Boolean(), nullable=False),
        sa.Column("billing_authorized", sa.Boolean()),
        sa.Column("duplicate_of_id", sa.Integer()),
        sa.Column("unreachable_telegram", sa.Boolean(), nullable=False),
        _fk("tickets", "company_id", "companies.id"),
        _fk("tickets", "requester_id", "users.id"),
        _fk("tickets", "assignee_id", "users.id"),
        _fk("tickets", "duplicate_of_id", "tickets.id"),
        _pk("tickets", "id"),
        sa.UniqueConstraint("period", "seq", name="uq_tickets_period_seq"),
    )
    indexes = {
        "ix_tickets_status_opened": ["status", "opened_at", "id"],
        "ix_tickets_company_status_opened": ["company_id", "status", "opened_at", "id"],
        "ix_tickets_requester_status_opened": ["requester_id", "status", "opened_at", "id"],
        "ix_tickets_assignee_status_opened": ["assignee_id", "status", "opened_at", "id"],
        "ix_tickets_status_awaiting": ["status", "awaiting_since", "id"],
        "ix_tickets_duplicate_of": ["duplicate_of_id"],
    }
    for name, cols in indexes.items():
        op.create_index(name, "tickets", cols)
    # On SQLite "+status" keeps a status index from answering the queue's IN (see tables.py).
    for name, cols in (("ix_tickets_queue", ["priority", "opened_at", "id"]),
                       ("ix_tickets_due", ["due_at", "id"])):
        op.create_index(name, "tickets", cols, sqlite_where=sa.text("+" + QUEUE_WHERE),
                        postgresql_where=sa.text(QUEUE_WHERE))
    op.create_table(
        "ticket_counters",
        sa.Column("period", sa.String(6), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        _pk("ticket_counters", "period"),
    )
    op.create_table(
        "ticket_stats",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        _pk("ticket_stats", "company_id", "requester_id", "status"),
    )
    op.create_index("ix_ticket_stats_requester", "ticket_stats", ["requester_id", "status"])


def _threads() -> None:
    op.create_table(
        "entries",
        _id(),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer()),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        _fk("entries", "ticket_id", "tickets.id", "CASCADE"),
        _fk("entries", "author_id", "users.id"),
        _pk("entries", "id"),
    )
    op.create_index("ix_entries_ticket_created", "entries", ["ticket_id", "created_at", "id"])
    op.create_table(
        "attachments",
        _id(),
        sa.Column("ticket_id", sa.Integer()),
        sa.Column("entry_id", sa.Integer()),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _fk("attachments", "ticket_id", "tickets.id", "CASCADE"),
        _fk("attachments", "entry_id", "entries.id", "CASCADE"),
        _pk("attachments", "id"),
    )
    op.create_index("ix_attachments_ticket_id", "attachments", ["ticket_id"])
    op.create_index("ix_attachments_entry_id", "attachments", ["entry_id"])
    op.create_table(
        "conversations",
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(100), nullable=False),
        sa.Column("user_key", sa.String(100), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("flow", sa.String(100)),
        sa.Column("step", sa.String(100)),
        sa.Column("data", JSON, nullable=False),
        sa.Column("prompt_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("conversations", "user_id", "users.id", "SET NULL"),
        _pk("conversations", "channel", "chat_id", "user_key"),
    )
    op.create_index("ix_conversations_updated_at", "conversations", ["updated_at"])
    op.create_table(
        "documents",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("value", JSON, nullable=False),
        _pk("documents", "name"),
    )


def _edges() -> None:
    op.create_table(
        "outbox",
        _id(),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("ticket_id", sa.Integer()),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS),
        sa.Column("last_error", sa.Text()),
        sa.Column("sent_at", TS),
        sa.Column("destination", sa.String(300), nullable=False),
        sa.Column("available_at", TS, nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_until", TS),
        _fk("outbox", "ticket_id", "tickets.id", "SET NULL"),
        _pk("outbox", "id"),
    )
    op.create_index("ix_outbox_status_available", "outbox", ["status", "available_at"])
    op.create_index("ix_outbox_destination_status", "outbox", ["destination", "status", "id"])
    op.create_index("ix_outbox_ticket_id", "outbox", ["ticket_id"])
    op.create_table(
        "inbound_events",
        _id(),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        _pk("inbound_events", "id"),
        sa.UniqueConstraint("source", "key", name="uq_inbound_events_source_key"),
    )
    op.create_index("ix_inbound_events_received_at", "inbound_events", ["received_at"])
    op.create_table(
        "slack_cards",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("ts", sa.String(50), nullable=False),
        _fk("slack_cards", "ticket_id", "tickets.id", "CASCADE"),
        _pk("slack_cards", "ticket_id"),
        sa.UniqueConstraint("channel", "ts", name="uq_slack_cards_channel_ts"),
    )


_FTS_COLS = "number, assunto, descricao"


def _sqlite_stats(row: str, requester: str, sign: str) -> str:
    return f"""INSERT INTO ticket_stats(company_id, requester_id, status, n)
        VALUES ({row}.company_id, {requester}, {row}.status, {sign}1)
        ON CONFLICT(company_id, requester_id, status) DO UPDATE SET n = n {sign} 1;"""


SQLITE_UP = [
    # Search: an external-content FTS5 index over tickets, kept in step by triggers.
    f"""CREATE VIRTUAL TABLE tickets_fts USING fts5({_FTS_COLS},
        content='tickets', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO tickets_fts(rowid, {_FTS_COLS})
        VALUES (new.id, new.number, new.assunto, new.descricao);
    END""",
    f"""CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, {_FTS_COLS})
        VALUES ('delete', old.id, old.number, old.assunto, old.descricao);
    END""",
    f"""CREATE TRIGGER tickets_fts_update AFTER UPDATE OF {_FTS_COLS} ON tickets
    WHEN old.number IS NOT new.number OR old.assunto IS NOT new.assunto
        OR old.descricao IS NOT new.descricao
    BEGIN
        INSERT INTO tickets_fts(tickets_fts, rowid, {_FTS_COLS})
        VALUES ('delete', old.id, old.number, old.assunto, old.descricao);
        INSERT INTO tickets_fts(rowid, {_FTS_COLS})
        VALUES (new.id, new.number, new.assunto, new.descricao);
    END""",
    # Counts per company, requester and status (and per company and status: requester 0),
    # for the summary and the tab counts.
    f"""CREATE TRIGGER tickets_stats_insert AFTER INSERT ON tickets BEGIN
        {_sqlite_stats("new", "new.requester_id", "+")}
        {_sqlite_stats("new", "0", "+")}
    END""",
    f"""CREATE TRIGGER tickets_stats_update AFTER UPDATE OF company_id, requester_id, status
    ON tickets
    WHEN old.company_id IS NOT new.company_id OR old.requester_id IS NOT new.requester_id
        OR old.status IS NOT new.status
    BEGIN
        {_sqlite_stats("old", "old.requester_id", "-")}
        {_sqlite_stats("old", "0", "-")}
        {_sqlite_stats("new", "new.requester_id", "+")}
        {_sqlite_stats("new", "0", "+")}
    END""",
    f"""CREATE TRIGGER tickets_stats_delete AFTER DELETE ON tickets BEGIN
        {_sqlite_stats("old", "old.requester_id", "-")}
        {_sqlite_stats("old", "0", "-")}
    END""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS tickets_stats_delete",
    "DROP TRIGGER IF EXISTS tickets_stats_update",
    "DROP TRIGGER IF EXISTS tickets_stats_insert",
    "DROP TRIGGER IF EXISTS tickets_fts_update",
    "DROP TRIGGER IF EXISTS tickets_fts_delete",
    "DROP TRIGGER IF EXISTS tickets_fts_insert",
    "DROP TABLE IF EXISTS tickets_fts",
]

_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _FTS_COLS.split(", "))
_STATS_CHANGED = " OR ".join(
    f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ("company_id", "requester_id", "status")
)

POSTGRES_UP = [
    # Counter rows are updated by every opening and status change: leave room on their pages
    # for HOT updates (old versions pruned in place) and vacuum them early.
    *(
        f"""ALTER TABLE {t} SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0,
            autovacuum_vacuum_threshold = 2000, autovacuum_analyze_scale_factor = 0.05)"""
        for t in ("ticket_counters", "ticket_stats")
    ),
    # Accent-insensitive words with no stemming: a query word is a prefix of the stored
    # word, as on SQLite and in memory (a stemmed prefix would miss "gerenciamen").
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'pt_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION pt_unaccent (COPY = pg_catalog.portuguese);
            ALTER TEXT SEARCH CONFIGURATION pt_unaccent
                ALTER MAPPING FOR hword, hword_part, word, asciiword, asciihword, hword_asciipart
                WITH unaccent, simple;
        END IF;
    END $$""",
    # Tokens are runs of letters and digits, as FTS5's unicode61 tokenizer cuts them.
    """CREATE FUNCTION helpdesk_search_text(t text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT regexp_replace(lower(unaccent(coalesce(t, ''))), '[^[:alnum:]]+', ' ', 'g')
    $$""",
    "ALTER TABLE tickets ADD COLUMN search tsvector",
    # A trigger, not a generated column: unaccent() is not immutable.
    """CREATE FUNCTION tickets_search_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search :=
            setweight(to_tsvector('pt_unaccent', helpdesk_search_text(NEW.number)), 'A')
            || to_tsvector('pt_unaccent', helpdesk_search_text(NEW.assunto))
            || to_tsvector('pt_unaccent', helpdesk_search_text(NEW.descricao));
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER tickets_search_insert BEFORE INSERT ON tickets
        FOR EACH ROW EXECUTE FUNCTION tickets_search_trg()""",
    f"""CREATE TRIGGER tickets_search_update BEFORE UPDATE OF {_FTS_COLS} ON tickets
        FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION tickets_search_trg()""",
    "CREATE INDEX ix_tickets_search ON tickets USING gin (search)",
    # One statement, rows in key order: two updates never take each other's rows the other
    # way round (a deadlock). Requester 0 holds the company's totals.
    """CREATE FUNCTION tickets_stats_trg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO ticket_stats (company_id, requester_id, status, n)
            SELECT c, r, s, d FROM (VALUES
                (NEW.company_id, NEW.requester_id, NEW.status, 1),
                (NEW.company_id, 0, NEW.status, 1)) AS v(c, r, s, d)
            ORDER BY c, r, s
            ON CONFLICT (company_id, requester_id, status)
            DO UPDATE SET n = ticket_stats.n + EXCLUDED.n;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO ticket_stats (company_id, requester_id, status, n)
            SELECT c, r, s, d FROM (VALUES
                (OLD.company_id, OLD.requester_id, OLD.status, -1),
                (OLD.company_id, 0, OLD.status, -1)) AS v(c, r, s, d)
            ORDER BY c, r, s
            ON CONFLICT (company_id, requester_id, status)
            DO UPDATE SET n = ticket_stats.n + EXCLUDED.n;
        ELSE
            INSERT INTO ticket_stats (company_id, requester_id, status, n)
            SELECT c, r, s, sum(d) FROM (VALUES
                (OLD.company_id, OLD.requester_id, OLD.status, -1),
                (OLD.company_id, 0, OLD.status, -1),
                (NEW.company_id, NEW.requester_id, NEW.status, 1),
                (NEW.company_id, 0, NEW.status, 1)) AS v(c, r, s, d)
            GROUP BY c, r, s
            ORDER BY c, r, s
            ON CONFLICT (company_id, requester_id, status)
            DO UPDATE SET n = ticket_stats.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER tickets_stats_insert AFTER INSERT ON tickets
        FOR EACH ROW EXECUTE FUNCTION tickets_stats_trg()""",
    f"""CREATE TRIGGER tickets_stats_update
        AFTER UPDATE OF company_id, requester_id, status ON tickets
        FOR EACH ROW WHEN ({_STATS_CHANGED}) EXECUTE FUNCTION tickets_stats_trg()""",
    """CREATE TRIGGER tickets_stats_delete AFTER DELETE ON tickets
        FOR EACH ROW EXECUTE FUNCTION tickets_stats_trg()""",
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS tickets_stats_delete ON tickets",
    "DROP TRIGGER IF EXISTS tickets_stats_update ON tickets",
    "DROP TRIGGER IF EXISTS tickets_stats_insert ON tickets",
    "DROP FUNCTION IF EXISTS tickets_stats_trg()",
    "DROP TRIGGER IF EXISTS tickets_search_update ON tickets",
    "DROP TRIGGER IF EXISTS tickets_search_insert ON tickets",
    "DROP FUNCTION IF EXISTS tickets_search_trg()",
    "DROP INDEX IF EXISTS ix_tickets_search",
    "ALTER TABLE tickets DROP COLUMN IF EXISTS search",
    "DROP FUNCTION IF EXISTS helpdesk_search_text(text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS pt_unaccent",
]


def _run(ddl: str) -> None:
    # Escape colons, or text() would read "[:alnum:]" as a bind parameter.
    op.execute(sa.text(ddl.replace(":", "\\:")))


def _create_unaccent() -> None:
    if context.is_offline_mode():
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        return
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'").first():
        return
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DBAPIError as exc:
        raise RuntimeError(
            "PostgreSQL could not CREATE EXTENSION unaccent, which ticket search needs. "
            "Install the server's contrib package (e.g. postgresql-contrib) and/or have a "
            "superuser run CREATE EXTENSION unaccent in this database, then migrate again. "
            f"The server said: {exc.orig}"
        ) from exc


def upgrade() -> None:
    """Create every table, index, trigger and search object."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _create_unaccent()
    _tables()
    for ddl in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        _run(ddl)


def downgrade() -> None:
    """Drop everything upgrade() created (the unaccent extension stays)."""
    dialect = op.get_bind().dialect.name
    for ddl in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        _run(ddl)
    for table in (
        "slack_cards", "inbound_events", "outbox", "documents", "conversations",
        "attachments", "entries", "ticket_stats", "ticket_counters", "tickets",
        "invites", "user_companies", "users", "companies",
    ):
        op.drop_table(table)
