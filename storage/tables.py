"""The schema: SQLAlchemy Core tables, indexes and constraints for both databases."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from core.models import OPEN_STATUSES, Priority, Status
from storage.types import EnumText, JsonDoc, UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

QUEUE_STATUSES = tuple(s for s in Status if s in OPEN_STATUSES and s != Status.AWAITING_APPROVAL)
"""The statuses of the agents' queue and of the due-date sweep (open, not awaiting approval)."""

QUEUE_WHERE = "status IN ({})".format(", ".join(f"'{s.value}'" for s in QUEUE_STATUSES))
"""Literal SQL shared by the queue's partial indexes and their queries, so planners match them."""

QUEUE_WHERE_SQLITE = "+" + QUEUE_WHERE
"""SQLite's form: the unary plus keeps the planner from answering the IN with a status index
(and sorting every open ticket) instead of walking the partial index in order."""


def queue_where(dialect: str) -> str:
    """The queue statuses' condition as this dialect's partial indexes spell it."""
    return QUEUE_WHERE_SQLITE if dialect == "sqlite" else QUEUE_WHERE


QUEUE_RANK = (f"(CASE WHEN priority = '{Priority.CRITICAL.value}' AND workaround_at IS NULL "
              "THEN 0 ELSE 1 END)")
"""The queue's first key: 0 for a critical ticket whose urgency is unmet, 1 for the others (a
critical one given a workaround has the Padrão prazo, R12). Literal SQL shared by the index
and the query, so planners match them."""


SOLUTION_ON_TIME = "approval_requested prazo=on_time"
SOLUTION_LATE = "approval_requested prazo=late"
"""A solution's line, sent by its prazo or after it, as the prazo was then (closing.py writes
them; R13). A bare "approval_requested" is one written before 0030 (by an older instance)."""
REPORT_EVENTS_WHERE = ("kind = 'sistema' AND (\"text\" IN ('approval_requested', "
                       f"'{SOLUTION_ON_TIME}', '{SOLUTION_LATE}') OR "
                       "\"text\" LIKE 'nao_aprovado %' OR \"text\" LIKE 'rated %')")
"""The system lines the report counts (a solution sent, Não aprovar, a rating: R13, R19, R20).
Literal SQL shared by their partial index and the report's query, so planners match them."""


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = True, ondelete: str | None = None) -> Column:
    return Column(name, ForeignKey(target, ondelete=ondelete), nullable=nullable)


companies = Table(
    "companies",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, unique=True),
)

users = Table(
    "users",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False, unique=True),
    Column("phone", String(50)),
    Column("role", EnumText(20), nullable=False),
    Column("trained", Boolean, nullable=False, default=False),
    Column("slack_id", String(50), index=True),
    Column("telegram_id", BigInteger, index=True),
    Column("language", String(20)),
    Column("active", Boolean, nullable=False, default=True),
    Column("deactivated_at", UtcDateTime),
    Column("deactivation_reason", String(200)),
    Index("ix_users_role", "role"),
)

