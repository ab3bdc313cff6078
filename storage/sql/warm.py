"""A chat step's statements compiled at a process's start, not inside its first steps.

storage.sql.prepared compiles a statement once per engine (its dialect) and set of parameter
names: 0.6-4.6 ms of CPU each here, ~25 ms for the ten a first intake runs, paid by the first
customer after a start inside their steps (the summary step's company read, the first click's
folded write, 4 ms of it on the answer's path). `compile_chat_statements` compiles them for a
connection's engine with the parameter names the steps give, *Registrar o Ticket*'s numbered
insert with the columns a chat's ticket sets, and on SQLite `/novo`'s read of the tickets
awaiting approval; `compile_chat_reads` runs `/novo`'s reads that SQLAlchemy compiles into the
engine's cache, finding nothing, on PostgreSQL (a test runs a whole intake after both and
finds nothing compiled). `warm_plans` runs the middle steps' write
on PostgreSQL until the server keeps its plan, leaving nothing written.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, literal, select

from core.conversation_state import ConversationKey
from core.models import CriticalReason, Priority, Ticket
from core.outbox import Channel, OutboxMessage
from core.services.queries import approvals_query
from storage.sql import prepared
from storage.sql.base import SqlRepo, new_rows
from storage.sql.delivery import _INSERT, _folded, row_values
from storage.sql.documents import _GET_DOCUMENT
from storage.sql.known import KnownChat, check_params
from storage.sql.people import _COMPANY
from storage.sql.telegram import (
    _OUTBOX_SENT,
    _PROMPT,
    _UNMOVED,
    _after_send,
    _opening,
    _upserts,
)
from storage.sql.threads import _SAVE_CONVERSATION, SAVED, _new_conversation
from storage.sql.tickets import (
    ANSWER_AWAITED,
    SqlTickets,
    answer_awaited_params,
    driver_listing,
)
from storage.tables import (
    conversations,
    inbound_events,
    outbox,
    ticket_counters,
    tickets,
    user_companies,
    users,
)
from storage.telegram_tables import telegram_chats, telegram_messages


def compile_chat_statements(conn: Connection) -> int:
    """Compile the chat step's statements for this connection's engine; how many there were
    (none where they would not run on the driver's cursor: listeners, echo, another driver)."""
    registering = [s for ticket in _chat_tickets() for s in
                   SqlTickets(conn).numbered_statements(ticket)]
    return sum(prepared.compile_for(conn, stmt, params) for stmt, params in
               [*_statements(conn.dialect.name), *registering])


def compile_chat_reads(conn: Connection) -> None:
    """`/novo`'s reads run once finding nothing: the customer's tickets awaiting approval
    (R10, through SQLAlchemy's execution, 3-4 ms to compile into its cache) and a saved
    document (the catalog's, prepared on the server), each a statement of its own.
    PostgreSQL only: on SQLite a read would begin the unit of work's write transaction (BEGIN
    IMMEDIATE) at start; both run on its driver's cursor there, compiled without running."""
    if conn.dialect.name != "postgresql":
        return
    with SqlRepo(conn).on_its_own():
        SqlTickets(conn).list(approvals_query(0))
        prepared.rows(conn, _GET_DOCUMENT, {"name": ""})


def _chat_tickets() -> Iterator[Ticket]:
    """Tickets setting the columns a chat's intake sets (core.services.intake.open_ticket),
    with and without a version, standard and critical."""
    now = datetime(2000, 1, 1, tzinfo=UTC)
    for versao, critical in itertools.product((None, "-"), (None, CriticalReason.AREA_STOPPED)):
        yield Ticket(period="200001", seq=0, company_id=0, requester_id=0, tipo="-", item="-",
                     servico="-", versao=versao, assunto="-", descricao="-",
                     priority=Priority.CRITICAL if critical else Priority.STANDARD,
                     critical_reason=critical, opened_at=now, updated_at=now)


def warm_server(conn: Connection) -> None:
    """PostgreSQL: the chat step's tables, their indexes and helpdesk_all_written loaded into
    this connection's server process, and the step's opening read prepared there, by reads
    that find nothing (a new server process's first folded write spent ~3 ms more planning,
    loading them; its first Registrar o Ticket ~5 ms binding the message's insert and ~5 ms
    more running the registration). Each read is a statement of its own: no transaction is
    left open."""
    if conn.dialect.name != "postgresql":
        return
    reads = {"chat": 0, "account": 0, "channel": "telegram", "chat_key": "0", "user_key": "0",
             "source": "telegram", "key": "-"}
    with SqlRepo(conn).on_its_own():
        prepared.rows(conn, _opening("postgresql", True), reads)
        for table in (outbox, inbound_events, conversations, telegram_chats, users,
                      user_companies, tickets, ticket_counters, telegram_messages):
            key = next(iter(table.primary_key.columns))
            conn.execute(select(literal(1)).select_from(table).where(key == None))  # noqa: E711
        conn.execute(select(func.helpdesk_all_written(1)))


PLANNED = 6
"""A prepared statement's executions on a connection until PostgreSQL runs the plan it keeps:
five planned for their values (custom plans), then one that builds the generic plan, kept
from then on when it is no dearer (as the folded write's is)."""
WARM_CHAT = 0
"""A chat and an account no Telegram user has: warm_plans' rows."""


def warm_plans(conn: Connection) -> None:
    """PostgreSQL: the kept chat's folded write (a middle step's one statement: the save, the
    update id, the answer's row, the check that nothing moved) run PLANNED times on this
    connection, which the first step takes, so that the first customer after a start finds
    its plan kept: their first six middle steps planned it for their values, ~0.3 ms of the
    server's time each, 1-2 ms on the first (bench/HISTORY.md, h144).

    Its rows (a chat, a conversation of the first user's, since a step's save names a user,
    the update ids, the answers' rows) are deleted in the same transaction, before its commit:
    no other transaction sees them. Rolled back instead, psycopg would forget every statement
    prepared on the connection (DEALLOCATE ALL). Nothing is run with no user."""
    if conn.dialect.name != "postgresql":
        return
    user = conn.execute(select(func.min(users.c.id))).scalar()
    if user is None:
        return
    now = datetime(2000, 1, 1, tzinfo=UTC)
    key = ConversationKey(channel="telegram", chat_id=str(WARM_CHAT), user_key=str(WARM_CHAT))
    state = {"user_id": user, "flow": "-", "step": "-", "data": "{}", "prompt_id": 1,
             "updated_at": now}
    answer = {f"o_{k}": v for k, v in row_values(OutboxMessage(
        channel=Channel.TELEGRAM, target=key.chat_id, kind="warm", params={},
        created_at=now, next_attempt_at=now)).items()}
    conn.execute(insert(telegram_chats).values(chat_id=WARM_CHAT, prompt_message_id=1,
                                               prompt_keyboard=True, updated_at=now))
    version, mark = prepared.rows(conn, _new_conversation("postgresql"), {
        "channel": key.channel, "chat_id": key.chat_id, "user_key": key.user_key,
        **state, "version": 1})[0]
    written = []
    for n in range(PLANNED):
        known = KnownChat(account=WARM_CHAT, user=None, company_ids=(), who=None,
                          prompt=(1, True), blocked=False, conversation=None, saved=mark)
        params = {**answer, **state, "version": version + 1, "k_channel": key.channel,
                  "k_chat_id": key.chat_id, "k_user_key": key.user_key, "k_version": version,
                  "source": "warm", "key": str(n), "received_at": now,
                  **check_params(WARM_CHAT, key, known)}
        row, _, mark, *_ = prepared.rows(conn, _folded(True, True, True, True), params)[0]
        written.append(row)
        version += 1
    conn.execute(delete(outbox).where(outbox.c.id.in_(written)))
    conn.execute(delete(inbound_events).where(inbound_events.c.source == "warm"))
    conn.execute(delete(conversations).where(
        conversations.c.channel == key.channel, conversations.c.chat_id == key.chat_id,
        conversations.c.user_key == key.user_key))
    conn.execute(delete(telegram_chats).where(telegram_chats.c.chat_id == WARM_CHAT))


def _statements(dialect: str) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Each statement with its parameters' names in the order the steps give them."""
    now = datetime(2000, 1, 1, tzinfo=UTC)
    key = ConversationKey(channel="telegram", chat_id="0", user_key="0")
    reads = {"chat": 0, "account": 0, "channel": key.channel, "chat_key": key.chat_id,
             "user_key": key.user_key}
    values = dict.fromkeys(SAVED)
    row = {"channel": key.channel, "chat_id": key.chat_id, "user_key": key.user_key, **values}
    save = {**values, "k_channel": key.channel, "k_chat_id": key.chat_id,
            "k_user_key": key.user_key, "k_version": 0}
    answer = row_values(OutboxMessage(channel=Channel.TELEGRAM, target="0", kind="warm",
                                      params={}, created_at=now, next_attempt_at=now))
    yield _new_conversation(dialect), row
    yield _COMPANY, {"id": 0}
    yield _SAVE_CONVERSATION, save
    yield _GET_DOCUMENT, {"name": ""}  # /novo's catalog, when the shared cache has none
    yield _upserts(dialect)[0], {"chat_id": 0, "message_id": 0, "ticket_id": 0, "sent_at": now}
    yield ANSWER_AWAITED, answer_awaited_params(0, 0)  # a session's start (R7)
    if dialect != "postgresql":
        yield driver_listing(approvals_query(0))  # /novo's tickets awaiting approval (R10)
        yield new_rows(dialect, inbound_events, inbound_events.c.id), {
            "source": "telegram", "key": "0", "received_at": now}
        yield _opening(dialect, False), reads
        yield _INSERT, answer
        yield _OUTBOX_SENT, {"row": 0, "now": now}
        yield _PROMPT, {"chat": 0}
        yield _upserts(dialect)[1], {"chat_id": 0, "prompt_message_id": 0,
                                     "prompt_keyboard": False, "updated_at": now}
        return
    yield _opening(dialect, False), reads
    yield _opening(dialect, True), {**reads, "source": "telegram", "key": "0"}
    known = KnownChat(account=0, user=None, company_ids=(), who=None, prompt=None,
                      blocked=False, conversation=None, saved=None)
    check = check_params(0, key, known)
    yield _UNMOVED, check
    for saved, record, alone, checked in itertools.product((False, True), repeat=4):
        params = {f"o_{k}": v for k, v in answer.items()}
        if saved:
            params.update(save)
        if record:
            params.update(source="telegram", key="0", received_at=now)
        if checked:
            params.update(check)
        yield _folded(saved, record, alone, checked), params
    for closed, shown in itertools.product((False, True), repeat=2):
        sent: dict[str, Any] = {"chat": 0, "now": now}
        if closed:
            sent["row"] = 0
        if shown:
            sent.update(message=0, keyboard=False)
        if closed or shown:
            yield _after_send(closed, shown), sent
