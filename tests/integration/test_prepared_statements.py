"""Statements run on SQLite's cursor (storage.sql.prepared) store and read what conn.execute
would, in the unit of work's transaction, and stay visible to whoever listens to the engine."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError

from core.outbox import Channel, DeliveryStatus
from storage.sql.base import is_unique_violation
from storage.sql.prepared import rows, run
from storage.tables import outbox, users
from storage.telegram_tables import telegram_chats

AT = datetime(2026, 12, 5, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-3)))
ROW = {"channel": Channel.TELEGRAM, "target": "5001", "kind": "ticket.registered",
       "params": {"number": "202612/0001", "assunto": "Rejeição 539", "language": None},
       "created_at": AT, "status": DeliveryStatus.PENDING, "attempts": 0,
       "next_attempt_at": None, "destination": "telegram:5001", "available_at": AT}
USER = {"name": "Carla Souza", "email": "Carla@Mercado.example.com",
        "email_key": "carla@mercado.example.com", "role": "customer", "trained": True,
        "active": False, "deactivated_at": AT}
_BY_ID = select(users).where(users.c.id == bindparam("id"))


@pytest.fixture
def conn(sql_store: Any) -> Iterator[Any]:
    """The open connection of a unit of work, rolled back at the end."""
    with sql_store() as uow:
        yield uow.connection


def _stored(conn: Any, row_id: int) -> dict[str, Any]:
    found = conn.execute(select(outbox).where(outbox.c.id == row_id)).one()._asdict()
    found.pop("id")
    return found


def test_a_row_written_so_is_stored_as_conn_execute_stores_it(conn: Any) -> None:
    """Enums as their values, an aware datetime in UTC, the dict as JSON and its None as null,
    a None column as NULL."""
    by_execute = conn.execute(insert(outbox), ROW).inserted_primary_key[0]
    run(conn, insert(outbox), ROW)
    by_run = _last_id(conn)
    assert by_run != by_execute
    assert _stored(conn, by_run) == _stored(conn, by_execute)
    assert _stored(conn, by_run)["created_at"] == AT.astimezone(UTC)
    assert _stored(conn, by_run)["params"]["language"] is None


def test_rows_read_so_are_the_rows_conn_execute_gives(conn: Any) -> None:
    """Booleans as bool, datetimes aware in UTC."""
    user_id = conn.execute(insert(users), USER).inserted_primary_key[0]
    read = rows(conn, _BY_ID, {"id": user_id})
    assert read == [tuple(r) for r in conn.execute(_BY_ID, {"id": user_id})]
    as_dict = dict(zip(users.c.keys(), read[0], strict=True))
    assert (as_dict["trained"], as_dict["active"]) == (True, False)
    assert as_dict["deactivated_at"] == AT.astimezone(UTC)


def test_a_write_outside_a_transaction_begins_one(sql_store: Any) -> None:
    """Rolled back, it is gone (not committed by the driver on its own)."""
    with sql_store() as uow:
        conn = uow.connection
        assert not conn.in_transaction()
        run(conn, insert(outbox), ROW)
        assert conn.in_transaction()
        uow.rollback()
    with sql_store() as uow:
        assert uow.connection.execute(select(outbox.c.id)).all() == []


def test_a_column_default_is_filled_in(conn: Any) -> None:
    """A statement leaving out a column with a Python default runs as conn.execute runs it."""
    row = {k: v for k, v in ROW.items() if k != "attempts"}
    run(conn, insert(outbox), row)
    stored = conn.execute(select(outbox.c.attempts).where(outbox.c.id == _last_id(conn)))
    assert stored.scalar_one() == 0


def _last_id(conn: Any) -> int:
    return int(conn.execute(select(outbox.c.id).order_by(outbox.c.id.desc()).limit(1))
               .scalar_one())


def test_a_unique_violation_is_sqlalchemys_integrity_error(conn: Any) -> None:
    run(conn, insert(users), USER)
    with pytest.raises(IntegrityError) as caught:
        run(conn, insert(users), USER)
    assert is_unique_violation(caught.value)


def test_listeners_to_the_engine_see_the_statements(conn: Any) -> None:
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(conn.engine, "after_cursor_execute", note)
    try:
        run(conn, insert(outbox), ROW)
        rows(conn, _BY_ID, {"id": 1})
    finally:
        event.remove(conn.engine, "after_cursor_execute", note)
    assert [s.split()[0] for s in seen] == ["INSERT", "SELECT"]


def test_on_sqlite_the_statement_runs_on_the_drivers_cursor(conn: Any) -> None:
    """No execution context is built (the CPU a registration saves)."""
    if conn.dialect.name != "sqlite":
        pytest.skip("SQLite only: elsewhere conn.execute runs it")
    assert isinstance(run(conn, insert(outbox), ROW), sqlite3.Cursor)


def test_on_postgresql_the_statement_runs_on_psycopgs_cursor_prepared_at_once(
        conn: Any) -> None:
    """No execution context is built, and the server keeps the statement prepared from its
    first execution on (psycopg's own threshold is five): the next ones skip parsing it."""
    if conn.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg

    assert isinstance(run(conn, insert(outbox), ROW), psycopg.Cursor)
    rows(conn, _BY_ID, {"id": 1})
    prepared = conn.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars()
    assert sorted(s.split()[0] for s in prepared) == ["INSERT", "SELECT"]


def test_on_postgresql_a_connection_without_server_side_statements_gets_none(
        conn: Any) -> None:
    """prepare_threshold=None (e.g. behind a pooler that keeps no prepared statement between
    transactions) is respected: the statement still runs, prepared nowhere."""
    if conn.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    driver = conn.connection.driver_connection
    driver.prepare_threshold = None
    try:
        run(conn, insert(outbox), ROW)
        assert rows(conn, select(outbox.c.target), {}) == [("5001",)]
        prepared = conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements")
        assert prepared.scalar_one() == 0
    finally:
        driver.prepare_threshold = 5


def test_postgresql_an_id_is_bound_as_its_column_s_type_whatever_its_size(conn: Any) -> None:
    """psycopg typed a Python int by its value (0 smallint, 40 000 integer, 3e9 bigint) and
    prepares a statement once per set of parameter types: chats with Telegram ids below and
    above 2**31, a message id past 32 767 or the start's warm-up read with 0 each prepared
    (and planned) the step's statements anew on the same connection. Now one, as bigint."""
    if conn.dialect.name != "postgresql":
        pytest.skip("SQLite prepares nothing on a server")
    stmt = select(telegram_chats.c.chat_id).where(telegram_chats.c.chat_id == bindparam("chat"))
    for chat in (0, 6101, 40_000, 8_000_000, 3_000_000_000, 6101):
        assert rows(conn, stmt, {"chat": chat}) == []
    kept = conn.exec_driver_sql("SELECT parameter_types::text FROM pg_prepared_statements "
                                "WHERE strpos(statement, 'telegram_chats') > 0").scalars().all()
    assert kept == ["{bigint}"]
