"""R8 on PostgreSQL: an agent's search across every company reads a bounded number of rows,
whatever kind of word it holds and however PostgreSQL plans it (a custom plan, or the generic
plan it keeps for a statement psycopg prepared), not a number that grows with the table."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pg_plans import nodes, prepared_plans, rows_read
from sqlalchemy import event, text
from storage_world import World

from core.ports import TicketQuery
from storage.sql import SqlStore
from storage.sql import tickets as sql_tickets
from storage.tables import tickets

N = 30_000
"""Tickets: enough for the planner to weigh the full-text index against the primary key."""
BOUND = sql_tickets.COUNT_WINDOW + 1_000
"""Rows any one plan node may read: the newest ids a count walks, and a few more."""
WORDS = {
    "nota": "one ticket in three, all along",
    "boleto": "200 tickets, none among the 10 000 newest (a rare word: at most FEW_MATCHES)",
    "cashback": "no ticket",
    "pix": "2 205 tickets, all among the 4 500 oldest (more than FEW_MATCHES)",
}
_TEXT = """CASE WHEN g % 100 = 7 AND g < {n} - 2 * {w} THEN 'Segunda via do boleto'
    WHEN g % 2 = 1 AND g < 4500 THEN 'Pagamento por pix recusado'
    WHEN g % 3 = 0 THEN 'Nota fiscal rejeitada'
    ELSE 'Pedido travado' END"""


def _fill(store: SqlStore, sampled: int) -> None:
    """N tickets copied from one, their words by their number (see WORDS), opened a minute
    apart in id order; then statistics of the words from a sample of that size (a target of
    100 samples 30 000 rows, every ticket here; 10, 3 000)."""
    world = World(store)
    with world.store() as uow:
        world.open(uow)
        uow.commit()
    same = [c.name for c in tickets.c if c.name not in (
        "id", "seq", "number", "assunto", "descricao", "opened_at", "updated_at")]
    words = _TEXT.format(n=N, w=sql_tickets.COUNT_WINDOW)
    with store.engine.begin() as conn:
        # The counts' trigger, row by row, rewrites the same two rows 30 000 times (minutes):
        # set aside, and the counts made once after.
        conn.execute(text("ALTER TABLE tickets DISABLE TRIGGER tickets_stats_insert"))
        conn.execute(text(
            f"INSERT INTO tickets ({', '.join(same)}, seq, number, assunto, descricao, "
            f"opened_at, updated_at) SELECT {', '.join(same)}, g, period || '/' || g, "
            f"{words}, 'Vendas', opened_at + g * interval '1 minute', "
            f"opened_at + g * interval '1 minute' "
            f"FROM tickets, generate_series(2, {N}) AS g WHERE id = 1"))
        conn.execute(text("ALTER TABLE tickets ENABLE TRIGGER tickets_stats_insert"))
        conn.execute(text("DELETE FROM ticket_stats"))
        conn.execute(text(
            "INSERT INTO ticket_stats (company_id, requester_id, status, n) "
            "SELECT company_id, coalesce(requester_id, 0), status, count(*) FROM tickets "
            "GROUP BY GROUPING SETS ((company_id, requester_id, status), (company_id, status))"
            " ORDER BY 1, 2"))
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"ALTER TABLE tickets ALTER COLUMN search SET STATISTICS {sampled}"))
        conn.execute(text("VACUUM ANALYZE tickets"))


def _plans(store: SqlStore, seen: list[tuple[str, Any]], mode: str) -> list[str]:
    """Each statement prepared and run once under plan_cache_mode=mode, its plan as JSON."""
    return [json.dumps(rows[0][0]["Plan"])
            for rows in prepared_plans(store, seen, mode, "EXPLAIN (ANALYZE, FORMAT JSON)")]


@pytest.mark.postgres
@pytest.mark.parametrize("sampled", [100, 10], ids=["default-statistics", "sparse-statistics"])
def test_r8_postgres_a_search_of_any_word_reads_bounded_rows_in_custom_and_generic_plans(
    new_db_url: Any, sampled: int
) -> None:
    """A rare word, a word found nowhere, a common word and one with more than FEW_MATCHES
    matches all among the oldest tickets: no node of any plan of their page and total reads
    more than BOUND of the 30 000 tickets, planned with the parameters' values or without.
    Before: a rare word's older matches were ANDed with a bitmap of every older id (at
    1 000 000 tickets, 55-65 ms); the last word's page walked the table newest first; and a
    generic plan of a common word's page, not knowing the opening time it reaches back to,
    read the whole table (880 ms at 1 000 000)."""
    store = SqlStore(new_db_url("postgres"))
    _fill(store, sampled)
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "@@" in statement:
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    with store() as uow:
        counted = {}
        for word in WORDS:
            q = TicketQuery(text=word, limit=10)
            assert len(uow.tickets.list(q)) == (0 if word == "cashback" else 10), word
            counted[word] = uow.tickets.count(q, 1000)
    event.remove(store.engine, "before_cursor_execute", capture)
    assert counted == {"nota": 1001, "boleto": 200, "cashback": 0, "pix": 1001}
    over = []
    for mode in ("force_custom_plan", "force_generic_plan"):
        for (sql, _), plan in zip(seen, _plans(store, seen, mode), strict=True):
            read = max(rows_read(node) for node in nodes(json.loads(plan)))
            if read > BOUND:
                over.append((mode, read, " ".join(sql.split()), plan))
    store.dispose()
    assert not over, "\n\n".join(map(str, over))
