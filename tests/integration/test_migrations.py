"""The Alembic migrations build, on an empty database, exactly the schema of storage.tables."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import column, inspect, select, table
from sqlalchemy.pool import NullPool

from core.conversation.identity import slack_key, telegram_key
from core.policy import Policy
from core.services import closing, handling
from core.services.context import Ctx
from storage.engine import make_engine
from storage.migrate import alembic_config, downgrade, include_object, target_metadata, upgrade
from storage.sql import SqlStore
from storage.types import UtcDateTime
from tests.storage_world import World

T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


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
            with warnings.catch_warnings():  # SQLite's reflection skips them (EXPRESSION_INDEXES)
                warnings.filterwarnings("ignore", "Skipped unsupported reflection of "
                                        "expression-based index ix_tickets_queue")
                warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified "
                                        "expression-based index 'ix_tickets_queue'")
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


def test_r12_the_queues_index_ranks_a_critical_ticket_by_its_workaround(empty_db_url: str
                                                                       ) -> None:
    """The expression index autogenerate leaves out: ix_tickets_queue on the queue's rank (a
    critical ticket with no workaround first, 0024), then opening time, as tables.py says;
    0023's index, on the priority, comes back with a downgrade."""
    def definition() -> str:
        engine = make_engine(empty_db_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_tickets_queue'" \
                    if engine.dialect.name == "postgresql" else \
                    "SELECT sql FROM sqlite_master WHERE name = 'ix_tickets_queue'"
                return " ".join(str(conn.exec_driver_sql(sql).scalar_one()).split())
        finally:
            engine.dispose()

    upgrade(empty_db_url)
    made = definition()
    assert "CASE WHEN" in made
    assert "workaround_at IS NULL" in made
    assert made.index("workaround_at") < made.index("opened_at") < made.rindex("id")
    downgrade(empty_db_url, "0023_slack_kept_notes")
    assert "CASE" not in definition()
    assert "priority, opened_at, id" in definition()


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


def test_0009_keeps_telegrams_link_failures_under_the_conversation_key(empty_db_url: str
                                                                       ) -> None:
    """R2: a Telegram chat locked before the upgrade is still locked after it (its rows now
    counted by the engine, under the chat's conversation key); a downgrade gives Telegram its
    rows back and drops the other channels' (Telegram counted only its own)."""
    upgrade(empty_db_url, "0008_billing_quote")
    old = table("telegram_link_failures", column("chat_id"), column("failed_at", UtcDateTime()))
    minute = timedelta(minutes=1)
    rows = [(5002, T0 + n * minute) for n in range(5)] + [(5001, T0)]
    engine = make_engine(empty_db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(old.insert(), [{"chat_id": c, "failed_at": at} for c, at in rows])
        upgrade(empty_db_url)
        assert "telegram_link_failures" not in inspect(engine).get_table_names()
        store = SqlStore(engine)
        with store() as uow:
            assert uow.link_failures.recent(telegram_key(5002, 5002), T0 - minute) == (5, T0)
            assert uow.link_failures.recent(telegram_key(5001, 5001), T0 - minute) == (1, T0)
            uow.link_failures.add(slack_key("DZECA", "UZECA"), T0)
            uow.commit()
        downgrade(empty_db_url, "0008_billing_quote")
        with engine.connect() as conn:
            back = conn.execute(select(old.c.chat_id, old.c.failed_at)).all()
        assert sorted((int(c), at) for c, at in back) == sorted(rows)
        assert "link_failures" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_r13_0030_judges_the_solutions_already_sent_by_today_s_prazo(empty_db_url: str
                                                                     ) -> None:
    """The solution lines written before 0030 ("approval_requested", bare) are judged by
    their ticket's prazo as it is at the upgrade, the comparison the report made until then;
    ix_entries_report_events then holds the judged lines (its condition is the report's), so
    the report still reads the window by it. A downgrade takes the judgement off again."""
    upgrade(empty_db_url)  # today's code writes the tickets: later migrations add columns
    engine = make_engine(empty_db_url, poolclass=NullPool)
    store = SqlStore(engine)
    try:
        w = World(store)

        def run(at: datetime, fn: Any, *args: Any, **kw: Any) -> Any:
            with store() as uow:
                result = fn(Ctx(uow, at, Policy()), *args, **kw)
                uow.commit()
                return result

        on_time, late = w.open_committed(at=T0), w.open_committed(at=T0)
        for ticket, sent in ((on_time, T0 + timedelta(days=1)), (late, T0 + timedelta(days=6))):
            run(T0, handling.take, w.ana, ticket.id)  # a 5 days' prazo
            run(sent, closing.request_approval, w.ana, ticket.id, "Ajustamos o cadastro.",
                origin_id="erro_sistema")
        lines = table("entries", column("ticket_id"), column("kind"), column("text"))
        downgrade(empty_db_url, "0029_email_changes")
        with engine.begin() as conn:  # as the code before 0030 wrote them
            conn.execute(lines.update().where(lines.c.text.like("approval_requested %"))
                         .values(text="approval_requested"))
        upgrade(empty_db_url)

        def solution_lines() -> dict[int, str]:
            with engine.connect() as conn:
                return dict(conn.execute(select(lines.c.ticket_id, lines.c.text).where(
                    lines.c.text.like("approval_requested%"))).all())

        assert solution_lines() == {on_time.id: "approval_requested prazo=on_time",
                                    late.id: "approval_requested prazo=late"}
        made = _index_definition(engine, "ix_entries_report_events")
        assert "approval_requested prazo=on_time" in made
        assert "approval_requested prazo=late" in made
        with store() as uow:
            counts = uow.tickets.report(T0, T0 + timedelta(days=7), None)
        assert (counts.solutions_on_time, counts.solutions_late) == (1, 1)
        downgrade(empty_db_url, "0029_email_changes")
        assert solution_lines() == {on_time.id: "approval_requested",
                                    late.id: "approval_requested"}
        assert "prazo=" not in _index_definition(engine, "ix_entries_report_events")
    finally:
        store.dispose()
        engine.dispose()


def _index_definition(engine: Any, name: str) -> str:
    """An index's definition as the database keeps it (its partial condition included)."""
    with engine.connect() as conn:
        sql = f"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'" \
            if engine.dialect.name == "postgresql" else \
            f"SELECT sql FROM sqlite_master WHERE name = '{name}'"
        return " ".join(str(conn.exec_driver_sql(sql).scalar_one()).split())


def _indexes(engine: Any, table_name: str) -> set[str]:
    return {i["name"] for i in inspect(engine).get_indexes(table_name)}


def test_a_database_migrated_by_the_first_0032_gets_the_sha256_index(empty_db_url: str
                                                                     ) -> None:
    """0032 landed without ix_attachments_sha256 and was extended an hour later: a database
    migrated by its first version has no index (FILES_DIR's sweep read the whole table per
    file); 0033 makes it there, once on a fresh database, and its downgrade drops it."""
    upgrade(empty_db_url, "0032_ticket_taken_at")
    engine = make_engine(empty_db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:  # the first 0032 made no such index
            conn.exec_driver_sql("DROP INDEX IF EXISTS ix_attachments_sha256")
        upgrade(empty_db_url)
        assert "ix_attachments_sha256" in _indexes(engine, "attachments")
        assert _schema_diff(empty_db_url)[1] == []
        downgrade(empty_db_url, "0032_ticket_taken_at")
        assert "ix_attachments_sha256" not in _indexes(engine, "attachments")
        downgrade(empty_db_url, "0031_report_taken_index")
        upgrade(empty_db_url)
        assert "ix_attachments_sha256" in _indexes(engine, "attachments")
    finally:
        engine.dispose()
