"""R14: the report's times read a window's tickets by index ranges, never every ticket, on
SQLite and PostgreSQL: assigned_at has no index, so a ticket taken in the window is found among
the open ones (ix_tickets_status_opened) or those closed since (ix_tickets_closed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pg_plans import nodes, prepared_plans
from sqlalchemy import event, insert, select, text
from storage_world import T0, World

from core.models import Decision, Status
from storage.sql import SqlStore
from storage.sql import report as sql_report
from storage.tables import tickets

TICKETS = 20_000
"""Closed tickets, one opened an hour, each taken 10 minutes and closed 3 hours after."""
WINDOW = (T0 + timedelta(hours=TICKETS - 48), T0 + timedelta(hours=TICKETS))
"""The window: the last two days."""


def _fill(store: SqlStore, world: World) -> None:
    """TICKETS closed tickets like one opened by the world, and one open ticket."""
    model = world.open_committed(at=T0)
    with store.engine.begin() as conn:
        row = dict(conn.execute(select(tickets).where(tickets.c.id == model.id)).mappings().one())
        del row["id"]
        rows = []
        for n in range(1, TICKETS):
            at = T0 + timedelta(hours=n)
            rows.append({**row, "seq": n + 1, "opened_at": at, "updated_at": at,
                         "status": Status.CLOSED.value, "decision": Decision.APPROVED.value,
                         "assignee_id": world.ana, "assigned_at": at + timedelta(minutes=10),
                         "closed_at": at + timedelta(hours=3)})
        conn.execute(insert(tickets), rows)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_r14_the_reports_times_are_read_by_index_ranges(
        new_db_url: Any, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SqlStore(new_db_url(kind))
    world = World(store)
    _fill(store, world)
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "opened_at" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    with store() as uow:
        every = uow.tickets.report_times(*WINDOW, None)
        mine = uow.tickets.report_times(*WINDOW, world.a)
        monkeypatch.setattr(sql_report, "SMALL_COMPANY", 0)
        large = uow.tickets.report_times(*WINDOW, world.a)
    event.remove(store.engine, "before_cursor_execute", capture)
    assert every == mine == large
    # taken in the last 48 hours: the tickets opened from 48 h 10 min before the end; closed
    # in them: those opened from 51 h before, closed up to the end
    assert (len(every.taken), len(every.solved), every.not_taken) == (48, 48, 0)
    assert len(seen) == 9
    if kind == "sqlite":
        with store.engine.connect() as conn:
            plans = ["\n".join(str(row[-1]) for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, params)) for sql, params in seen]
        for plan in plans:
            assert "SCAN tickets" not in plan, plan
    else:
        for mode in ("force_custom_plan", "force_generic_plan"):
            for (sql, _), rows in zip(seen, prepared_plans(store, seen, mode,
                                                           "EXPLAIN (FORMAT JSON)"), strict=True):
                kinds = {n["Node Type"] for n in nodes(rows[0][0]["Plan"])}
                assert "Seq Scan" not in kinds, (mode, sql, rows)
    store.dispose()
