"""R20 on PostgreSQL: the coordinator's report of one company reads that company's latest
rating comments without walking every other company's rating lines, planned with the
parameters' values or without."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pg_plans import reading_over
from sqlalchemy import event, text
from storage_world import T0, World

from core.models import Rating
from storage.sql import SqlStore
from storage.tables import tickets

N = 20_000
"""Rival's tickets, a minute apart, each rated Péssimo with a comment in the report's window."""
MINE = 3
"""Mercado Exemplo's commented ratings, the window's oldest."""
BOUND = 1_000
"""Rows any node may read: many fewer than the rival's N rating lines."""
SINCE = T0 - timedelta(days=1)
UNTIL = T0 + timedelta(minutes=N + 10)


def _fill(store: SqlStore, world: World) -> None:
    """MINE commented ratings of Mercado Exemplo, then N of Loja Rival, with their lines."""
    with store() as uow:
        for n in range(MINE):
            world.open(uow, company=world.a, requester=world.carla, at=T0 + timedelta(seconds=n))
        world.open(uow, company=world.b, requester=world.rita, at=T0)
        uow.commit()
    same = [c.name for c in tickets.c if c.name not in ("id", "search", "seq", "number")]
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE tickets DISABLE TRIGGER tickets_stats_insert"))
        conn.execute(text(
            f"INSERT INTO tickets ({', '.join([*same, 'seq', 'number'])}) "
            f"SELECT {', '.join(same)}, 100 + g, period || '/' || (100 + g) "
            f"FROM tickets, generate_series(1, {N}) AS g WHERE company_id = :b"),
            {"b": world.b})
        conn.execute(text("ALTER TABLE tickets ENABLE TRIGGER tickets_stats_insert"))
        conn.execute(text("DELETE FROM ticket_stats"))  # the counts, as the trigger keeps them
        conn.execute(text(
            "INSERT INTO ticket_stats (company_id, requester_id, status, n) "
            "SELECT company_id, requester_id, status, count(*) FROM tickets GROUP BY 1, 2, 3 "
            "UNION ALL SELECT company_id, 0, status, count(*) FROM tickets GROUP BY 1, 3"))
        conn.execute(text("UPDATE tickets SET rating = :r, rating_comment = 'demorou'"),
                     {"r": Rating.TERRIBLE.value})
        # Mercado's lines first (the window's oldest), then the rival's, a minute apart.
        conn.execute(text(
            "INSERT INTO entries (ticket_id, kind, text, created_at) "
            "SELECT id, 'sistema', :line, :t0 + row_number() OVER (ORDER BY company_id <> :a, id)"
            " * interval '1 minute' FROM tickets"),
            {"line": f"rated rating={Rating.TERRIBLE.value}", "t0": T0, "a": world.a})
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE tickets"))
        conn.execute(text("VACUUM ANALYZE entries"))


@pytest.mark.postgres
def test_r20_one_companys_rating_comments_read_without_the_others_lines(
        new_db_url: Any) -> None:
    """Loja Rival's 20 000 low ratings with comments fill the window after Mercado Exemplo's
    three: Mercado's report finds its three, newest first, Rival's its latest ten, and no
    node of either plan reads more than 1 000 rows, with the parameters' values or without.
    Before: the plan walked the window's rating lines from its end, every one of Rival's,
    to reach Mercado's (20 004 rows)."""
    store = SqlStore(new_db_url("postgres"))
    world = World(store)
    _fill(store, world)
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    ratings = [Rating.POOR, Rating.TERRIBLE]
    event.listen(store.engine, "before_cursor_execute", capture)
    with store() as uow:
        mine = uow.tickets.rated_comments(SINCE, UNTIL, world.a, ratings, 10)
        theirs = uow.tickets.rated_comments(SINCE, UNTIL, world.b, ratings, 10)
    event.remove(store.engine, "before_cursor_execute", capture)
    assert [c.comment for c in mine] == ["demorou"] * MINE
    assert [c.ticket_id for c in mine] == sorted((c.ticket_id for c in mine), reverse=True)
    assert len(theirs) == 10
    assert theirs[0].rated_at == T0 + timedelta(minutes=MINE + N + 1)  # the last line
    over = reading_over(store, seen, BOUND)
    store.dispose()
    assert not over, "\n\n".join(over)
