"""Capture the SQL a measure runs, and show the database's plan for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Collect (statement, parameters) of every SELECT run on the engine inside the block."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def plan(engine: Engine, statement: str, parameters: Any) -> str:
    """EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL) of one query."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "postgresql":
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            lines = [row[0] for row in cur.fetchall()]
            raw.rollback()
        else:
            cur.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            depth: dict[int, int] = {}
            lines = []
            for node, parent, _, detail in cur.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
        return "\n".join(lines)
    finally:
        raw.close()


def plans(engine: Engine, statements: list[tuple[str, Any]]) -> str:
    """Every distinct captured query with its plan."""
    out = []
    for statement, parameters in dict.fromkeys((s, repr(p)) for s, p in statements):
        params = next(p for s, p in statements if s == statement and repr(p) == parameters)
        out += [" ".join(statement.split()), f"-- parameters: {parameters}",
                plan(engine, statement, params), ""]
    return "\n".join(out)
