"""PostgreSQL plans of captured statements, prepared as the plan cache would run them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from storage.sql import SqlStore


def prepared_plans(store: SqlStore, seen: list[tuple[str, Any]], mode: str,
                   explain: str = "EXPLAIN") -> list[list[Any]]:
    """Each captured statement prepared and explained under plan_cache_mode=mode
    (force_generic_plan: planned without its parameters' values, as a cached plan is);
    the EXPLAIN rows of each."""
    import psycopg

    raw = store.engine.raw_connection()
    try:
        cur = psycopg.ClientCursor(raw.driver_connection)
        cur.execute(f"SET plan_cache_mode = {mode}")
        out = []
        for n, (sql, params) in enumerate(seen):
            names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
            body = sql
            for i, name in enumerate(names, 1):
                body = body.replace(f"%({name})s", f"${i}")
            cur.execute(f"PREPARE plan{n} AS {body.replace('%%', '%')}")
            args = f"({', '.join(['%s'] * len(names))})" if names else ""
            cur.execute(f"{explain} EXECUTE plan{n}{args}", [params[k] for k in names])
            out.append([row[0] for row in cur.fetchall()])
            cur.execute(f"DEALLOCATE plan{n}")
        raw.rollback()
        return out
    finally:
        raw.close()


def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A JSON plan's node and every node under it."""
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def rows_read(node: dict[str, Any]) -> int:
    """Rows a plan node read: those it passed on and those its filters dropped, every loop."""
    rows = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0) + node.get(
        "Rows Removed by Index Recheck", 0)
    return int(rows * node.get("Actual Loops", 1))


def analyzed(store: SqlStore, seen: list[tuple[str, Any]]) -> Iterator[tuple[str, str, Any]]:
    """Each captured statement run by EXPLAIN ANALYZE as a cached plan would be, with its
    parameters' values and without: (mode, statement, JSON plan)."""
    for mode in ("force_custom_plan", "force_generic_plan"):
        explained = prepared_plans(store, seen, mode, "EXPLAIN (ANALYZE, FORMAT JSON)")
        for (sql, _), rows in zip(seen, explained, strict=True):
            yield mode, sql, rows[0][0]["Plan"]


def reading_over(store: SqlStore, seen: list[tuple[str, Any]], bound: int) -> list[str]:
    """The captured statements' plans (analyzed) where a node reads more than bound rows,
    each described for a failure's message."""
    over = []
    for mode, sql, plan in analyzed(store, seen):
        read = max(rows_read(node) for node in nodes(plan))
        if read > bound:
            over.append(f"{mode}: {read} rows: {' '.join(sql.split())}\n{json.dumps(plan)}")
    return over
