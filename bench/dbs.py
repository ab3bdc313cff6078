"""A fresh, migrated database per run: a SQLite file or a new PostgreSQL database."""

from __future__ import annotations

import atexit
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
_TEMPLATES: dict[str, str] = {}
"""Per kind, the run's migrated empty database that each FreshDatabase copies (a SQLite file,
a PostgreSQL database's name); removed when the process ends."""


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
    DROP ... WITH (FORCE)); SQLite files live in a temporary directory removed afterwards. A
    migrated one is a copy of the run's template of its kind (`_template`).
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
        template = _template(self.kind) if self.migrated else None
        if self.kind == "sqlite":
            self._dir = Path(tempfile.mkdtemp(prefix="helpdesk-bench-"))
            self.url = f"sqlite:///{self._dir / 'bench.db'}"
            if template is not None:
                try:
                    _copy_sqlite(template, self._dir / "bench.db")
                except BaseException:
                    self.drop()
                    raise
        else:
            self._name = f"helpdesk_bench_{uuid.uuid4().hex[:12]}"
            copy = f' TEMPLATE "{template}"' if template is not None else ""
            with closing(_admin()) as conn:
                conn.execute(f'CREATE DATABASE "{self._name}"{copy}')
            self.url = _pg_url(self._name)
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
            _drop_database(self._name)
            self._name = None

    @property
    def path(self) -> Path | None:
        """The SQLite file, when the database is one."""
        return self._dir / "bench.db" if self._dir else None


def _pg_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(admin_url()).set(database=name).render_as_string(hide_password=False)


def _copy_sqlite(source: str, target: Path) -> None:
    import sqlite3

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _template(kind: str) -> str:
    """The run's migrated empty database of this kind, made at its first use: every part's
    database is a copy (migrating each one took 1.5 s on PostgreSQL on a busy machine, and a
    run makes seven per kind)."""
    from storage.migrate import upgrade

    with _MIGRATING:
        if kind not in _TEMPLATES:
            if kind == "sqlite":
                folder = tempfile.mkdtemp(prefix="helpdesk-bench-template-")
                atexit.register(shutil.rmtree, folder, ignore_errors=True)
                made, url = str(Path(folder) / "template.db"), f"sqlite:///{folder}/template.db"
            else:
                made = f"helpdesk_bench_template_{uuid.uuid4().hex[:12]}"
                with closing(_admin()) as conn:
                    conn.execute(f'CREATE DATABASE "{made}"')
                atexit.register(_drop_database, made)
                url = _pg_url(made)
            upgrade(url)
            _TEMPLATES[kind] = made
        return _TEMPLATES[kind]


def _drop_database(name: str) -> None:
    with closing(_admin()) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