user_companies = Table(
    "user_companies",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("company_id", ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_user_companies_company_id", "company_id"),
)

invites = Table(
    "invites",
    metadata,
    Column("code", String(64), primary_key=True),
    _fk("user_id", "users.id", nullable=False, ondelete="CASCADE"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("used_at", UtcDateTime),
    Index("ix_invites_user_id", "user_id"),
)

link_failures = Table(
    "link_failures",
    metadata,
    _id(),
    Column("channel", String(20), nullable=False),
    Column("chat_id", String(100), nullable=False),
    Column("user_key", String(100), nullable=False),
    Column("failed_at", UtcDateTime, nullable=False, index=True),
    Index("ix_link_failures_conversation", "channel", "chat_id", "user_key", "failed_at"),
)
"""An invite code a chat conversation (its conversations key) got wrong, used or expired (R2):
counted over a sliding window to stop guessing."""

email_changes = Table(
    "email_changes",
    metadata,
    _fk("user_id", "users.id", nullable=False, ondelete="CASCADE"),
    Column("email", String(320), nullable=False),
    Column("code", String(16), nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("failures", Integer, nullable=False, default=0),
    PrimaryKeyConstraint("user_id"),
)
"""The new e-mail address a user waits to confirm with the code sent to it (R11): the old one
stays in use meanwhile; one row per user."""

tickets = Table(
    "tickets",
    metadata,
    _id(),
    Column("period", String(6), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("number", String(16), nullable=False),
    _fk("company_id", "companies.id", nullable=False),
    _fk("requester_id", "users.id", nullable=False),
    Column("tipo", String(200), nullable=False),
    Column("item", String(200), nullable=False),
    Column("servico", String(200), nullable=False),
    Column("versao", String(50)),
    Column("assunto", Text, nullable=False),
    Column("descricao", Text, nullable=False),
    Column("priority", EnumText(20), nullable=False),
    Column("critical_reason", EnumText(40)),
    Column("status", EnumText(30), nullable=False),
    Column("justificativa", Text),
    _fk("assignee_id", "users.id"),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("assigned_at", UtcDateTime),
    Column("taken_at", UtcDateTime),
    Column("due_at", UtcDateTime),
    Column("prazo_paused_at", UtcDateTime),
    Column("workaround_at", UtcDateTime),
    Column("awaiting_since", UtcDateTime),
    Column("reminders_sent", Integer, nullable=False, default=0),
    Column("due_warnings_sent", Integer, nullable=False, default=0),
    Column("first_response_flagged", Boolean, nullable=False, default=False),
    Column("closed_at", UtcDateTime),
    Column("decision", EnumText(40)),
    Column("decision_comment", Text),
    Column("rating", EnumText(20)),
    Column("rating_comment", Text),
    Column("origin", String(100)),
    Column("covered", Boolean),
    Column("billable", Boolean, nullable=False, default=False),
    Column("billing_authorized", Boolean),
    Column("billing_quote", String(200)),
    _fk("duplicate_of_id", "tickets.id"),
    Column("unreachable_telegram", Boolean, nullable=False, default=False),
    Column("search_roots", Text),  # its words' roots, for search (storage.search.root)
    UniqueConstraint("period", "seq"),
    # Listings, newest first (keyset-friendly: opened_at DESC, id DESC).
    Index("ix_tickets_status_opened", "status", "opened_at", "id"),
    Index("ix_tickets_company_status_opened", "company_id", "status", "opened_at", "id"),
    Index("ix_tickets_requester_status_opened", "requester_id", "status", "opened_at", "id"),
    Index("ix_tickets_assignee_status_opened", "assignee_id", "status", "opened_at", "id"),
    # The agents' queue: critical with no workaround first, then oldest.
    Index(
        "ix_tickets_queue",
        text(QUEUE_RANK),
        "opened_at",
        "id",
        sqlite_where=text(QUEUE_WHERE_SQLITE),
        postgresql_where=text(QUEUE_WHERE),
    ),
    # The sweeps, each read in its index's order: oldest first, whatever the backlog.
    Index("ix_tickets_status_awaiting", "status", "awaiting_since", "id"),
    Index(
        "ix_tickets_due",
        "due_at",
        "id",
        sqlite_where=text(QUEUE_WHERE_SQLITE),
        postgresql_where=text(QUEUE_WHERE),
    ),
    Index("ix_tickets_duplicate_of", "duplicate_of_id"),
    # The report (storage.sql.report): a window's closed tickets counted, and their times read
    # (R14), from the index alone; those opened are read by ix_tickets_status_opened (an index
    # led by opened_at drew the sweeps' and the searches' plans, ordered by opening, into
    # reading every ticket).
    Index("ix_tickets_closed", "closed_at", "company_id", "assignee_id", "status", "decision",
          "rating", "opened_at"),
    # The tickets first taken in a window (R14: the report's first response), from the index
    # alone; a ticket not taken yet is not in it.
    Index("ix_tickets_taken", "assigned_at", "company_id", "opened_at", "priority",
          sqlite_where=text("assigned_at IS NOT NULL"),
          postgresql_where=text("assigned_at IS NOT NULL")),
    # An agent's tickets by the moment she got them: Assumir o próximo's double-press guard (R12).
    Index("ix_tickets_taken_by", "assignee_id", "status", "taken_at",
          sqlite_where=text("taken_at IS NOT NULL"),
          postgresql_where=text("taken_at IS NOT NULL")),
    # One company's rating comments (R20), without walking every company's rating lines.
    Index("ix_tickets_rated_comment", "company_id", "id",
          sqlite_where=text("rating_comment IS NOT NULL"),
          postgresql_where=text("rating_comment IS NOT NULL")),
)

ticket_counters = Table(
    "ticket_counters",
    metadata,
    Column("period", String(6), primary_key=True),
    Column("last_seq", Integer, nullable=False),
)

ticket_stats = Table(
    "ticket_stats",
    metadata,
    Column("company_id", Integer, primary_key=True),
    Column("requester_id", Integer, primary_key=True),
    Column("status", String(30), primary_key=True),
    Column("n", Integer, nullable=False),
    Index("ix_ticket_stats_requester", "requester_id", "status"),
)
"""Ticket counts per company, requester and status, kept by triggers (summary and counts);
requester_id 0 holds each company's totals per status."""

entries = Table(
    "entries",
    metadata,
    _id(),
    _fk("ticket_id", "tickets.id", nullable=False, ondelete="CASCADE"),
    _fk("author_id", "users.id"),
    Column("kind", EnumText(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_entries_ticket_created", "ticket_id", "created_at", "id"),
    Index("ix_entries_report_events", "created_at", sqlite_where=text(REPORT_EVENTS_WHERE),
          postgresql_where=text(REPORT_EVENTS_WHERE)),
)

attachments = Table(
    "attachments",
    metadata,
    _id(),
    _fk("ticket_id", "tickets.id", ondelete="CASCADE"),
    _fk("entry_id", "entries.id", ondelete="CASCADE"),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Index("ix_attachments_ticket_id", "ticket_id"),
    Index("ix_attachments_entry_id", "entry_id"),
    # FILES_DIR's sweep (storage.blob_refs): a file's rows, and every name read from the index.
    Index("ix_attachments_sha256", "sha256"),
)

outbox = Table(
    "outbox",
    metadata,
    _id(),
    Column("channel", EnumText(20), nullable=False),
    Column("target", String(255), nullable=False),
    Column("kind", String(100), nullable=False),
    Column("params", JsonDoc, nullable=False),
    _fk("ticket_id", "tickets.id", ondelete="SET NULL"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", EnumText(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    # Of those attempts, how many the channel refused (known not delivered): see 0018.
    Column("unposted", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcDateTime),
    Column("last_error", Text),
    Column("sent_at", UtcDateTime),
    # Delivery: one ordered queue per destination; a claim is a lease that expires.
    Column("destination", String(300), nullable=False),
    Column("available_at", UtcDateTime, nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_until", UtcDateTime),
    Index("ix_outbox_status_available", "status", "available_at"),
    Index("ix_outbox_destination_status", "destination", "status", "id"),
    Index("ix_outbox_ticket_id", "ticket_id"),
)

conversations = Table(
    "conversations",
    metadata,
    Column("channel", String(20), primary_key=True),
    Column("chat_id", String(100), primary_key=True),
    Column("user_key", String(100), primary_key=True),
    _fk("user_id", "users.id", ondelete="SET NULL"),
    Column("flow", String(100)),
    Column("step", String(100)),
    Column("data", JsonDoc, nullable=False),
    Column("prompt_id", Integer, nullable=False, default=0),
    Column("updated_at", UtcDateTime, index=True),
    Column("version", Integer, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", JsonDoc, nullable=False),
)

inbound_events = Table(
    "inbound_events",
    metadata,
    _id(),
    Column("source", String(50), nullable=False),
    Column("key", String(200), nullable=False),
    Column("received_at", UtcDateTime, nullable=False, index=True),
    UniqueConstraint("source", "key"),
)

slack_cards = Table(
    "slack_cards",
    metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(50), nullable=False),
    Column("ts", String(50), nullable=False),
    UniqueConstraint("channel", "ts"),
)

slack_dev_posts = Table(
    "slack_dev_posts",
    metadata,
    Column("channel", String(50), primary_key=True),
    Column("ts", String(50), primary_key=True),
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("actor", String(200), nullable=False),
    Column("note", Text),
)

slack_homes = Table(
    "slack_homes",
    metadata,
    Column("slack_id", String(50), primary_key=True),
    Column("opened_at", UtcDateTime, nullable=False),
)

slack_opened_cards = Table(
    "slack_opened_cards",
    metadata,
    Column("slack_id", String(50), primary_key=True),
    Column("channel", String(50), primary_key=True),
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("ts", String(50)),
    Column("drawn", String(64), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("pointed", Boolean, nullable=False, default=False),
)

slack_kept_notes = Table(
    "slack_kept_notes",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
    Column("slack_id", String(50), nullable=False),
    Column("text", Text, nullable=False),
    Column("kept_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
)

# Outbox delivery's rate buckets live in their own module, on this same metadata.
from storage import delivery_tables  # noqa: E402, F401
