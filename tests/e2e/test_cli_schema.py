"""A `helpdesk` command on a SQLite file migrates it first, unless it is already at the newest
migration: then Alembic is neither imported nor run (it was half of a `helpdesk user list`).
A database behind must still be upgraded, one ahead of the code still refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from fakes.process import clean_env, helpdesk, said
from test_cli import Cli

from storage.migrate import alembic_config, downgrade
from storage.schema_head import head


def recorded(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]


def schema(db: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def sqlite_file(new_db_url: Callable[[str], str]) -> Path:
    return Path(new_db_url("sqlite").removeprefix("sqlite:///"))


def test_the_newest_revision_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert [head()] == heads


def test_a_database_one_migration_behind_is_upgraded_by_any_command(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    db, current = sqlite_file(new_db_url), sqlite_file(new_db_url)
    downgrade(f"sqlite:///{db}", "-1")
    assert recorded(db) != [head()]
    assert schema(db) != schema(current)
    listed = Cli(tmp_path, db)("user", "list")
    assert "helpdesk user add" in listed.stdout
    assert recorded(db) == [head()]
    assert schema(db) == schema(current)


def test_a_file_never_migrated_is_migrated_by_any_command(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    sqlite3.connect(db).close()
    Cli(tmp_path, db)("user", "list")
    assert recorded(db) == [head()]


def test_a_database_newer_than_the_code_is_still_refused(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    db = sqlite_file(new_db_url)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_a_newer_helpdesk'")
    for command in (("user", "list"), ("db", "upgrade")):
        result = Cli(tmp_path, db)(*command, ok=False)
        assert result.returncode == 1
        # it was Alembic's traceback, "Can't locate revision identified by ..."
        assert "Traceback" not in result.stderr, result.stderr
        assert said("cli.db_newer", result.stderr, detail="9999_from_a_newer_helpdesk"), \
            result.stderr
    assert recorded(db) == ["9999_from_a_newer_helpdesk"]


def test_a_current_database_is_used_without_alembic(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    db = sqlite_file(new_db_url)
    listed = Cli(tmp_path, db)("user", "list", PYTHONPROFILEIMPORTTIME="1")
    assert "helpdesk user add" in listed.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in listed.stderr.splitlines()]
    assert "bots.clikit" in imported
    assert not [m for m in imported if m.split(".")[0] == "alembic"]


@pytest.mark.postgres
def test_on_postgresql_a_database_behind_asks_for_db_upgrade_and_a_current_one_serves(
        new_db_url: Callable[..., str], tmp_path: Path) -> None:
    current, behind, empty = (new_db_url("postgres"), new_db_url("postgres"),
                              new_db_url("postgres", migrated=False))
    downgrade(behind, "-1")
    listed = helpdesk(clean_env(current), "user", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    for url in (behind, empty):
        refused = helpdesk(clean_env(url), "user", "list", cwd=tmp_path)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert said("cli.schema_outdated", refused.stderr) is not None, refused.stderr


@pytest.mark.postgres
def test_on_postgresql_a_database_newer_than_the_code_says_so_not_to_upgrade(
        new_db_url: Callable[..., str], tmp_path: Path) -> None:
    """It said to run `helpdesk db upgrade`, which then failed with Alembic's traceback."""
    from sqlalchemy import create_engine, text

    url = new_db_url("postgres")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_newer'"))
    engine.dispose()
    for command in (("user", "list"), ("db", "upgrade")):
        refused = helpdesk(clean_env(url), *command, cwd=tmp_path)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "Traceback" not in refused.stderr, refused.stderr
        assert said("cli.db_newer", refused.stderr, detail="9999_newer"), refused.stderr
