"""What every SQL repository shares: the connection, unique-violation handling, dialect bits."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Connection, CursorResult, Executable, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict
from storage.sql.prepared import rows

_UNIQUE_SQLSTATE = "23505"
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: connected, no transaction open
_SQLITE_UNIQUE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether an IntegrityError comes from a unique or primary-key constraint."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == _UNIQUE_SQLSTATE:
        return True
    return getattr(orig, "sqlite_errorname", None) in _SQLITE_UNIQUE


def new_id(result: CursorResult[Any]) -> int:
    """The primary key an INSERT generated."""
    pk = result.inserted_primary_key
    if pk is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(pk[0])


_NEW_ROWS: dict[tuple[str, str, str | None], Any] = {}


def new_rows(dialect: str, table: Table, returning: ColumnElement[Any]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING one column, built once per table (its
    parameters are the row's columns)."""
    key = (dialect, table.name, returning.key)
    stmt = _NEW_ROWS.get(key)
    if stmt is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = _NEW_ROWS[key] = insert(table).on_conflict_do_nothing().returning(returning)
    return stmt


class SqlRepo:
    """A repository working inside the unit of work's connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def dialect(self) -> str:
        """The database's dialect name: sqlite or postgresql."""
        return self.conn.dialect.name

    def insert_unique(self, stmt: Executable, conflict: Conflict,
                      params: dict[str, Any] | None = None) -> CursorResult[Any]:
        """Run an INSERT in a savepoint; a unique violation raises conflict, the rest goes on.

        Pass the row as params (not stmt.values(...)): the compiled statement is then cached
        by its columns, instead of a new statement being built and keyed for every row.
        """
        try:
            with self.conn.begin_nested():
                return self.conn.execute(stmt, params) if params else self.conn.execute(stmt)
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise conflict from exc
            raise

    def insert_new(self, table: Table, returning: ColumnElement[Any], conflict: Conflict,
                   params: dict[str, Any]) -> Any:
        """INSERT … ON CONFLICT DO NOTHING RETURNING one column; a clash raises conflict.

        Cheaper than insert_unique's savepoint (one statement instead of three) and, like it,
        leaves the transaction usable after a clash. The statement is built once per table.
        """
        value = self.insert_if_new(table, returning, params)
        if value is None:
            raise conflict
        return value

    def insert_if_new(self, table: Table, returning: ColumnElement[Any],
                      params: dict[str, Any]) -> Any | None:
        """INSERT … ON CONFLICT DO NOTHING RETURNING one column; None when the row clashed."""
        stmt = new_rows(self.dialect, table, returning)
        if self.dialect == "sqlite":  # on the driver's cursor (storage.sql.prepared)
            found = rows(self.conn, stmt, params)
            return found[0][0] if found else None
        return self.conn.execute(stmt, params).scalar_one_or_none()

    def upsert(self, table: Table) -> Any:
        """An INSERT that can take ON CONFLICT clauses in this dialect."""
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    @contextlib.contextmanager
    def on_its_own(self) -> Iterator[bool]:
        """PostgreSQL, while no transaction is open on the connection: each statement inside
        is a transaction of its own (psycopg's autocommit), so no BEGIN and COMMIT round trips
        go with it. Yields whether that is so (elsewhere the statements join the transaction,
        as usual). The connection always goes back to transactions; one that cannot is dropped
        from the pool, never returned to it in autocommit."""
        raw = self.conn.connection.dbapi_connection if self.dialect == "postgresql" else None
        info = getattr(raw, "info", None)
        if raw is None or info is None or info.transaction_status != _IDLE:
            yield False
            return
        raw.autocommit = True
        try:
            yield True
        except BaseException:
            self._transactions_again(raw, failing=True)
            raise
        self._transactions_again(raw, failing=False)

    def _transactions_again(self, raw: Any, failing: bool) -> None:
        """Turn psycopg's autocommit off; a connection that refuses (it broke) is invalidated,
        and the error that broke it, if any, is the one that goes on."""
        try:
            raw.autocommit = False
        except Exception:
            self.conn.invalidate()
            if not failing:
                raise

    def binary(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        """Order by code point, as Python sorts, whatever the database's collation."""
        return column.collate("C") if self.dialect == "postgresql" else column
