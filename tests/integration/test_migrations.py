"""The Alembic migrations build, on an empty database, exactly the schema of storage.tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.pool import NullPool

from storage.engine import make_engine
from storage.migrate import alembic_config, downgrade, include_object, target_metadata, upgrade


def _heads(url: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def _schema_diff(url: str) -> list[object]:
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                "include_object": include_object, "compare_type": True,
                "target_metadata": target_metadata(),
            })
            current = set(ctx.get_current_heads())
            diff = compare_metadata(ctx, target_metadata())
        return [current, diff]
    finally:
        engine.dispose()


def test_upgrade_head_on_an_empty_database_matches_the_tables(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    current, diff = _schema_diff(empty_db_url)
    assert current == _heads(empty_db_url)
    assert diff == []
    engine = make_engine(empty_db_url, poolclass=NullPool)
    try:
        names = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(target_metadata().tables) <= names
    if empty_db_url.startswith("sqlite"):
        assert "tickets_fts" in names


def test_downgrade_to_base_and_upgrade_again(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    downgrade(empty_db_url, "base")
    engine = make_engine(empty_db_url, poolclass=NullPool)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade(empty_db_url)
    assert _schema_diff(empty_db_url)[1] == []
