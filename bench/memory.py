"""Part 6: resident memory of `helpdesk run`, idle and with 10 000 conversations in progress.

Conversation state lives in the database, so the process should not grow with the number of
people halfway through an intake. The driver's customers each start an intake (/novo) at once
through the Telegram channel (polling); the figure is the process's RSS afterwards over its RSS
when idle. Idle means warm: WARM_UP other customers started an intake first, so every code path,
message catalog and compiled statement a conversation needs is loaded in both measures and the
ratio shows what grows with the number of conversations (the cold RSS, right after start, is
in the note).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.context import Bench
from bench.dbs import FreshDatabase
from bench.driver import Driver, Scenario, telegram_missing
from bench.hosted import HelpdeskRun, clean_env, rss_kib
from bench.results import Figure, Target, ratio_of

PART = "6. Memory of helpdesk run"
FIRST_CHAT = 6_000_000
SETTLE = 3.0
FIRST_SWEEP = 6.0
"""`helpdesk run` sweeps about 5 s after start: idle is after it."""
WARM_UP = 100


def missing() -> str | None:
    """Why this part cannot run here, if it cannot."""
    return telegram_missing()


def seed(url: str, chats: list[int]) -> None:
    """One company and a trained customer linked to each chat, written in bulk."""
    from sqlalchemy import insert

    from storage.engine import make_engine
    from storage.tables import companies, user_companies, users

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            company = conn.execute(insert(companies).values(
                name="Mercado Exemplo Ltda", name_key="mercado exemplo ltda")
            ).inserted_primary_key
            assert company is not None
            rows = [{"name": f"Cliente {c}", "email": f"c{c}@mercado.example",
                     "email_key": f"c{c}@mercado.example", "role": "customer", "trained": True,
                     "telegram_id": c, "active": True} for c in chats]
            conn.execute(insert(users), rows)
            ids = [r[0] for r in conn.exec_driver_sql(
                "SELECT id FROM users ORDER BY id").fetchall()]
            conn.execute(insert(user_companies), [
                {"user_id": i, "company_id": company[0], "position": 0} for i in ids])
    finally:
        engine.dispose()


def _settled_rss(pid: int, settle: float) -> int:
    time.sleep(settle)
    return rss_kib(pid)


def _start_intakes(driver: Driver, chats: list[int]) -> dict[str, Any]:
    scenario = Scenario("polling", chats, steps=[("say", "/novo")], until="any", timeout=600)
    result = asyncio.run(driver.run(scenario))
    if result["failed"]:
        raise RuntimeError(f"memory: {result['failed']} customers failed: {result['failures']}")
    return result


def run(bench: Bench, kind: str) -> None:
    """Cold and warm idle RSS, then N customers start an intake at once, then RSS again."""
    n = bench.scale.memory_conversations
    warm = min(WARM_UP, max(1, n // 10))
    chats = [FIRST_CHAT + i for i in range(n + warm)]
    tiny = bench.scale.name == "tiny"  # the test's scale: the part runs, its figures are not kept
    settle = 0.3 if tiny else SETTLE
    first_sweep = 0.0 if tiny else FIRST_SWEEP
    with FreshDatabase(kind) as url:
        seed(url, chats)
        driver = Driver.start()
        try:
            env = clean_env(url, TELEGRAM_BOT_TOKEN=driver.token, TELEGRAM_API_URL=driver.root)
            with HelpdeskRun(env) as helpdesk:
                cold = _settled_rss(helpdesk.pid, settle + first_sweep)
                _start_intakes(driver, chats[n:])
                idle = _settled_rss(helpdesk.pid, settle)
                result = _start_intakes(driver, chats[:n])
                busy = _settled_rss(helpdesk.pid, settle)
        finally:
            driver.stop()
    bench.report.add(Figure(
        PART, kind, f"RSS with {n:,} conversations in progress", busy / 1024, "MiB",
        f"idle RSS, warm ({warm} intakes before)", idle / 1024, ratio_of(busy, idle),
        Target("<=", 1.2),
        note=f"each of {n:,} customers started an intake (/novo) at once through Telegram "
             f"polling ({result['updates'] / result['elapsed']:.0f} updates/s); cold idle RSS "
             f"right after start {cold / 1024:.0f} MiB ({busy / cold:.2f}x of it)"))
