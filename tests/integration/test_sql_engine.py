"""The SQL engine's settings, transactions, locks and index-backed query plans."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event

from core.conversation_state import ConversationKey, ConversationState
from core.errors import Conflict
from core.models import Company, Priority, Status, Tab, Ticket, User
from core.ports import TicketQuery
from storage.engine import make_engine, normalize_url
from storage.sql import SqlStore

T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(("given", "driver"), [
    ("sqlite:////tmp/x.db", "sqlite"),
    ("sqlite+pysqlite:////tmp/x.db", "sqlite"),
    ("postgresql://u@h:5432/db", "postgresql+psycopg"),
    ("postgres://u@h:5432/db", "postgresql+psycopg"),
    ("postgresql+psycopg://u@h:5432/db", "postgresql+psycopg"),
])
def test_the_driver_is_chosen_from_a_plain_url(given: str, driver: str) -> None:
    assert normalize_url(given).drivername == driver


def test_other_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        normalize_url("mysql://u@h/db")


@pytest.fixture
def sqlite_store(new_db_url: Callable[..., str]) -> Any:
    """A SqlStore on a fresh SQLite file."""
    store = SqlStore(new_db_url("sqlite"))
    yield store
    store.dispose()


@pytest.fixture
def pg_store(new_db_url: Callable[..., str]) -> Any:
    """A SqlStore on a fresh PostgreSQL database."""
    store = SqlStore(new_db_url("postgres"))
    yield store
    store.dispose()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(sqlite_store: Any) -> None:
    with sqlite_store() as uow:
        pragma = uow.connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA busy_timeout").scalar() == 30_000
        assert pragma("PRAGMA foreign_keys").scalar() == 1


def test_sqlite_stores_instants_as_sqlalchemys_datetime_text(sqlite_store: Any) -> None:
    """Instants are bound by storage.types' own formatter on SQLite: the text it stores is
    SQLAlchemy's DATETIME text of the UTC instant, so it compares with what is stored."""
    from sqlalchemy.dialects import sqlite

    from core.outbox import Channel, OutboxMessage

    as_sqlalchemy = sqlite.DATETIME().bind_processor(sqlite.dialect())
    assert as_sqlalchemy is not None
    given = [T0, T0, T0.replace(microsecond=120), T0, datetime(5, 1, 1, tzinfo=UTC),
             datetime(2026, 11, 24, 10, 0, 0, 1, tzinfo=timezone(timedelta(hours=-3))),
             datetime(2026, 11, 24, 13, 0)]  # naive means UTC
    with sqlite_store() as uow:
        for at in given:
            uow.outbox.add(OutboxMessage(channel=Channel.EMAIL, target="a@b.c", kind="k",
                                         created_at=at))
        stored = uow.connection.exec_driver_sql("SELECT created_at FROM outbox ORDER BY id")
        utc = [at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC) for at in given]
        assert stored.scalars().all() == [as_sqlalchemy(at.replace(tzinfo=None)) for at in utc]


def test_sqlite_every_transaction_begins_immediate(sqlite_store: Any) -> None:
    path = sqlite_store.engine.url.database
    with sqlite_store() as uow:
        uow.companies.list()  # a read: it still takes the write lock
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            uow.commit()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()


TRY_TURN = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print("busy")
else:
    print("free")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no flock on Windows")
def test_sqlite_processes_queue_for_their_turn_on_the_databases_turn_file(sqlite_store: Any
                                                                           ) -> None:
    """Another process (a chat process, an instance) waits on `<database>-turn`, which wakes it
    when the transaction ends, rather than in SQLite's busy handler, which sleeps."""
    turn_file = f"{sqlite_store.engine.url.database}-turn"

    def other_process_finds() -> str:
        done = subprocess.run([sys.executable, "-c", TRY_TURN, turn_file], check=True,
                              capture_output=True, text=True, timeout=60)
        return done.stdout.strip()

    with sqlite_store() as uow:
        uow.companies.list()
        assert other_process_finds() == "busy"
    assert other_process_finds() == "free"


