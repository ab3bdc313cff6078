"""R12, R13, R14, R21 on PostgreSQL: the timed sweeps, their priority-filtered ones included,
read the tickets of their own statuses through an index, planned with the parameters' values
or without, never the table whole (SQLite's plans: test_sql_engine.py's index-backed ones)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from pg_plans import nodes, prepared_plans, rows_read
from sqlalchemy import event, func, select, text
from storage_world import T0, World

from core.models import Priority, Status
from storage.sql import SqlStore
from storage.tables import QUEUE_STATUSES, tickets

N = 20_000
"""Tickets a minute apart, every one due by the sweeps' cutoff, the statuses in turn (2 500
each), one in 29 critical, one in 11 warned and reminded, one in 13 flagged."""
LIMIT = 100
CUTOFF = T0 + timedelta(minutes=N + 1)
NEW = (Status.NEW, Status.ESTIMATE)

SWEEPS: dict[str, tuple[Callable[[Any], list[Any]], tuple[Status, ...]]] = {
    "auto_close": (lambda u: u.tickets.awaiting_before(CUTOFF, LIMIT),
                   (Status.AWAITING_APPROVAL,)),
    "reminders": (lambda u: u.tickets.awaiting_before(CUTOFF, LIMIT, reminders_below=1),
                  (Status.AWAITING_APPROVAL,)),
    "overdue": (lambda u: u.tickets.due_before(CUTOFF, LIMIT, warnings_below=2),
                QUEUE_STATUSES),
    "due_soon": (lambda u: u.tickets.due_before(CUTOFF, LIMIT, warnings_below=1, lock=False),
                 QUEUE_STATUSES),
    "due_soon_padrao": (lambda u: u.tickets.due_before(
        CUTOFF, LIMIT, warnings_below=1, priority=Priority.STANDARD), QUEUE_STATUSES),
    "due_soon_critico": (lambda u: u.tickets.due_before(
        CUTOFF, LIMIT, warnings_below=1, priority=Priority.CRITICAL), QUEUE_STATUSES),
    "not_taken": (lambda u: u.tickets.new_before(CUTOFF, LIMIT), NEW),
    "not_taken_critico": (lambda u: u.tickets.new_before(CUTOFF, LIMIT, Priority.CRITICAL),
                          NEW),
}


def _fill(store: SqlStore) -> None:
    """N tickets copied from one (see N), every other estimate unassigned; then statistics."""
    world = World(store)
    with world.store() as uow:
        world.open(uow, assignee_id=world.ana, due_at=T0, awaiting_since=T0)
        uow.commit()
    statuses = ", ".join(f"'{s.value}'" for s in Status)
    varied = {
        "seq": "g", "number": "period || '/' || g",
        "status": f"(ARRAY[{statuses}])[1 + g % {len(Status)}]",
        "priority": f"CASE WHEN g % 29 = 0 THEN '{Priority.CRITICAL.value}' "
                    f"ELSE '{Priority.STANDARD.value}' END",
        "opened_at": "opened_at + g * interval '1 minute'",
        "due_at": "due_at + g * interval '1 minute'",
        "awaiting_since": "awaiting_since + g * interval '1 minute'",
        "due_warnings_sent": "CASE WHEN g % 11 = 0 THEN 1 ELSE 0 END",
        "reminders_sent": "CASE WHEN g % 11 = 0 THEN 1 ELSE 0 END",
        "first_response_flagged": "g % 13 = 0",
        "assignee_id": "CASE WHEN g % 16 = 1 THEN NULL ELSE assignee_id END",
    }
    same = [c.name for c in tickets.c if c.name not in ("id", "search", *varied)]
    with store.engine.begin() as conn:
        # The counts' trigger, row by row, would rewrite the same rows N times.
        conn.execute(text("ALTER TABLE tickets DISABLE TRIGGER tickets_stats_insert"))
        conn.execute(text(
            f"INSERT INTO tickets ({', '.join([*same, *varied])}) "
            f"SELECT {', '.join([*same, *varied.values()])} "
            f"FROM tickets, generate_series(2, {N}) AS g WHERE id = 1"))
        conn.execute(text("ALTER TABLE tickets ENABLE TRIGGER tickets_stats_insert"))
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE tickets"))


@pytest.mark.postgres
def test_the_sweeps_read_only_tickets_of_their_statuses_in_custom_and_generic_plans(
        new_db_url: Any) -> None:
    """Every ticket is due: no node of any sweep's plan reads more rows than there are tickets
    in the statuses it looks at (the prazo warnings: the queue's), planned with the
    parameters' values or without, and none reads the table whole. Before: the prazo
    warnings of one priority compared `priority || ''` (SQLite's way of keeping its planner
    off the queue's index), which left PostgreSQL no statistics for it: guessing a handful of
    matches, it read all 20 000 tickets and sorted the due ones."""
    store = SqlStore(new_db_url("postgres"))
    _fill(store)
    over = []
    for name, (sweep, statuses) in SWEEPS.items():
        seen: list[tuple[str, Any]] = []

        def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any,
                    seen: list[tuple[str, Any]] = seen) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append((statement, params))

        event.listen(store.engine, "before_cursor_execute", capture)
        with store() as uow:
            assert len(sweep(uow)) == LIMIT, name
        event.remove(store.engine, "before_cursor_execute", capture)
        with store() as uow:  # not among the statements planned
            bound = uow.connection.execute(select(func.count()).select_from(tickets).where(
                tickets.c.status.in_(statuses))).scalar_one()
        for mode in ("force_custom_plan", "force_generic_plan"):
            explained = prepared_plans(store, seen, mode, "EXPLAIN (ANALYZE, FORMAT JSON)")
            for (sql, _), rows in zip(seen, explained, strict=True):
                plan = rows[0][0]["Plan"]
                read = max(rows_read(node) for node in nodes(plan))
                if read > bound or any(n["Node Type"] == "Seq Scan" for n in nodes(plan)):
                    over.append((name, mode, read, bound, " ".join(sql.split()),
                                 json.dumps(plan)))
    store.dispose()
    assert not over, "\n\n".join(map(str, over))
