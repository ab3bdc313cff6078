"""What an operator reads of the instances and their jobs: `outbox status`, `jobs status`."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.process import clean_env, helpdesk

from storage.engine import make_engine
from storage.outbox_sql import OutboxQueue

BEHIND = "-c search_path=public,skew,pg_catalog"
"""A session whose now() is two minutes behind the server's (skew.now, searched first)."""


@pytest.fixture
def clock_behind(db_url: str) -> Iterator[str]:
    """PostgreSQL only: sessions opened with BEHIND read the database's clock two minutes
    behind the machine's own (the database server's clock, as another machine's)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite's instances share one machine and its clock")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA skew")
        conn.exec_driver_sql("CREATE FUNCTION skew.now() RETURNS timestamptz LANGUAGE sql AS "
                             "$$ SELECT pg_catalog.now() - interval '2 minutes' $$")
    try:
        yield BEHIND
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA skew CASCADE")
        engine.dispose()


def test_outbox_status_judges_instances_by_the_databases_clock(
        db_url: str, clock_behind: str, tmp_path: Path) -> None:
    """On PostgreSQL the heartbeats carry the database's clock; `outbox status` read their age
    by the CLI machine's, two minutes ahead of it, and took a running instance for one
    without a heartbeat (sem sinal) whose channel nobody served."""
    skewed = make_engine(db_url, connect_args={"options": clock_behind})
    try:
        OutboxQueue(skewed).beat("vm:1:0000beef", ["telegram"], datetime.now(UTC),
                                 timedelta(seconds=60), "-")
    finally:
        skewed.dispose()
    shown = helpdesk(clean_env(db_url, PGOPTIONS=clock_behind), "outbox", "status",
                     cwd=tmp_path).stdout
    assert re.search(r"^vm:1:0000beef +telegram +\d+ s +\d+ s +em execução$", shown, re.M), shown


def test_jobs_run_once_is_shown_in_jobs_status_as_run_by_hand(db_url: str,
                                                               tmp_path: Path) -> None:
    """`jobs run-once` ran the sweeps, and `jobs status` still said none ran in 24 h (or
    showed only the instances'): the run by hand is recorded, on the machine it ran on, with
    the --now it was given."""
    env = clean_env(db_url)
    assert helpdesk(env, "jobs", "run-once", cwd=tmp_path).returncode == 0
    shown = helpdesk(env, "jobs", "status", cwd=tmp_path).stdout
    host = re.escape(socket.gethostname())
    assert re.search(rf"^lembretes, encerramentos e avisos +à mão em {host} \(jobs run-once\) "
                     r"+\d+ s +feita: nada a fazer$", shown, re.M), shown
    past = helpdesk(env, "jobs", "run-once", "--now", "2026-11-30T10:00:00-03:00",
                    cwd=tmp_path)
    assert past.returncode == 0, past.stderr
    english = helpdesk(dict(env, LANGUAGE="en"), "jobs", "status", cwd=tmp_path).stdout
    assert re.search(rf"^reminders, closes and warnings +by hand on {host} "
                     r"\(jobs run-once\) +\d+ s +done: nothing due \(with --now 30/11/2026 "
                     r"10:00\)$", english, re.M), english


def test_outbox_status_shows_the_terminal_chats_unread_notices_apart(db_url: str,
                                                                     tmp_path: Path) -> None:
    """A terminal chat's notice waits for its person to open the chat (no worker sends it):
    `outbox status` counted the unread ones as pending, two days old, and warned that no
    instance sent on the channel terminal, a backlog that is none. They are shown apart."""
    from core.outbox import Channel, OutboxMessage
    from storage.sql import SqlStore

    store = SqlStore(db_url)
    try:
        with store() as uow:
            now = datetime.now(UTC)
            for channel, target, age in [(Channel.TERMINAL, "3", timedelta(days=2)),
                                         (Channel.TERMINAL, "4", timedelta(days=1)),
                                         (Channel.TELEGRAM, "7", timedelta(minutes=5))]:
                uow.outbox.add(OutboxMessage(channel=channel, target=target, kind="test.note",
                                             params={}, created_at=now - age,
                                             next_attempt_at=now - age))
            uow.commit()
    finally:
        store.dispose()
    env = clean_env(db_url)
    shown = helpdesk(env, "outbox", "status", cwd=tmp_path).stdout
    assert re.search(r"^Pendentes: 1 \(em envio agora: 0\)$", shown, re.M), shown
    assert re.search(r"^Aguardando leitura no chat do terminal: 2 \(não são pendências",
                     shown, re.M), shown
    assert re.search(r"^Pendente mais antiga: 5 min \d\d s$", shown, re.M), shown
    assert "terminal" not in shown.replace("chat do terminal", ""), shown
    english = helpdesk(dict(env, LANGUAGE="en"), "outbox", "status", cwd=tmp_path).stdout
    assert re.search(r"^Pending: 1 \(being sent now: 0\)$", english, re.M), english
    assert re.search(r"^Waiting to be read in the terminal chat: 2 \(not a backlog", english,
                     re.M), english
    assert re.search(r"^Oldest pending: 5 min \d\d s$", english, re.M), english


def test_jobs_run_once_removes_what_a_crash_left_in_files_dir_and_says_so(
        db_url: str, tmp_path: Path) -> None:
    """`jobs run-once` runs FILES_DIR's housekeeping too: a .part- a crash left two days ago
    is removed and counted, in its output and in `jobs status`; one written now stays."""
    import os
    import time

    fan = tmp_path / "arquivos" / "ab"
    fan.mkdir(parents=True)
    left, writing = fan / ".part-k2j4x9", fan / ".part-p0q1r2"
    for path in (left, writing):
        path.write_bytes(b"meio arquivo")
    two_days_ago = time.time() - 2 * 86400
    os.utime(left, (two_days_ago, two_days_ago))
    env = clean_env(db_url, FILES_DIR=str(tmp_path / "arquivos"))
    ran = helpdesk(env, "jobs", "run-once", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert re.search(r"^Arquivos temporários deixados por uma falha removidos \(FILES_DIR\): 1$",
                     ran.stdout, re.M), ran.stdout
    assert re.search(r"^Arquivos guardados sem anexo que os use removidos \(FILES_DIR\): 0$",
                     ran.stdout, re.M), ran.stdout
    assert (left.exists(), writing.exists()) == (False, True)
    english = helpdesk(dict(env, LANGUAGE="en"), "jobs", "status", cwd=tmp_path).stdout
    assert re.search(r"done: Temporary files a crash left removed \(FILES_DIR\): 1$", english,
                     re.M), english
