"""The Desk: one committed transaction per use case, retries on transient errors only."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.bootstrap import bootstrap, db_workers
from bots.runtime import Desk, is_transient
from bots.settings import Settings
from core.errors import Conflict, NotFound
from core.models import Company, Priority
from core.policy import Policy
from core.services.context import Ctx
from core.services.users import add_company
from storage.memory import MemoryStore

T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def _names(ctx: Ctx) -> list[str]:
    return [c.name for c in ctx.uow.companies.list()]


@pytest.fixture
def desk() -> Desk:
    return Desk(MemoryStore(), Policy(), clock=lambda: T0, sleep=lambda _s: None)


def test_call_commits_and_passes_clock_and_policy(desk: Desk) -> None:
    """The use case sees the desk's clock and policy; its work is committed."""
    seen: list[Ctx] = []

    def spy(ctx: Ctx, name: str) -> Company:
        seen.append(ctx)
        return add_company(ctx, name)

    company = desk.call(spy, "Mercado Exemplo")
    assert company.id is not None
    assert seen[0].now == T0
    assert seen[0].policy is desk.policy
    assert desk.call(_names) == ["Mercado Exemplo"]


def test_helpdesk_error_rolls_back_and_is_not_retried(desk: Desk) -> None:
    """A rule refusing the action leaves nothing behind and runs once."""
    calls = []

    def refuse(ctx: Ctx) -> None:
        calls.append(1)
        add_company(ctx, "Meio Caminho")
        raise Conflict("error.conflict")

    with pytest.raises(Conflict):
        desk.call(refuse)
    assert calls == [1]
    assert desk.call(_names) == []


def test_transient_database_error_is_retried(desk: Desk) -> None:
    """'database is locked' is tried again, and the retry's work is kept once."""
    calls = []

    def flaky(ctx: Ctx) -> Company:
        calls.append(1)
        company = add_company(ctx, f"Tentativa {len(calls)}")
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return company

    assert desk.call(flaky).name == "Tentativa 3"
    assert desk.call(_names) == ["Tentativa 3"]


def test_retries_give_up_after_the_last_attempt() -> None:
    """A lock that never clears surfaces as the original error."""
    desk = Desk(MemoryStore(), attempts=3, clock=lambda: T0, sleep=lambda _s: None)
    calls = []

    def locked(ctx: Ctx) -> None:
        calls.append(1)
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError):
        desk.call(locked)
    assert len(calls) == 3


def test_other_errors_are_not_retried(desk: Desk) -> None:
    """A bug is raised at once."""
    calls = []

    def bug(ctx: Ctx) -> None:
        calls.append(1)
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        desk.call(bug)
    assert calls == [1]


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("pg")
        self.sqlstate = sqlstate


class _Wrapped(Exception):
    def __init__(self, orig: BaseException) -> None:
        super().__init__("wrapped")
        self.orig = orig


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (_Wrapped(_PgError("40001")), True),
        (_Wrapped(_PgError("40P01")), True),
        (RuntimeError("ERROR: deadlock detected"), True),
        (_Wrapped(_PgError("23505")), False),
        (NotFound("error.not_found"), False),
        (ValueError("x"), False),
    ],
)
def test_is_transient(exc: BaseException, expected: bool) -> None:
    """Lock, serialization and deadlock errors are transient; the rest are not."""
    assert is_transient(exc) is expected


def test_acall_runs_in_the_worker_pool_without_blocking_the_loop(desk: Desk) -> None:
    """The event loop keeps running while the database call waits."""
    release = threading.Event()
    threads: list[str] = []

    def slow(ctx: Ctx) -> str:
        threads.append(threading.current_thread().name)
        assert release.wait(5)
        return "ok"

    async def scenario() -> str:
        task = asyncio.ensure_future(desk.acall(slow))
        for _ in range(100):
            await asyncio.sleep(0.01)
            if threads:
                break
        assert not task.done()
        release.set()
        return await task

    try:
        assert asyncio.run(scenario()) == "ok"
    finally:
        desk.close()
    assert threads[0].startswith("desk")
    assert threads[0] != threading.main_thread().name


def test_at_stops_the_clock(desk: Desk) -> None:
    """desk.at(moment) runs use cases as of that moment, on the same store."""
    later = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert desk.at(later).call(lambda ctx: ctx.now) == later
    desk.at(later).call(add_company, "Depois")
    assert desk.call(_names) == ["Depois"]


def test_naive_clock_is_refused() -> None:
    """A clock without timezone is a programming error caught before any use case."""
    desk = Desk(MemoryStore(), clock=lambda: datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone"):
        desk.call(_names)


def test_bootstrap_wires_settings_policy_and_store(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """bootstrap() builds the policy from settings and a desk over the given store."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRAZO_PADRAO_DAYS", "7")
    monkeypatch.setenv("DB_WORKERS", "3")
    store = MemoryStore()
    container = bootstrap(Settings(), store=store, clock=lambda: T0)
    try:
        assert container.store is store
        assert container.desk.workers == 3
        assert container.policy.prazo_days[Priority.STANDARD] == 7
        assert container.desk.call(lambda ctx: ctx.now) == T0
    finally:
        container.close()


def test_database_threads_default_to_what_each_database_measured_best_with(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: 2 (one writer at a time); PostgreSQL: 4; DB_WORKERS wins over both."""
    monkeypatch.delenv("DB_WORKERS", raising=False)
    sqlite = Settings(_env_file=None, database_url="sqlite:///helpdesk.db")  # type: ignore[call-arg]
    postgres = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_url="postgresql+psycopg://helpdesk@db/helpdesk")
    chosen = Settings(_env_file=None, database_url="postgresql+psycopg://helpdesk@db/helpdesk",
                      db_workers=12)  # type: ignore[call-arg]
    assert (db_workers(sqlite), db_workers(postgres), db_workers(chosen)) == (2, 4, 12)
