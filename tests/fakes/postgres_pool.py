"""The PostgreSQL test databases: copies of one migrated template, emptied between tests.

A CREATE DATABASE from the template and a DROP DATABASE take a second or more each on a busy
machine (the DROP waits for a checkpoint); emptying a database takes a tenth of that. A
database goes back to the pool only when, emptied, its catalog is the template's again (tables,
columns, indexes, functions, sequences at their start, no planner statistics, no settings) and
its seeded rows are unchanged; anything else (a downgrade, a new table, a left prepared
transaction) and it is dropped, so every test still starts on a database as fresh as a new copy.
The emptying (or the drop) runs on a thread of the worker after the test hands the database
back: the next test takes another one emptied already, so a worker soon keeps two.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import closing

import psycopg
import pytest
from sqlalchemy.engine import make_url

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"

_USER_NAMESPACES = """
    SELECT oid FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'"""

SHAPE = f"""
WITH ns AS ({_USER_NAMESPACES}),
rel AS (SELECT c.* FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM ns))
SELECT string_agg(line, E'\\n' ORDER BY line) FROM (
    SELECT format('namespace %s %s', nspname, nspacl) AS line FROM pg_namespace
    WHERE oid IN (SELECT oid FROM ns)
    UNION ALL
    SELECT format('relation %s %s %s %s %s %s %s pages=%s tuples=%s visible=%s',
                  oid::regclass, relkind, relowner::regrole, relacl, reloptions,
                  relpersistence, relrowsecurity, relpages, reltuples, relallvisible) FROM rel
    UNION ALL
    SELECT format('column %s %s %s %s %s %s %s %s', a.attrelid::regclass, a.attname,
                  format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                  a.attgenerated, a.attcollation, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index
    WHERE indrelid IN (SELECT oid FROM rel)
    UNION ALL
    SELECT format('trigger %s %s', pg_get_triggerdef(oid), tgenabled) FROM pg_trigger
    WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM rel)
    UNION ALL
    SELECT format('rule %s %s', ev_class::regclass, pg_get_ruledef(oid)) FROM pg_rewrite
    WHERE ev_class IN (SELECT oid FROM rel)
    UNION ALL
    SELECT format('policy %s %s %s', polrelid::regclass, polname, pg_get_expr(polqual, polrelid))
    FROM pg_policy
    UNION ALL
    SELECT format('function %s %s %s', oid::regprocedure, proowner::regrole, md5(prosrc))
    FROM pg_proc WHERE pronamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT format('type %s %s', oid::regtype, typtype) FROM pg_type
    WHERE typnamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT format('operator %s', oid::regoperator) FROM pg_operator
    WHERE oprnamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT format('collation %s', collname) FROM pg_collation
    WHERE collnamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT format('text search %s %s', cfgname,
                  (SELECT string_agg(format('%s:%s', maptokentype, mapdict::regdictionary), ','
                                     ORDER BY maptokentype, mapseqno)
                   FROM pg_ts_config_map m WHERE m.mapcfg = c.oid))
    FROM pg_ts_config c WHERE cfgnamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT format('dictionary %s %s', dictname, dictinitoption) FROM pg_ts_dict
    WHERE dictnamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT format('extension %s %s', extname, extversion) FROM pg_extension
    UNION ALL
    SELECT format('cast %s %s', castsource::regtype, casttarget::regtype) FROM pg_cast
    WHERE oid >= 16384
    UNION ALL
    SELECT format('event trigger %s %s', evtname, evtenabled) FROM pg_event_trigger
    UNION ALL
    SELECT format('sequence %s.%s %s %s %s %s %s %s', schemaname, sequencename, start_value,
                  increment_by, min_value, max_value, cycle, last_value) FROM pg_sequences
    UNION ALL
    SELECT format('statistics %s %s', starelid::regclass, staattnum) FROM pg_statistic
    WHERE starelid IN (SELECT oid FROM rel)
    UNION ALL
    SELECT format('extended statistics %s', stxname) FROM pg_statistic_ext
    UNION ALL
    SELECT format('default acl %s', defaclacl) FROM pg_default_acl
    UNION ALL
    SELECT format('large object %s', oid) FROM pg_largeobject_metadata
    UNION ALL
    SELECT format('publication %s', pubname) FROM pg_publication
    UNION ALL
    SELECT format('database %s %s %s', datconnlimit, datallowconn, datacl) FROM pg_database
    WHERE datname = current_database()
    UNION ALL
    SELECT format('database setting %s', setconfig) FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
    UNION ALL
    SELECT format('prepared transaction %s', gid) FROM pg_prepared_xacts
    WHERE database = current_database()
) AS shape
"""
"""Everything of a database a test could change but its rows, as one text."""

