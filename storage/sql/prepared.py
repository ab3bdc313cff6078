"""Hot statements compiled once and run on the driver's cursor (SQLite's, psycopg's).

SQLAlchemy builds an execution context for every statement (its parameters processed
through the compiled form, a cursor, a result): on a registration's four statements that cost
more CPU than SQLite spent running them, and on PostgreSQL about as much as psycopg's own
work. A prepared statement keeps what that work found (SQL text, placeholder order, bind and
result processors) and does only the per-row part. On PostgreSQL the statement is also
prepared on the server at its first execution on a connection (psycopg's prepare=True; by
default only at the sixth), so its later executions skip parsing. A connection whose
prepare_threshold is None (a pooler keeping no prepared statement between transactions) gets
none: psycopg then ignores prepare=True.
"""

from __future__ import annotations

import copy
import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, cast

from sqlalchemy import (
    BigInteger,
    ClauseElement,
    Connection,
    Dialect,
    Executable,
    Integer,
    SmallInteger,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler


class Ran(Protocol):
    """What running a write gives back: the driver's cursor or a CursorResult."""

    @property
    def rowcount(self) -> int: ...
    @property
    def lastrowid(self) -> Any: ...
    def fetchone(self) -> Any: ...


class Prepared:
    """A statement compiled for a dialect and a set of parameter names: its SQL; per
    placeholder, in order, the parameter's name (None: the bind's own value) and bind
    processor; per result column, its result processor."""

    def __init__(self, stmt: Executable, dialect: Dialect, keys: tuple[str, ...]) -> None:
        compiled = cast(SQLCompiler, cast(ClauseElement, stmt).compile(
            dialect=dialect if dialect.positional else _positional(dialect),
            column_keys=list(keys)))
        self.server_side = dialect.name == "postgresql"
        if (compiled.positiontup is None or compiled.post_compile_params
                or compiled.literal_execute_params or compiled.insert_prefetch
                or compiled.update_prefetch):
            raise ValueError("the statement needs SQLAlchemy's execution context")
        self.sql = compiled.string
        self.sources: list[tuple[str | None, Any]] = []
        self.processing: list[tuple[int, Callable[[Any], Any]]] = []
        self.sizes: list[tuple[int, type[int]]] = []
        for i, name in enumerate(compiled.positiontup):
            bind = compiled.binds[name]
            given = bind.key if bind.key in keys else None
            if given is None and bind.required:
                raise ValueError(f"no value for the parameter {bind.key!r}")
            self.sources.append((given, None if given else bind.effective_value))
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self.processing.append((i, process))
            size = _size(bind.type) if self.server_side else None
            if size is not None:
                self.sizes.append((i, size))
        names = [given for given, _ in self.sources]
        self.pick = operator.itemgetter(*names) if len(names) > 1 and all(names) else None
        self.results = [c.type.dialect_impl(dialect).result_processor(dialect, None)
                        for c in getattr(stmt, "exported_columns", ())]
        self.processed = any(self.results)

    def values(self, params: Mapping[str, Any]) -> list[Any]:
        """The placeholders' values, processed as conn.execute would, in order."""
        if self.pick is not None:
            values = list(self.pick(params))
        else:
            values = [params[given] if given is not None else fixed
                      for given, fixed in self.sources]
        for i, process in self.processing:
            values[i] = process(values[i])
        for i, size in self.sizes:
            if type(values[i]) is int:  # not None, not a bool
                values[i] = size(values[i])
        return values

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        """A result row with its columns' result processors applied."""
        return tuple(v if p is None else p(v) for p, v in zip(self.results, raw, strict=True))


def _size(kind: Any) -> type[int] | None:
    """PostgreSQL: the type an integer placeholder's value is sent as, its column's. psycopg
    types a Python int by its value (3 smallint, 40 000 integer, 3e9 bigint) and prepares a
    statement once per set of parameter types: a chat id above 2**31 or below it, a message id
    above 32 767, the warm-up's 0, each made the statement prepared and planned anew."""
    if not isinstance(kind, Integer):
        return None
    from storage.pg_cursor import sized_ints

    Int2, Int4, Int8 = sized_ints()  # noqa: N806
    return Int8 if isinstance(kind, BigInteger) else \
        Int2 if isinstance(kind, SmallInteger) else Int4


@functools.lru_cache(maxsize=8)
def _positional(dialect: Dialect) -> Dialect:
    """The dialect compiling with positional placeholders (psycopg's `%s`, which it takes as
    well as SQLAlchemy's `%(name)s`): the values then go in a list, in order."""
    twin = copy.copy(dialect)
    twin.paramstyle = "format"
    twin.positional = True
    return twin


@functools.lru_cache(maxsize=256)
def _prepared(stmt: Executable, dialect: Dialect, keys: tuple[str, ...]) -> Prepared | None:
    try:
        return Prepared(stmt, dialect, keys)
    except ValueError:
        return None


_DRIVERS = {("sqlite", "pysqlite"), ("postgresql", "psycopg")}


def _direct(conn: Connection, stmt: Executable, params: Mapping[str, Any]) -> Prepared | None:
    """The statement prepared for the driver's cursor, if it may run there: on SQLite or on
    PostgreSQL through psycopg, with no one listening to the engine's statements or logging
    them (they see them as usual)."""
    # SQLAlchemy's own flags for "dispatch events or log around each statement" (checking
    # each event's listeners cost 4 % of a registration); unknown ones read as set.
    dialect = conn.dialect
    if ((dialect.name, dialect.driver) not in _DRIVERS or getattr(conn, "_echo", True)
            or getattr(conn, "_has_events", True) or getattr(conn.engine, "_has_events", True)
            or getattr(dialect, "_has_events", True)):
        return None
    return _prepared(stmt, dialect, tuple(params))


def compile_for(conn: Connection, stmt: Executable, params: Mapping[str, Any]) -> bool:
    """Compile the statement for these parameters' names now, as run() and rows() would on
    their first use (storage.sql.warm); whether it will run on the driver's cursor."""
    return _direct(conn, stmt, params) is not None


def run(conn: Connection, stmt: Executable, params: Mapping[str, Any]) -> Ran:
    """Execute a statement in the connection's transaction (begun as conn.execute would) and
    give its cursor: the driver's on SQLite and PostgreSQL (its rowcount, fetchone; lastrowid
    on SQLite only), elsewhere (or for a statement that needs more than its parameters, or
    whose result columns need processing) a CursorResult."""
    prepared = _direct(conn, stmt, params)
    if prepared is None or prepared.processed:
        return conn.execute(stmt, dict(params))
    return _execute(conn, prepared, params)


def rows(conn: Connection, stmt: Executable, params: Mapping[str, Any]
         ) -> list[tuple[Any, ...]]:
    """Run a statement as run() does and give its rows as tuples, result processors applied."""
    prepared = _direct(conn, stmt, params)
    if prepared is None:
        return [tuple(r) for r in conn.execute(stmt, dict(params))]
    found = _execute(conn, prepared, params).fetchall()
    return [prepared.row(r) for r in found] if prepared.processed else found


def _execute(conn: Connection, prepared: Prepared, params: Mapping[str, Any]) -> Any:
    if not conn.in_transaction():
        # What conn.execute's autobegin does: BEGIN IMMEDIATE on SQLite (storage.engine);
        # nothing sent on PostgreSQL, where psycopg begins with the statement (unless the
        # connection is on its own: SqlRepo.on_its_own).
        conn.begin()
    values = prepared.values(params)
    driver: Any = conn.connection.driver_connection
    dialect = conn.dialect
    error = dialect.loaded_dbapi.Error
    try:
        if prepared.server_side:
            return driver.execute(prepared.sql, values, prepare=True)
        return driver.execute(prepared.sql, values)
    except error as exc:
        # As conn.execute: a connection the server dropped is not used again.
        lost = dialect.is_disconnect(exc, driver, None)
        if lost:
            conn.invalidate()
        raise DBAPIError.instance(prepared.sql, values, exc, error,
                                  connection_invalidated=lost, dialect=dialect) from exc
