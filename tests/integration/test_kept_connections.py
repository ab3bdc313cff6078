"""Connections kept between units of work (storage.sql.kept): the next unit of work takes the
one the last left, only as fit for use as one fresh from the pool."""

from __future__ import annotations

import threading
from typing import Any

from core.models import Company
from storage.engine import checkpoint_in_background
from storage.sql import SqlStore


def _connection(store: Any) -> Any:
    """The unit of work's SQLAlchemy Connection (a new one each time it leaves the pool)."""
    with store() as uow:
        return uow.connection


def test_a_unit_of_work_takes_the_connection_the_last_one_left(sql_store: SqlStore) -> None:
    first = _connection(sql_store)
    assert _connection(sql_store) is first
    seen: list[Any] = []
    worker = threading.Thread(target=lambda: seen.append(_connection(sql_store)))
    worker.start()
    worker.join()
    assert seen == [first]  # any thread's
    with sql_store() as one, sql_store() as two:  # two at once: two connections
        assert one.connection is not two.connection
    sql_store.dispose()
    assert _connection(sql_store) is not first


def test_a_connection_left_in_a_transaction_is_not_kept(sql_store: SqlStore) -> None:
    """Statements run on the driver's connection behind SQLAlchemy's back leave it in a
    transaction SQLAlchemy's rollback does not see: the pool's reset ends it, as before."""
    with sql_store() as uow:
        raw = uow.connection.connection.dbapi_connection
        if sql_store.engine.dialect.name == "sqlite":
            raw.execute("BEGIN IMMEDIATE")
        else:
            raw.execute("SELECT 1")
        assert _in_transaction(sql_store, raw)
    with sql_store() as uow:
        assert not _in_transaction(sql_store, uow.connection.connection.dbapi_connection)
        uow.companies.add(Company(name="Depois"))
        uow.commit()
    with sql_store() as uow:
        assert [c.name for c in uow.companies.list()] == ["Depois"]


def _in_transaction(store: SqlStore, raw: Any) -> bool:
    if store.engine.dialect.name == "sqlite":
        return bool(raw.in_transaction)
    return bool(raw.info.transaction_status != 0)


def test_an_engine_disposed_gives_new_connections_with_its_settings(new_db_url: Any) -> None:
    """checkpoint_in_background disposes the engine so that every connection has the new
    setting: none kept from before is taken again."""
    store = SqlStore(new_db_url("sqlite"))
    try:
        before = _connection(store)
        checkpoint_in_background(store.engine)
        with store() as uow:
            assert uow.connection is not before
            assert uow.connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    finally:
        store.dispose()


def test_a_connection_goes_back_to_the_pool_after_its_time(sql_store: SqlStore) -> None:
    now = [0.0]
    sql_store.kept.clock = lambda: now[0]
    first = _connection(sql_store)
    now[0] = sql_store.kept.seconds - 1
    assert _connection(sql_store) is first
    now[0] = sql_store.kept.seconds + 1
    again = _connection(sql_store)  # back to the pool, then out of it: a new Connection
    assert again is not first
    assert _connection(sql_store) is again  # kept from then on