def test_sqlite_a_thread_holding_one_engines_turn_is_not_stopped_by_anothers_on_that_file(
        sqlite_store: Any) -> None:
    """Two engines on one file (two stores, as tests and tools make them), one thread: the
    inner turn does not wait on the file the outer one holds (that wait would never end)."""
    from storage.engine import turn

    other = make_engine(sqlite_store.engine.url)
    entered = threading.Event()

    def nested() -> None:
        with turn(sqlite_store.engine), turn(other):
            entered.set()

    worker = threading.Thread(target=nested, daemon=True)
    worker.start()
    worker.join(timeout=30)
    other.dispose()
    assert entered.is_set()


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:////tmp/helpdesk.db", True),
    ("sqlite://", False),
    ("sqlite:///:memory:", False),
    ("postgresql://u@h:5432/db", False),
])
def test_only_a_sqlite_file_is_checkpointed_in_the_background(url: str, expected: bool) -> None:
    """An in-memory database has no log, and closing its connections would drop it."""
    from storage.engine import on_disk

    engine = make_engine(url)
    assert on_disk(engine) is expected
    engine.dispose()


def _write_log_pages(store: Any, pages: int) -> None:
    """Commit at least `pages` pages of write-ahead log, 32 KiB (8 pages and more) at a time."""
    for _ in range(pages // 8):
        with store() as uow:
            uow.connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS scratch (b BLOB)")
            uow.connection.exec_driver_sql("INSERT INTO scratch VALUES (randomblob(32768))")
            uow.commit()


def test_sqlite_log_is_checkpointed_by_helpdesk_run_not_inside_a_commit(sqlite_store: Any
                                                                         ) -> None:
    """No chat's commit stops to copy the log into the file; the scheduler does it, so the log
    file stops growing. Without it, every 1 000 pages of log cost one commit 10-20 ms."""
    import asyncio
    import functools
    from pathlib import Path

    from bots.runtime import Desk
    from bots.scheduler import Scheduler
    from storage.engine import checkpoint, checkpoint_in_background

    engine = sqlite_store.engine
    wal = Path(f"{engine.url.database}-wal")
    checkpoint_in_background(engine)
    with sqlite_store() as uow:
        assert uow.connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    _write_log_pages(sqlite_store, 1_200)
    grown = wal.stat().st_size
    assert grown > 1_100 * 4096  # no commit checkpointed by itself
    busy, logged, copied = checkpoint(engine)
    assert (busy, logged) == (0, copied)
    assert copied > 1_000

    async def three_batches() -> list[int]:
        scheduler = Scheduler(Desk(sqlite_store), sweep_every=3600, housekeeping_every=3600,
                              checkpoint=functools.partial(checkpoint, engine),
                              checkpoint_every=0.1)
        await scheduler.start()
        sizes = []
        for _ in range(3):
            await asyncio.to_thread(_write_log_pages, sqlite_store, 600)
            await asyncio.sleep(0.5)
            sizes.append(wal.stat().st_size)
        await scheduler.stop()
        return sizes

    sizes = asyncio.run(three_batches())
    assert sizes[-1] <= grown  # the log starts over after each checkpoint: it does not grow


@pytest.mark.postgres
def test_postgres_lock_is_exclusive_until_the_transaction_ends(pg_store: Any) -> None:
    with pg_store() as first, pg_store() as second:
        assert first.lock("sweeps") is True
        assert second.lock("sweeps") is False
        assert second.lock("other") is True
        first.commit()
        assert second.lock("sweeps") is True


@pytest.mark.postgres
def test_postgres_concurrent_conversation_saves_conflict(pg_store: Any) -> None:
    key = ConversationKey(channel="telegram", chat_id="7", user_key="7")
    with pg_store() as uow:
        uow.conversations.save(ConversationState(key=key, step="tipo", updated_at=T0))
        uow.commit()
    outcome: list[object] = []
    with pg_store() as first, pg_store() as second:
        mine = first.conversations.get(key)
        theirs = second.conversations.get(key)
        mine.step = "item"
        first.conversations.save(mine)

        def save_theirs() -> None:
            theirs.step = "servico"
            try:
                second.conversations.save(theirs)
                outcome.append("saved")
            except Conflict as exc:
                outcome.append(exc.key)

        worker = threading.Thread(target=save_theirs)
        worker.start()
        worker.join(timeout=0.5)
        assert worker.is_alive()  # waits for the first transaction's row lock
        first.commit()
        worker.join(timeout=10)
    assert outcome == ["error.conversation_moved"]
    with pg_store() as uow:
        assert uow.conversations.get(key).step == "item"


@pytest.mark.postgres
def test_postgres_views_are_not_held_up_by_a_change_in_progress(pg_store: Any) -> None:
    """A customer opening a ticket, or its Slack card being drawn, while an agent's change to it
    is still running answers at once: a view takes no row lock (so no WAL flush either)."""
    from bots.runtime import Desk
    from bots.slack.cards import card_data
    from core.services import handling, queries
    from tests.fakes.delivery_world import open_ticket, seed

    desk = Desk(pg_store)
    people = seed(desk)
    ticket = open_ticket(desk, people.carla)
    done: dict[str, object] = {}

    def views() -> None:
        done["detail"] = desk.call(queries.detail, people.carla, ticket.id).ticket.number
        done["card"] = desk.call(card_data, ticket.id).ticket.number

    with pg_store() as change:
        assert change.tickets.get(ticket.id) is not None  # the agent's change holds the row
        viewer = threading.Thread(target=views)
        viewer.start()
        viewer.join(timeout=5)
        held = viewer.is_alive()
        change.rollback()
    viewer.join(timeout=10)
    assert not held
    assert done == {"detail": ticket.number, "card": ticket.number}
    # A change still waits for another change: that lock stays.
    taken = desk.call(handling.take, people.ana, ticket.id)
    assert taken.assignee_id == people.ana
    desk.close()


def _backend(store: Any) -> int:
    with store() as uow:
        return int(uow.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar())


@pytest.mark.postgres
def test_postgres_pool_replaces_connections_the_server_closed(pg_store: Any) -> None:
    """A restart or a terminated backend costs no failed step: the next checkout reconnects."""
    from contextlib import closing

    from fakes.postgres_pool import admin as _admin

    assert pg_store.engine.dialect.driver == "psycopg"
    first = _backend(pg_store)
    assert _backend(pg_store) == first  # a healthy pooled connection is kept
    with closing(_admin()) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone() == (True,)
        for _ in range(100):  # the backend says goodbye and exits a moment later
            if admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
                             (first,)).fetchone() == (0,):
                break
            time.sleep(0.02)
    second = _backend(pg_store)
    assert second != first
    with pg_store() as uow:
        uow.companies.add(Company(name="Depois da queda"))
        uow.commit()
    assert _backend(pg_store) == second


