"""PostgreSQL results described only when looked into (storage.pg_cursor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from sqlalchemy import column, select, table, text

from storage.engine import make_engine

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(new_db_url: Callable[..., str]) -> Any:
    made = make_engine(new_db_url("postgres"))
    yield made
    made.dispose()


def test_a_description_looked_into_is_psycopgs(engine: Any) -> None:
    with engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute("SELECT 1 AS one, 'x'::text AS name")
        lazy = cursor.description
        assert len(lazy) == 2
        assert [(c.name, c.type_code) for c in lazy] == [
            (c.name, c.type_code) for c in psycopg.Cursor.description.fget(cursor)]
        cursor.execute("UPDATE pg_class SET relname = relname WHERE false")
        assert cursor.description is None


def test_a_description_of_a_result_gone_is_refused(engine: Any) -> None:
    with engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute("SELECT 1 AS one")
        first = cursor.description
        cursor.execute("SELECT 2 AS two")
        with pytest.raises(RuntimeError, match="another result"):
            first[0]


def test_results_read_by_name_the_first_time_and_after(engine: Any) -> None:
    """SQLAlchemy describes a statement's result from the cursor the first time only."""
    values = select(column("a"), column("b")).select_from(
        text("(VALUES (1, 'um'), (2, 'dois')) AS t(a, b)"))
    never_seen = table("pg_namespace", column("nspname"))
    with engine.connect() as conn:
        for _ in range(3):
            rows = conn.execute(values.order_by(column("a"))).all()
            assert [(r.a, r.b) for r in rows] == [(1, "um"), (2, "dois")]
        names = conn.execute(select(never_seen.c.nspname)).scalars().all()
        assert "public" in names
        assert conn.exec_driver_sql("SELECT 7 AS sete").mappings().one() == {"sete": 7}
