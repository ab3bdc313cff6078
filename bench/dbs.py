"""A fresh, migrated database per run: a SQLite file or a new PostgreSQL database."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from types import TracebackType

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
KINDS = ("sqlite", "postgres")
_MIGRATING = threading.Lock()
"""Alembic keeps the running migration in module globals: one at a time in this process."""


def admin_url() -> str:
    """The PostgreSQL maintenance database (BENCH_POSTGRES_URL, else TEST_POSTGRES_URL)."""
    from sqlalchemy.engine import make_url

    raw = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL") or DEFAULT_PG
    url = make_url(raw).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(admin_url(), autocommit=True, connect_timeout=5)


class FreshDatabase:
    """`with FreshDatabase("sqlite"|"postgres") as url:` a migrated empty database, dropped after.

    PostgreSQL databases are created and dropped like tests/conftest.py does (CREATE DATABASE,
    DROP ... WITH (FORCE)); SQLite files live in a temporary directory removed afterwards.
    """

    def __init__(self, kind: str, migrated: bool = True) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown database kind {kind!r}")
        self.kind = kind
        self.migrated = migrated
        self.url = ""
        self._dir: Path | None = None
        self._name: str | None = None

    def __enter__(self) -> str:
        if self.kind == "sqlite":
            self._dir = Path(tempfile.mkdtemp(prefix="helpdesk-bench-"))
            self.url = f"sqlite:///{self._dir / 'bench.db'}"
        else:
            from sqlalchemy.engine import make_url

            self._name = f"helpdesk_bench_{uuid.uuid4().hex[:12]}"
            with closing(_admin()) as conn:
                conn.execute(f'CREATE DATABASE "{self._name}"')
            self.url = make_url(admin_url()).set(database=self._name).render_as_string(
                hide_password=False)
        try:
            if self.migrated:
                from storage.migrate import upgrade

                with _MIGRATING:
                    upgrade(self.url)
        except BaseException:
            self.drop()
            raise
        return self.url

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.drop()

    def drop(self) -> None:
        """Remove the database (idempotent)."""
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        if self._name is not None:
            with closing(_admin()) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)')
            self._name = None

    @property
    def path(self) -> Path | None:
        """The SQLite file, when the database is one."""
        return self._dir / "bench.db" if self._dir else None


def backends(url: str) -> Callable[[], list[int]] | None:
    """On PostgreSQL, a finder of the server processes serving `url`'s database right now
    (every connection to it but the finder's own), where they are processes of this machine;
    None on SQLite."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() != "postgresql":
        return None
    plain = u.set(drivername="postgresql").render_as_string(hide_password=False)

    def found() -> list[int]:
        import psycopg

        with closing(psycopg.connect(plain, autocommit=True, connect_timeout=5)) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = "
                                "current_database() AND pid <> pg_backend_pid()").fetchall()
        return [pid for (pid,) in rows if _is_postgres(pid)]

    return found


def _is_postgres(pid: int) -> bool:
    """Whether this machine's process `pid` is a PostgreSQL server's (not the server's pid
    space of another machine met by chance)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
    except OSError:
        return False