def test_sql_store_accepts_an_engine(new_db_url: Callable[..., str]) -> None:
    engine = make_engine(new_db_url("sqlite"))
    try:
        store = SqlStore(engine)
        with store() as uow:
            assert uow.companies.list() == []
        with pytest.raises(RuntimeError, match="with block"):
            store().commit()
    finally:
        engine.dispose()


# -- query plans ----------------------------------------------------------------------------


def _seed(store: Any) -> None:
    with store() as uow:
        company = uow.companies.add(Company(name="A")).id
        user = uow.users.add(User(name="U", email="u@x", company_ids=[company])).id
        for i, status in enumerate(list(Status) * 3):
            seq = uow.tickets.next_seq("202611")
            uow.tickets.add(Ticket(
                period="202611", seq=seq, company_id=company, requester_id=user,
                assignee_id=user, tipo="t", item="i", servico="s", assunto=f"Assunto {i}",
                descricao="d", status=status, opened_at=T0 + timedelta(minutes=i),
                updated_at=T0, due_at=T0, awaiting_since=T0))
        uow.commit()


def _plans(store: Any, call: Callable[[Any], object], verbs: tuple[str, ...] = ("SELECT",)
           ) -> list[str]:
    """The SQLite query plans of the statements (of these verbs) a repository call runs."""
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(verbs):
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with store() as uow:
            call(uow)
            plans = []
            for statement, params in seen:
                rows = uow.connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
                plans.append("\n".join(r[3] for r in rows))
            return plans
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)


LISTINGS: dict[str, Callable[[Any], object]] = {
    "all": lambda u: u.tickets.list(TicketQuery()),
    "tab": lambda u: u.tickets.list(TicketQuery(tab=Tab.IN_PROGRESS)),
    "one_status": lambda u: u.tickets.list(TicketQuery(tab=Tab.NEW)),
    "company": lambda u: u.tickets.list(TicketQuery(company_id=1)),
    "requester": lambda u: u.tickets.list(TicketQuery(requester_id=1, tab=Tab.CLOSED)),
    "assignee": lambda u: u.tickets.list(TicketQuery(assignee_id=1, tab=Tab.IN_PROGRESS)),
    "window": lambda u: u.tickets.list(TicketQuery(company_id=1, opened_since=T0)),
    "queue": lambda u: u.tickets.queue(20),
    "awaiting": lambda u: u.tickets.awaiting_before(T0, 100, reminders_below=1),
    "due": lambda u: u.tickets.due_before(T0, 100),
    "overdue_view": lambda u: u.tickets.due_before(T0, 20, warnings_below=None, lock=False),
    "overdue_count": lambda u: u.tickets.count_due_before(T0),
    "new": lambda u: u.tickets.new_before(T0, 100),
    "due_soon": lambda u: u.tickets.due_before(T0, 100, 1, lock=False),
    "due_one_priority": lambda u: u.tickets.due_before(T0, 100, 1, priority=Priority.CRITICAL),
    "new_one_priority": lambda u: u.tickets.new_before(T0, 100, Priority.CRITICAL),
    "summary": lambda u: u.tickets.summary(1, None),
    "count": lambda u: u.tickets.count(TicketQuery(tab=Tab.IN_PROGRESS, company_id=1)),
}


