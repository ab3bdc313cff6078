"""R13, R19, R20: the coordinator's report counts a window's solutions sent (each judged when
it went), Não aprovar and ratings by the partial index ix_entries_report_events, a range over
the window's lines alone, on SQLite and PostgreSQL (PostgreSQL's planned with the parameters'
values or without)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pg_plans import nodes, prepared_plans
from sqlalchemy import event, insert, text
from storage_world import T0, World

from storage.sql import SqlStore
from storage.sql import report as sql_report
from storage.tables import entries

LINES = 20_000
"""System lines, one a minute: every fourth one the report counts, the others not."""
COUNTED = ("approval_requested prazo=on_time", "approval_requested prazo=late",
           "nao_aprovado reason=Continua", "rated rating=otimo")
WINDOW = (T0 + timedelta(minutes=LINES - 600), T0 + timedelta(minutes=LINES))
"""The window: the last 600 lines' minutes."""


def _fill(store: SqlStore, world: World) -> int:
    """One ticket with LINES system lines a minute apart; returns the ticket's id."""
    ticket = world.open_committed()
    rows = [{"ticket_id": ticket.id, "kind": "sistema", "created_at": T0 + timedelta(minutes=n),
             "text": COUNTED[n // 4 % 4] if n % 4 == 0 else "assigned assignee=Ana"}
            for n in range(LINES)]
    with store.engine.begin() as conn:
        conn.execute(insert(entries), rows)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    return int(ticket.id or 0)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_r13_the_reports_lines_are_read_by_their_partial_index(
        new_db_url: Any, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every company's report, a small company's (by its tickets) and a large one's (the
    window's lines, its company a filter): each reads an index range over the window."""
    store = SqlStore(new_db_url(kind))
    world = World(store)
    _fill(store, world)
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "entries" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    with store() as uow:
        counts = uow.tickets.report(*WINDOW, None)
        mine = uow.tickets.report(*WINDOW, world.a)
        monkeypatch.setattr(sql_report, "SMALL_COMPANY", 0)
        large = uow.tickets.report(*WINDOW, world.a)
    event.remove(store.engine, "before_cursor_execute", capture)
    # the window's last 600 lines, 150 of them counted, by their texts
    assert counts == mine == large
    assert (counts.solutions_on_time, counts.solutions_late, counts.not_approved,
            sum(counts.ratings.values())) == (37, 37, 38, 38)
    assert len(seen) == 3
    if kind == "sqlite":
        with store.engine.connect() as conn:
            plans = ["\n".join(str(row[-1]) for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, params)) for sql, params in seen]
        every, small, wide = plans  # a small company: its tickets' lines, in the window
        for plan in (every, wide):
            assert "USING INDEX ix_entries_report_events (created_at>? AND created_at<?)" \
                in plan, plan
        assert "ix_entries_ticket_created (ticket_id=? AND created_at>? AND created_at<?)" \
            in small, small
        assert "SCAN entries" not in every + small + wide
    else:
        for mode in ("force_custom_plan", "force_generic_plan"):
            for rows in prepared_plans(store, seen, mode, "EXPLAIN (FORMAT JSON)"):
                used = {n.get("Index Name") for n in nodes(rows[0][0]["Plan"])}
                assert "ix_entries_report_events" in used, (mode, rows)
    store.dispose()
