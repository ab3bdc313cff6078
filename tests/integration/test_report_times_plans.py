"""R14: the report's times read a window's tickets by index ranges, never every ticket, on
SQLite and PostgreSQL: those first taken in it by ix_tickets_taken, closed in it by
ix_tickets_closed, opened in it and waiting by ix_tickets_status_opened; an old month's report
reads its own tickets, not every one closed since."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.postgres_pool import PostgresDatabases, admin, postgres_url
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


class Filled:
    """Each kind's database filled once for the module (the fill is most of a test's minute);
    each test reads a copy of it, as filled, whatever the tests before it did to theirs."""

    def __init__(self, request: pytest.FixtureRequest, directory: Path) -> None:
        self.request = request
        self.directory = directory
        self.filled: dict[str, tuple[str, World]] = {}
        self.pg_filled: str | None = None

    def copy(self, kind: str) -> tuple[str, World]:
        """A new database as filled, and the world's ids in it."""
        if kind not in self.filled:
            self.filled[kind] = self._fill(kind)
        url, world = self.filled[kind]
        if kind == "sqlite":
            path = self.directory / f"copy-{uuid.uuid4().hex[:8]}.db"
            with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as src, \
                    closing(sqlite3.connect(path)) as dst:
                src.backup(dst)
            return f"sqlite:///{path}", world
        name = f"helpdesk_t_{uuid.uuid4().hex[:12]}"
        with closing(admin()) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_filled}"')
        self.request.addfinalizer(lambda: PostgresDatabases.drop(name))
        return postgres_url(name), world

    def _fill(self, kind: str) -> tuple[str, World]:
        if kind == "sqlite":
            url = self.request.getfixturevalue("_sqlite_databases").create(
                self.directory / "filled.db")
        else:
            pg = self.request.getfixturevalue("_pg_databases")
            self.pg_filled = pg.create()
            self.request.addfinalizer(lambda: pg.release(self.pg_filled, True))
            url = postgres_url(self.pg_filled)
        store = SqlStore(url)
        world = World(store)
        _fill(store, world)
        store.dispose()  # no connection left: PostgreSQL copies a database nobody is on
        return url, world


@pytest.fixture(scope="module")
def filled(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Filled:
    return Filled(request, tmp_path_factory.mktemp("report-times"))


@pytest.fixture
def filled_store(filled: Filled, kind: str) -> Iterator[tuple[SqlStore, World]]:
    """A SqlStore on a copy of the kind's filled database, and its world."""
    url, world = filled.copy(kind)
    store = SqlStore(url)
    yield store, world
    store.dispose()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_r14_the_reports_times_are_read_by_index_ranges(
        filled_store: tuple[SqlStore, World], kind: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store, world = filled_store
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


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_r14_an_old_months_times_read_its_window_not_the_tickets_closed_since(
        filled_store: tuple[SqlStore, World], kind: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A window early on, with 19 900 tickets taken and closed after it: its tickets taken
    are read by ix_tickets_taken's range over the window, those closed by ix_tickets_closed's,
    and no node of any of its plans (PostgreSQL: with the parameters' values or without) reads
    more than BOUND rows. Before: a ticket taken in it was looked for among all those closed
    since (20 000 rows), and SQLite read every closed ticket for those closed in it."""
    store, world = filled_store
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
        filled_store: tuple[SqlStore, World], kind: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The opening and closing times of the tickets closed in an old window (every company's,
    a large one's) come from ix_tickets_closed alone: before, each was then read from the
    table for its opened_at (24 000 reads for a month at 1 000 000 tickets, ~60 ms of the
    report's 300 ms of CPU on SQLite). PostgreSQL reads no row once its visibility map says
    the old tickets are unchanged, as autovacuum keeps it."""
    store, world = filled_store
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