WRITTEN = f"""
SELECT c.oid::regclass::text FROM pg_class c
WHERE c.relnamespace IN ({_USER_NAMESPACES}) AND c.relkind IN ('r', 'p')
  AND (pg_relation_size(c.oid) > 0 OR c.relpages <> 0 OR c.reltuples <> -1
       OR EXISTS (SELECT 1 FROM pg_statistic s WHERE s.starelid = c.oid))
"""
"""The tables ever written (or analysed) since the database was made."""

STATISTICS = f"""
DELETE FROM pg_statistic WHERE starelid IN (
    SELECT oid FROM pg_class WHERE relnamespace IN ({_USER_NAMESPACES}))
"""

SIZES = f"""
SELECT oid::regclass::text, relpages, reltuples, relallvisible FROM pg_class
WHERE relnamespace IN ({_USER_NAMESPACES})
"""
"""The planner's idea of each relation's size (TRUNCATE leaves its indexes' other than
CREATE INDEX did)."""

RESIZE = """
UPDATE pg_class c SET relpages = v.pages, reltuples = v.tuples, relallvisible = v.visible
FROM unnest(%s::text[], %s::int[], %s::real[], %s::int[]) AS v(name, pages, tuples, visible)
WHERE c.oid = v.name::regclass
  AND (c.relpages, c.reltuples, c.relallvisible) IS DISTINCT FROM (v.pages, v.tuples, v.visible)
"""


def admin_url() -> str:
    """The PostgreSQL maintenance database's URL, as libpq takes it."""
    url = make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_url(database: str) -> str:
    """The URL of another database on the test server."""
    url = make_url(admin_url()).set(database=database)
    return url.render_as_string(hide_password=False)


