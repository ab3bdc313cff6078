"""PostgreSQL: a ticket's number, the ticket and the notices about it in one statement (R1)."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    String,
    bindparam,
    case,
    cast,
    column,
    func,
    insert,
    select,
    true,
)
from sqlalchemy.dialects import postgresql

from core.models import Ticket, format_number
from core.outbox import OutboxMessage
from core.ports import Notices
from storage.sql.delivery import WRITTEN, row_values
from storage.tables import outbox, ticket_counters, tickets
from storage.values import as_json

UNNUMBERED_ID = 0
"""The id notices are made with before the ticket has one (ids start at 1)."""


@functools.lru_cache(maxsize=32)
def numbered_insert(columns: tuple[str, ...]) -> Any:
    """Take the period's next number and insert the ticket with it, in one statement (the
    counter upsert is a CTE the INSERT selects from); RETURNING id, seq, number.

    columns: those the ticket sets, seq and number aside (the rest stay NULL).
    """
    counter = (
        postgresql.insert(ticket_counters)
        .values(period=bindparam("period"), last_seq=1)
        .on_conflict_do_update(index_elements=[ticket_counters.c.period],
                               set_={"last_seq": ticket_counters.c.last_seq + 1})
        .returning(ticket_counters.c.last_seq)
        .cte("counter")
    )
    seq = counter.c.last_seq
    digits = cast(seq, String)
    number = (bindparam("period", type_=String) + "/"  # format_number: at least 4 digits
              + func.lpad(digits, func.greatest(4, func.length(digits)), "0"))
    row = select(*(bindparam(f, type_=tickets.c[f].type) for f in columns), seq, number)
    return (
        postgresql.insert(tickets)
        .from_select([*columns, "seq", "number"], row.select_from(counter))
        .on_conflict_do_nothing()
        .returning(tickets.c.id, tickets.c.seq, tickets.c.number)
    )


@functools.lru_cache(maxsize=32)
def registration(columns: tuple[str, ...]) -> Any:
    """numbered_insert, and the notices INSERTed from its RETURNING; SELECT id, seq.

    The notices are one JSON parameter, `notices`: a row per notice with the outbox's columns
    (WRITTEN; a missing one is NULL), `own` when its ticket_id is the new ticket's and
    `numbered` when its params["number"] is. One parameter, not eleven a notice: psycopg
    parses a statement of more than 50 parameters (or 4 096 characters) on every execution.
    A number found taken inserts no ticket, hence no notice.
    """
    ticket = numbered_insert(columns).cte("ticket")
    given = func.jsonb_to_recordset(bindparam("notices", type_=postgresql.JSONB)).table_valued(
        *(column(c, outbox.c[c].type) for c in WRITTEN),
        column("own", Boolean), column("numbered", Boolean), column("i", Integer),
    ).render_derived(name="notice", with_types=True)
    own_number = given.c.params.op("||", return_type=postgresql.JSONB)(  # the right one wins
        func.jsonb_build_object("number", ticket.c.number))
    values: dict[str, ColumnElement[Any]] = {c: given.c[c] for c in WRITTEN}
    values["ticket_id"] = case((given.c.own, ticket.c.id), else_=given.c.ticket_id)
    values["params"] = case((given.c.numbered, own_number), else_=given.c.params)
    rows = select(*values.values()).select_from(ticket).join(given, true()).order_by(given.c.i)
    write = insert(outbox).from_select(list(values), rows).cte("notices")
    return select(ticket.c.id, ticket.c.seq).add_cte(write)


def unnumbered(ticket: Ticket, notices: Notices) -> list[OutboxMessage] | None:
    """The notices made before the ticket is numbered, if the database can complete them:
    they quote its id only as ticket_id and its number only as params["number"]."""
    draft = ticket.model_copy(update={"id": UNNUMBERED_ID, "seq": 0})
    messages = notices(draft)
    for m in messages:
        rest = {k: v for k, v in m.params.items() if k != "number"}
        if draft.number in repr((rest, m.target, m.kind)):  # seq 0: a number no ticket gets
            return None
    return messages or None


def with_notices(ticket: Ticket, ticket_params: dict[str, Any], messages: list[OutboxMessage]
                 ) -> tuple[Any, dict[str, Any]]:
    """The registration statement writing these unnumbered notices, and its parameters."""
    placeholder = format_number(ticket.period, 0)
    notices = []
    for i, message in enumerate(messages):
        row = {c: v for c, v in row_values(message).items() if v is not None}
        row.update(i=i, own=message.ticket_id == UNNUMBERED_ID,
                   numbered=message.params.get("number") == placeholder)
        notices.append(row)
    return registration(tuple(ticket_params)), {**ticket_params, "notices": as_json(notices)}
