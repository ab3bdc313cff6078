"""R14: the report's times read a window's tickets by index ranges, never every ticket, on
SQLite and PostgreSQL: those first taken in it by ix_tickets_taken, closed in it by
ix_tickets_closed, opened in it and waiting by ix_tickets_status_opened; an old month's report
reads its own tickets, not every one closed since."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from pg_plans import analyzed, nodes, prepared_plans, reading_over
from sqlalchemy import event, insert, select, text
from storage_world import T0, World

from core.calendar import micros
from core.models import Decision, Status
from storage.sql import SqlStore
from storage.sql import report as sql_report
from storage.tables import tickets

TICKETS = 20_000
"""Closed tickets, one opened an hour, each taken 10 minutes and closed 3 hours after."""
WINDOW = (T0 + timedelta(hours=TICKETS - 48), T0 + timedelta(hours=TICKETS))
"""The window: the last two days."""
OLD = (T0 + timedelta(hours=48), T0 + timedelta(hours=96))
"""An old window: two days early on, with 19 900 tickets taken and closed after it."""
BOUND = 500
"""Rows a plan's node may read for a window of 48 tickets taken and 48 closed."""


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
    every, mine, large, seen = _times(store, world, WINDOW, monkeypatch)
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


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_r14_an_old_months_times_read_its_window_not_the_tickets_closed_since(
        new_db_url: Any, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A window early on, with 19 900 tickets taken and closed after it: its tickets taken
    are read by ix_tickets_taken's range over the window, those closed by ix_tickets_closed's,
    and no node of any of its plans (PostgreSQL: with the parameters' values or without) reads
    more than BOUND rows. Before: a ticket taken in it was looked for among all those closed
    since (20 000 rows), and SQLite read every closed ticket for those closed in it."""
    store = SqlStore(new_db_url(kind))
    world = World(store)
    _fill(store, world)
    every, mine, large, seen = _times(store, world, OLD, monkeypatch)
    assert every == mine == large
    # taken: opened from 47 h 50 min after the first to 10 min before the end; closed: opened
    # from 51 h before the end, 3 h before
    assert (len(every.taken), len(every.solved), every.not_taken) == (48, 48, 0)
    assert min(a for _, a, _ in every.taken) == micros(OLD[0] + timedelta(minutes=10))
    if kind == "sqlite":
        with store.engine.connect() as conn:
            plans = {sql: "\n".join(str(row[-1]) for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, params)) for sql, params in seen}
        # every company's and a large one's: the window's ranges; a small company's (SQLite,
        # without the values' statistics): its own tickets, at most SMALL_COMPANY
        ranges = {"assigned_at >=": "INDEX ix_tickets_taken (assigned_at>? AND assigned_at<?)",
                  "closed_at >=": "INDEX ix_tickets_closed (closed_at>? AND closed_at<?)"}
        for sql, plan in plans.items():
            assert "SCAN tickets" not in plan, plan
            for condition, index in ranges.items():
                if condition in sql and "company_id =" not in sql:
                    assert index in plan, (sql, plan)
    else:
        over = reading_over(store, seen, BOUND)
        assert not over, "\n\n".join(over)
        assert {n["Index Name"] for _, sql, plan in analyzed(store, seen) for n in nodes(plan)
                if "assigned_at >=" in sql and "Index Name" in n} == {"ix_tickets_taken"}
    store.dispose()


def _times(store: SqlStore, world: World, window: tuple[datetime, datetime],
           monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, Any, list[tuple[str, Any]]]:
    """The window's times of every company, of the world's as a small company and as a large
    one, and the statements they ran."""
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "opened_at" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    with store() as uow:
        every = uow.tickets.report_times(*window, None)
        mine = uow.tickets.report_times(*window, world.a)
        with monkeypatch.context() as patch:
            patch.setattr(sql_report, "SMALL_COMPANY", 0)
            large = uow.tickets.report_times(*window, world.a)
    event.remove(store.engine, "before_cursor_execute", capture)
    return every, mine, large, seen


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_r14_a_windows_closed_tickets_times_are_read_from_the_index_alone(
        new_db_url: Any, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The opening and closing times of the tickets closed in an old window (every company's,
    a large one's) come from ix_tickets_closed alone: before, each was then read from the
    table for its opened_at (24 000 reads for a month at 1 000 000 tickets, ~60 ms of the
    report's 300 ms of CPU on SQLite). PostgreSQL reads no row once its visibility map says
    the old tickets are unchanged, as autovacuum keeps it."""
    store = SqlStore(new_db_url(kind))
    world = World(store)
    _fill(store, world)
    if kind == "postgres":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE tickets"))
    _, _, _, seen = _times(store, world, OLD, monkeypatch)
    closed = [(sql, params) for sql, params in seen
              if "closed_at >=" in sql and "company_id =" not in sql]
    assert len(closed) == 2  # every company's; a large one's (company_id + 0)
    if kind == "sqlite":
        with store.engine.connect() as conn:
            for sql, params in closed:
                plan = "\n".join(str(row[-1]) for row in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + sql, params))
                assert "COVERING INDEX ix_tickets_closed" in plan, plan
    else:
        read = [n for _, _, plan in analyzed(store, closed) for n in nodes(plan)
                if n.get("Index Name") == "ix_tickets_closed"]
        assert len(read) == 4, read  # each statement with its values and without
        assert {(n["Node Type"], n.get("Heap Fetches")) for n in read} == {("Index Only Scan", 0)}
    store.dispose()
