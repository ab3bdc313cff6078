"""R12: Assumir o próximo's double-press guard reads an agent's latest take by its index, not
every ticket she has in the status, on SQLite and on PostgreSQL with a cached (generic) plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pg_plans import reading_over
from sqlalchemy import event, insert, select, text
from storage_world import T0, World

from core.models import Status
from core.ports import TicketQuery
from storage.sql import SqlStore
from storage.tables import tickets

HELD = 3_000
"""Tickets Em atendimento the agent took long ago."""


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_r12_the_double_press_guard_reads_the_agents_latest_take_only(
        new_db_url: Any, kind: str) -> None:
    """In the listings' order (by opening) a cached plan walked every ticket the agent had Em
    atendimento when she had taken none in the last seconds, the guard's usual answer: 4 854
    of them, 343 ms, at 1 000 000 tickets."""
    store = SqlStore(new_db_url(kind))
    world = World(store)
    model = world.open_committed(at=T0)
    with store.engine.begin() as conn:
        row = dict(conn.execute(select(tickets).where(tickets.c.id == model.id)).mappings().one())
        del row["id"]
        conn.execute(insert(tickets), [
            {**row, "seq": n + 1, "opened_at": T0 + timedelta(hours=n),
             "status": Status.IN_PROGRESS.value, "assignee_id": world.ana,
             "assigned_at": T0 + timedelta(hours=n, minutes=5),
             "taken_at": T0 + timedelta(hours=n, minutes=5)} for n in range(1, HELD + 1)])
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "taken_at >=" in statement:
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    query = TicketQuery(assignee_id=world.ana, statuses=[Status.IN_PROGRESS], limit=1,
                        taken_since=T0 + timedelta(hours=HELD + 1))
    with store() as uow:
        assert uow.tickets.list(query) == []
        assert [t.seq for t in uow.tickets.list(query.model_copy(update={
            "taken_since": T0 + timedelta(hours=HELD - 2)}))] == [HELD + 1]  # the latest
    event.remove(store.engine, "before_cursor_execute", capture)
    assert seen
    if kind == "sqlite":
        with store.engine.connect() as conn:
            for sql, params in seen:
                plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + sql, params))
                assert "INDEX ix_tickets_taken_by (assignee_id=? AND status=? AND taken_at>?)" \
                    in plan, plan
    else:
        over = reading_over(store, seen[:1], 10)
        assert not over, "\n\n".join(over)
    store.dispose()
