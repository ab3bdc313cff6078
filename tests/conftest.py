"""Fixtures for every test directory: fresh migrated databases and unit-of-work factories.

- `db_url`: a migrated, empty database URL, once per kind in HELPDESK_TEST_DB:
  "sqlite" (a file in tmp_path) and "postgres" (a copy of the migrated template, emptied for
  the next test afterwards or dropped: fakes/postgres_pool.py).
- `store`: a unit-of-work factory: MemoryStore, then SqlStore on each database kind.
- `sql_store`: the same without the memory store.
- `desk`: a Desk (4 workers) over a SqlStore on `db_url`, the same database.
- `empty_db_url`: like db_url, but not migrated; `new_db_url(kind, migrated=True)` makes more.

HELPDESK_TEST_DB=sqlite|postgres|all (default all) picks the database kinds.
TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test) is the server's
maintenance database; an unreachable server fails the PostgreSQL tests, it never skips them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from fakes.databases import db_kinds
from fakes.postgres_pool import PostgresDatabases, postgres_url


def _param(kind: str) -> Any:
    marks = [pytest.mark.postgres] if kind == "postgres" else []
    return pytest.param(kind, id=kind, marks=marks)


PYC_PREFIX = "_helpdesk_pyc_prefix"


def pytest_configure(config: pytest.Config) -> None:
    """The subprocesses the tests start (`helpdesk` commands, `helpdesk run`, chat processes,
    bench) and the xdist workers share one bytecode cache outside the tree, for this run.
    With PYTHONDONTWRITEBYTECODE=1 (as .ci/run sets it) each of them compiled every module of
    ours from source again: ~0.25 s of CPU of a `helpdesk user list`'s ~1.4 s."""
    if hasattr(config, "workerinput") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return  # an xdist worker inherits the controller's; a prefix given is kept
    prefix = tempfile.mkdtemp(prefix="helpdesk-pyc-")
    setattr(config, PYC_PREFIX, (prefix, os.environ.pop("PYTHONDONTWRITEBYTECODE", None)))
    os.environ["PYTHONPYCACHEPREFIX"] = prefix


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove this run's bytecode cache."""
    kept = getattr(config, PYC_PREFIX, None)
    if kept is not None:
        prefix, dont_write = kept
        os.environ.pop("PYTHONPYCACHEPREFIX", None)
        if dont_write is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = dont_write
        shutil.rmtree(prefix, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end tests first: their minutes (processes, paced bursts) overlap the rest of the
    run on the other workers instead of ending it on one (pyproject: --dist worksteal)."""
    items.sort(key=lambda item: "e2e" not in item.path.parts)


class SqliteDatabases:
    """Copies a once-migrated SQLite file for each test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template: Path | None = None

    def create(self, path: Path, migrated: bool = True) -> str:
        """A database file at path, as a URL: migrated (a copy of the template) or empty."""
        if not migrated:
            return f"sqlite:///{path}"
        if self.template is None:
            from storage.migrate import upgrade

            self.template = self.directory / "template.db"
            upgrade(f"sqlite:///{self.template}")
        with closing(sqlite3.connect(self.template)) as src, closing(sqlite3.connect(path)) as dst:
            src.backup(dst)
        return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def _pg_databases() -> Iterator[PostgresDatabases]:
    dbs = PostgresDatabases()
    yield dbs
    dbs.close()


@pytest.fixture(scope="session")
def _sqlite_databases(tmp_path_factory: pytest.TempPathFactory) -> SqliteDatabases:
    return SqliteDatabases(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture
def new_db_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., str]]:
    """Make fresh databases: new_db_url("sqlite"|"postgres", migrated=True) -> URL."""
    created: list[tuple[PostgresDatabases, str, bool]] = []

    def make(kind: str, migrated: bool = True) -> str:
        if kind == "sqlite":
            dbs = request.getfixturevalue("_sqlite_databases")
            path = tmp_path / f"helpdesk-{uuid.uuid4().hex[:8]}.db"
            return dbs.create(path, migrated)
        pg = request.getfixturevalue("_pg_databases")
        name = pg.create(migrated)
        created.append((pg, name, migrated))
        return postgres_url(name)

    yield make
    for pg, name, migrated in created:
        pg.release(name, migrated)


@pytest.fixture(params=[_param(k) for k in db_kinds()])
def db_url(request: pytest.FixtureRequest, new_db_url: Callable[[str], str]) -> str:
    """A fresh, migrated, empty database: a SQLite file or a new PostgreSQL database."""
    return new_db_url(request.param)


@pytest.fixture(params=[_param(k) for k in db_kinds()])
def empty_db_url(request: pytest.FixtureRequest, new_db_url: Callable[..., str]) -> str:
    """A database of each kind with no tables at all (not migrated)."""
    return new_db_url(request.param, migrated=False)


@pytest.fixture(params=[_param(k) for k in db_kinds()])
def sql_store(request: pytest.FixtureRequest, new_db_url: Callable[[str], str]) -> Iterator[Any]:
    """A SqlStore on a fresh database of each kind."""
    from storage.sql import SqlStore

    store = SqlStore(new_db_url(request.param))
    yield store
    store.dispose()


@pytest.fixture(params=[pytest.param("memory", id="memory"), *(_param(k) for k in db_kinds())])
def store(request: pytest.FixtureRequest, new_db_url: Callable[[str], str]) -> Iterator[Any]:
    """A unit-of-work factory: in memory, then on a fresh database of each kind."""
    if request.param == "memory":
        from storage.memory import MemoryStore

        yield MemoryStore()
        return
    from storage.sql import SqlStore

    sql = SqlStore(new_db_url(request.param))
    yield sql
    sql.dispose()


@pytest.fixture
def desk(db_url: str) -> Iterator[Any]:
    """A Desk (4 workers) over a SqlStore on `db_url`; closed afterwards."""
    from bots.runtime import Desk
    from storage.sql import SqlStore

    sql = SqlStore(db_url)
    d = Desk(sql, workers=4)
    yield d
    d.close()
    sql.dispose()
