"""PostgreSQL: a ticket's number, the ticket and the notices about it in one statement (R1)."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import String, bindparam, cast, func, insert, select, union_all
from sqlalchemy.dialects import postgresql

from core.models import Ticket, format_number
from core.outbox import OutboxMessage
from core.ports import Notices
from storage.sql.delivery import ROWS_PER_INSERT, row_values, set_columns
from storage.tables import outbox, ticket_counters, tickets

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
def registration(columns: tuple[str, ...], outbox_columns: tuple[str, ...],
                 rows: tuple[tuple[bool, bool], ...]) -> Any:
    """numbered_insert, and the notices INSERTed from its RETURNING; SELECT id, seq.

    rows: per notice, whether its ticket_id is the new ticket's and whether its
    params["number"] is. Its other values are parameters named column_i. A number found taken
    inserts no ticket, hence no notice.
    """
    ticket = numbered_insert(columns).cte("ticket")
    own_number = func.jsonb_build_object("number", ticket.c.number)

    def value(column: str, i: int, own: bool, numbered: bool) -> Any:
        if column == "ticket_id" and own:
            return ticket.c.id
        given = bindparam(f"{column}_{i}", type_=outbox.c[column].type)
        if column == "params" and numbered:
            return given.op("||", return_type=postgresql.JSONB)(own_number)  # the right wins
        return given

    notices = [select(*(value(c, i, own, numbered) for c in outbox_columns)).select_from(ticket)
               for i, (own, numbered) in enumerate(rows)]
    write = insert(outbox).from_select(outbox_columns, union_all(*notices)).cte("notices")
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
    return messages if 0 < len(messages) <= ROWS_PER_INSERT else None


def with_notices(ticket: Ticket, ticket_params: dict[str, Any], messages: list[OutboxMessage]
                 ) -> tuple[Any, dict[str, Any]]:
    """The registration statement writing these unnumbered notices, and its parameters."""
    values = [row_values(m) for m in messages]
    columns = set_columns(values)
    placeholder = format_number(ticket.period, 0)
    rows = tuple((v["ticket_id"] == UNNUMBERED_ID, v["params"].get("number") == placeholder)
                 for v in values)
    params = dict(ticket_params)
    for i, (v, (own, _)) in enumerate(zip(values, rows, strict=True)):
        params.update({f"{c}_{i}": v[c] for c in columns if not (own and c == "ticket_id")})
    return registration(tuple(ticket_params), columns, rows), params