def admin() -> psycopg.Connection:
    """A connection to the maintenance database; an unreachable server fails the test."""
    try:
        return psycopg.connect(admin_url(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is unreachable at {make_url(admin_url())!r}: {exc}\n"
            "Start it, point TEST_POSTGRES_URL at one, or run with HELPDESK_TEST_DB=sqlite.",
            pytrace=False,
        )


def _connect(database: str) -> psycopg.Connection:
    return psycopg.connect(postgres_url(database), autocommit=True, connect_timeout=5)


def _shape(conn: psycopg.Connection) -> str:
    row = conn.execute(SHAPE).fetchone()
    return str(row[0]) if row else ""


def _written_tables(conn: psycopg.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute(WRITTEN).fetchall()]


def _contents(conn: psycopg.Connection, tables: list[str]) -> dict[str, str]:
    return {t: str(conn.execute(  # the names come from the catalog, already quoted
        f"SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM {t} r"
    ).fetchone()) for t in tables}


def _disconnect_others(conn: psycopg.Connection, within: float = 10.0) -> None:
    """End the sessions a test left open (their locks and transactions with them)."""
    others = ("SELECT pid FROM pg_stat_activity "
              "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    conn.execute(f"SELECT pg_terminate_backend(pid) FROM ({others}) AS o")
    deadline = time.monotonic() + within
    while conn.execute(others).fetchone() is not None:
        if time.monotonic() > deadline:
            raise TimeoutError("a session of the test database does not end")
        time.sleep(0.01)


SPARE = 2
"""Databases a worker makes before it waits for one being emptied instead of making another:
one for the test, one emptied meanwhile."""


class PostgresDatabases:
    """Hands out migrated databases (copies of the template, reused once emptied) and empty
    ones; release() empties a migrated one for the next test, or drops it, in the background."""

    def __init__(self) -> None:
        self.template: str | None = None
        self.shape = ""
        self.seeded: dict[str, str] = {}
        self.sizes: list[list[object]] = []
        self.free: list[str] = []
        self.made = 0
        self._lock = threading.Lock()
        self._emptying: list[Future[None]] = []
        self._back = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-emptying")

    def _template(self) -> str:
        if self.template is None:
            from storage.migrate import upgrade

            name = f"helpdesk_t_tpl_{uuid.uuid4().hex[:12]}"
            with closing(admin()) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                upgrade(postgres_url(name))
                with closing(_connect(name)) as conn:
                    self.shape = _shape(conn)
                    self.seeded = _contents(conn, _written_tables(conn))
                    self.sizes = [list(c) for c in zip(*conn.execute(SIZES).fetchall(),
                                                       strict=True)]
            except BaseException:
                self.drop(name)
                raise
            self.template = name
        return self.template

    def create(self, migrated: bool = True) -> str:
        """A database's name: migrated (an emptied one, or a new copy of the template) or a
        new empty one."""
        if migrated:
            reused = self._reusable()
            if reused is not None:
                return reused
            with self._lock:
                self.made += 1
        name = f"helpdesk_t_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{self._template()}"' if migrated else ""
        with closing(admin()) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{template}')
        return name

    def _reusable(self) -> str | None:
        """An emptied database: one ready, else (SPARE made already) the next one emptied."""
        while True:
            with self._lock:
                finished = [f for f in self._emptying if f.done()]
                self._emptying = [f for f in self._emptying if not f.done()]
            for future in finished:
                future.result()  # a failure of the emptying is this test's error, not lost
            with self._lock:
                pending = [f for f in self._emptying if not f.done()]
                reused = self.free.pop() if self.free else None
                enough = self.made >= SPARE
            if reused is not None or not pending or not enough:
                return reused
            wait(pending, return_when=FIRST_COMPLETED)

    def release(self, name: str, migrated: bool) -> None:
        """After a test: empty a migrated database for the next one, or drop it, meanwhile."""
        future = self._back.submit(self._recycle, name, migrated)
        with self._lock:
            self._emptying.append(future)

    def _recycle(self, name: str, migrated: bool) -> None:
        if migrated and self._emptied(name):
            with self._lock:
                self.free.append(name)
        else:
            if migrated:
                with self._lock:
                    self.made -= 1
            self.drop(name)

    def _emptied(self, name: str) -> bool:
        """Empty the database; whether it is now as a new copy of the template."""
        try:
            with closing(_connect(name)) as conn:
                _disconnect_others(conn)
                written = [t for t in _written_tables(conn) if t not in self.seeded]
                if written:
                    conn.execute(f"TRUNCATE {', '.join(written)} RESTART IDENTITY CASCADE")
                for (sequence,) in conn.execute(
                        "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences "
                        "WHERE last_value IS NOT NULL").fetchall():
                    conn.execute(f"ALTER SEQUENCE {sequence} RESTART")
                conn.execute(STATISTICS)
                conn.execute(RESIZE, self.sizes)
                conn.execute("SELECT pg_stat_reset()")
                return (_shape(conn) == self.shape
                        and _contents(conn, list(self.seeded)) == self.seeded)
        except (psycopg.Error, TimeoutError):
            return False

    @staticmethod
    def drop(name: str) -> None:
        """Drop a database, closing whatever is still connected to it."""
        with closing(admin()) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        """Drop the databases kept for reuse and the template."""
        self._back.shutdown(wait=True)
        for future in self._emptying:
            future.result()
        for name in self.free:
            self.drop(name)
        self.free.clear()
        if self.template is not None:
            self.drop(self.template)
            self.template = None