NO_SORT = {"one_status", "requester", "queue", "awaiting", "due", "due_soon", "new",
           "overdue_view", "overdue_count", "due_one_priority", "new_one_priority"}
"""Read straight in index order: no sort at all."""


@pytest.mark.parametrize("name", LISTINGS)
def test_listings_queue_and_sweeps_are_index_backed(sqlite_store: Any, name: str) -> None:
    _seed(sqlite_store)
    plans = _plans(sqlite_store, LISTINGS[name])
    assert plans
    for plan in plans:
        lines = plan.splitlines()
        full_scans = [ln for ln in lines if ln.startswith("SCAN ticket") and " INDEX " not in ln]
        assert full_scans == [], plan
        sorts = [ln for ln in lines if "TEMP B-TREE FOR ORDER BY" in ln]
        if name in NO_SORT:
            assert sorts == [], plan
        elif sorts:
            # Only the merge of per-status branches, each at most a page long, may sort.
            assert "UNION ALL" in plan, plan


RARE_SEARCHES: dict[str, TicketQuery] = {
    "everywhere": TicketQuery(text="raro"),
    "one_tab": TicketQuery(text="raro", tab=Tab.NEW),
    "an_agents": TicketQuery(text="raro", assignee_id=1, tab=Tab.IN_PROGRESS),
    "lately": TicketQuery(text="raro", opened_since=T0 + timedelta(minutes=30)),
    "found_nowhere": TicketQuery(text="inexistente"),
}


@pytest.mark.parametrize("name", RARE_SEARCHES)
def test_a_search_for_a_rare_word_reads_only_the_tickets_it_finds(sqlite_store: Any, name: str
                                                                  ) -> None:
    """R8: a search whose words few tickets hold, or none, costs what it finds: its page and
    its total read those tickets by id, never walk an index of every ticket (at 1 000 000
    tickets that walk took 70 ms for a word found nowhere)."""
    _seed(sqlite_store)
    with sqlite_store() as uow:
        rare = [uow.tickets.add(Ticket(
            period="202611", seq=100 + n, company_id=1, requester_id=1, assignee_id=1, tipo="t",
            item="i", servico="s", assunto="Caso raro", descricao="d", status=status,
            opened_at=T0 + timedelta(hours=n), updated_at=T0)).id
            for n, status in enumerate((Status.NEW, Status.IN_PROGRESS))]
        uow.commit()
    query = RARE_SEARCHES[name]
    with sqlite_store() as uow:
        found = [t.id for t in uow.tickets.list(query)]
        assert uow.tickets.count(query) == len(found)
    assert found == {"everywhere": rare[::-1], "one_tab": rare[:1], "an_agents": rare[1:],
                     "lately": rare[1:], "found_nowhere": []}[name]
    plans = _plans(sqlite_store, lambda u: (u.tickets.list(query), u.tickets.count(query)))
    reads = [ln for plan in plans for ln in plan.splitlines()
             if ln.startswith(("SCAN tickets ", "SEARCH tickets "))]
    assert reads, plans
    assert set(reads) == {"SEARCH tickets USING INTEGER PRIMARY KEY (rowid=?)"}, plans


def test_link_failure_reads_and_upkeep_are_index_backed(sqlite_store: Any) -> None:
    """R2: the lock is read on every invite code typed; the sweep drops old failures."""
    key = ConversationKey(channel="slack", chat_id="DZECA", user_key="UZECA")
    with sqlite_store() as uow:
        for n in range(20):
            uow.link_failures.add(key.model_copy(update={"chat_id": f"D{n}"}), T0)
        uow.commit()
    plans = _plans(sqlite_store, lambda u: (u.link_failures.recent(key, T0),
                                            u.link_failures.delete_before(T0)),
                   verbs=("SELECT", "DELETE"))
    assert len(plans) == 2
    for plan in plans:
        assert "INDEX ix_link_failures_" in plan, plan
        assert [ln for ln in plan.splitlines()
                if ln.startswith("SCAN link_failures") and " INDEX " not in ln] == [], plan
