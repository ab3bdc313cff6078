"""PostgreSQL: the round trips psycopg's connections make, as libpq traces them."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


@contextmanager
def wire_round_trips(desk: Any, path: Any) -> Iterator[list[str]]:
    """What psycopg's connections send meanwhile, as libpq traces it: a round trip per
    message the client waits on (Sync ends an extended-protocol exchange, Query a simple
    one: BEGIN and COMMIT). The listeners are the pool's, so statements keep their path."""
    files: list[Any] = []

    def checkout(dbapi_conn: Any, *_: Any) -> None:
        files.append(open(path, "a"))  # noqa: SIM115 - closed at checkin
        dbapi_conn.pgconn.trace(files[-1].fileno())

    def checkin(dbapi_conn: Any, *_: Any) -> None:
        if dbapi_conn is not None:
            dbapi_conn.pgconn.untrace()
        ctypes.CDLL(None).fflush(None)  # libpq writes through a buffered FILE
        while files:
            files.pop().close()

    pool = desk.store.engine.pool
    # Meanwhile every unit of work checks its connection out of the pool and back in
    # (storage.sql.kept keeps none), so that these listeners see each one.
    kept = desk.store.kept
    most, kept.most = kept.most, 0
    kept.close()
    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", checkin)
    sent: list[str] = []
    try:
        yield sent
    finally:
        event.remove(pool, "checkout", checkout)
        event.remove(pool, "checkin", checkin)
        kept.most = most
        with open(path) as trace:
            fields = [line.rstrip("\n").split("\t") for line in trace]
        sent.extend(f[3] for f in fields if f[1:2] == ["F"] and f[3] in ("Sync", "Query"))


def executed(path: Any) -> list[str]:
    """The statements a libpq trace shows run, one per round trip that ran one (psycopg's
    preparing a statement on a connection that had not seen it, a Parse alone, is not one):
    BEGIN and COMMIT as sent, a statement parsed in the trace by its text's first line, one
    prepared before by its name."""
    parsed: dict[str, str] = {}
    out: list[str] = []
    bound: str | None = None
    with open(path) as trace:
        for line in trace:
            fields = line.rstrip("\n").split("\t")
            if fields[1:2] != ["F"] or len(fields) < 4:
                continue
            kind, rest = fields[3], (fields[4] if len(fields) > 4 else "").strip()
            if kind == "Parse":
                name, _, sql = rest.partition(" ")
                parsed[name.strip('"')] = sql.strip('"')
            elif kind == "Bind":
                statement = re.findall(r'"([^"]*)"', rest)[1]  # after the portal's name
                bound = parsed.get(statement, statement)
            elif kind == "Query":
                out.append(rest.strip('"'))
            elif kind == "Sync" and bound is not None:
                out.append(bound)
                bound = None
    return out
