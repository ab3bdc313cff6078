"""The Desk on real databases: concurrent awaited use cases, and the CLI's schema guard."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bots.bootstrap import make_store
from bots.runtime import Desk
from bots.settings import Settings
from core.models import Role
from core.services import users
from core.services.intake import TicketDraft, open_ticket

ROOT = Path(__file__).resolve().parents[2]
OPENINGS = 24


def _draft(n: int) -> TicketDraft:
    return TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas",
                       assunto=f"Pedido {n} não confirma",
                       descricao=f"Vendas > Pedidos: o pedido {n} não confirma.")


def test_r1_concurrent_openings_through_acall_are_numbered_without_gaps(db_url: str) -> None:
    """Many awaited openings at once: all kept, numbered 1..N in the month, loop never blocked."""
    store = make_store(db_url)
    desk = Desk(store, workers=8)
    try:
        desk.call(users.add_company, "Mercado Exemplo")
        customer = desk.call(users.add_user, name="Carla Souza", email="carla@exemplo.com.br",
                             company_names=["Mercado Exemplo"], role=Role.CUSTOMER, trained=True)

        async def scenario() -> tuple[list[int], int]:
            ticks = 0
            done = asyncio.Event()

            async def heartbeat() -> None:
                nonlocal ticks
                while not done.is_set():
                    ticks += 1
                    await asyncio.sleep(0.001)

            beat = asyncio.ensure_future(heartbeat())
            tickets = await asyncio.gather(
                *(desk.acall(open_ticket, customer.id, _draft(n)) for n in range(OPENINGS)))
            done.set()
            await beat
            return sorted(t.seq for t in tickets), ticks

        seqs, ticks = asyncio.run(scenario())
        assert seqs == list(range(1, OPENINGS + 1))
        assert ticks > 1
    finally:
        desk.close()
        store.dispose()  # type: ignore[attr-defined]


def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost")
    return subprocess.run([sys.executable, "-m", "bots.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.postgres
def test_cli_asks_for_db_upgrade_on_a_new_postgres_database() -> None:
    """On PostgreSQL the CLI never migrates by itself: it says to run `helpdesk db upgrade`."""
    admin = make_url(os.environ.get("TEST_POSTGRES_URL",
                                    "postgresql://postgres@127.0.0.1:5432/test"))
    name = f"helpdesk_t_cli_{uuid.uuid4().hex[:10]}"
    libpq = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with closing(psycopg.connect(libpq, autocommit=True, connect_timeout=5)) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)
    try:
        refused = _cli(url, "company", "list")
        assert refused.returncode == 1
        assert "helpdesk db upgrade" in refused.stderr
        assert "Traceback" not in refused.stderr
        upgraded = _cli(url, "db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr
        added = _cli(url, "company", "add", "Mercado Exemplo")
        assert added.returncode == 0, added.stderr
        assert "Mercado Exemplo" in _cli(url, "company", "list").stdout
    finally:
        with closing(psycopg.connect(libpq, autocommit=True, connect_timeout=5)) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_EXIT_SCRIPT = """
import asyncio, sys, threading, time
import bots.threads
from bots.bootstrap import make_store
from bots.runtime import Desk
from core.services import users

bots.threads.EXIT_WAIT = float(sys.argv[3])
started = threading.Event()

def slow_company(ctx, name):
    started.set()
    if name == "never":
        threading.Event().wait()
    time.sleep(0.5)  # still in its transaction when the interpreter ends
    return users.add_company(ctx, name)

async def main():
    desk = Desk(make_store(sys.argv[1]), workers=1)
    job = asyncio.ensure_future(desk.acall(slow_company, sys.argv[2]))
    while not started.is_set():
        await asyncio.sleep(0.01)
    # The process ends here with no desk.close(): the job's future is cancelled.

asyncio.run(main())
"""


def _ended_without_close(db_url: str, name: str, wait: float) -> None:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost")
    done = subprocess.run([sys.executable, "-c", _EXIT_SCRIPT, db_url, name, str(wait)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_a_job_running_when_the_process_ends_without_desk_close_is_finished(
        db_url: str) -> None:
    """A database job still running when the interpreter ends, the desk never closed (a path
    that forgot it), runs to its end and commits: the desk's threads are daemons, and were
    killed there, the transaction rolled back."""
    _ended_without_close(db_url, "Mercado Exemplo", 10.0)
    store = make_store(db_url)
    try:
        with store() as uow:
            assert [c.name for c in uow.companies.list()] == ["Mercado Exemplo"]
    finally:
        store.dispose()  # type: ignore[attr-defined]


def test_a_job_that_never_ends_does_not_keep_the_process_from_ending(db_url: str) -> None:
    """Waiting for the jobs at exit has a bound (threads.EXIT_WAIT): past it the threads,
    daemons, are left to end with the process."""
    _ended_without_close(db_url, "never", 0.3)
