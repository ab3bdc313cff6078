"""Part 5: time to HTTP 200 for a burst of signed Slack clicks, against Slack's 3 seconds.

`helpdesk run`'s host serves bolt on POST /slack/events; the driver process fires one signed
'Assumir' click per ticket, all at once, and times each answer. Like Slack, it keeps its
connections alive: they are opened before the clock (500 new connections at once would add
their TCP handshakes and accepts, ~30-40 ms here). The clicks are real: after the ack, each one
takes its ticket through core (the test waits for all of them).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from typing import Any

from bench.context import Bench
from bench.dbs import FreshDatabase
from bench.driver import Driver, fakes_importable
from bench.fixtures import draft
from bench.results import Figure, Target
from bench.stats import percentile

PART = "5. Slack acknowledgement"
SECRET = "bench-slack-signing-secret"  # noqa: S105  (a test value)
AGENT = "UANA"
SLACK_LIMIT = 3.0


def missing() -> str | None:
    """Why this part cannot run here, if it cannot."""
    if not fakes_importable():
        return "the fake Slack API (tests/fakes) is not next to the bench package"
    try:
        import bots.slack.channel  # noqa: F401
    except ImportError as exc:
        return f"the Slack adapter is not importable ({exc})"
    return None


def seed(url: str, n: int) -> list[int]:
    """An agent on Slack and n new tickets of one customer (their ids)."""
    from bots.runtime import Desk
    from core.models import Role
    from core.services import users
    from core.services.context import Ctx
    from core.services.intake import open_ticket
    from storage.sql import SqlStore

    def make(ctx: Ctx) -> list[int]:
        users.add_company(ctx, "Mercado Exemplo Ltda")
        users.add_user(ctx, name="Ana Ribeiro", email="ana@suporte.example", role=Role.AGENT,
                       slack_id=AGENT)
        carla = users.add_user(ctx, name="Carla Souza", email="carla@mercado.example",
                               company_names=["Mercado Exemplo Ltda"], trained=True)
        assert carla.id is not None
        return [open_ticket(ctx, carla.id, draft()).id or 0 for _ in range(n)]

    store = SqlStore(url)
    try:
        ids = Desk(store).call(make)
        _delivered(store.engine)
        return ids
    finally:
        store.dispose()


def _delivered(engine: Any) -> None:
    """Mark the seed's notifications sent: a card is clicked only after it was posted.

    Left pending, the host's dispatcher would work through them (and fail the e-mails, there is
    no SMTP here) at the same time as the burst, which no real click meets.
    """
    from sqlalchemy import update

    from core.outbox import DeliveryStatus
    from storage.tables import outbox

    with engine.begin() as conn:
        conn.execute(update(outbox).values(status=DeliveryStatus.SENT.value))


def _taken(container: Any, ids: list[int]) -> int:
    from sqlalchemy import func, select

    from core.models import Status
    from storage.tables import tickets

    stmt = select(func.count()).where(tickets.c.id.in_(ids),
                                      tickets.c.status == Status.IN_PROGRESS.value)
    with container.store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


async def _until_taken(container: Any, ids: list[int], within: float = 60.0) -> int:
    deadline = time.monotonic() + within
    while True:
        taken = await container.desk.run_sync(_taken, container, ids)
        if taken == len(ids) or time.monotonic() > deadline:
            return taken
        await asyncio.sleep(0.2)


async def burst(url: str, driver: Driver, tickets: list[int]) -> dict[str, Any]:
    """Host the Slack channel, fire one click per ticket, wait for the takes."""
    from bots.app import Host
    from bots.bootstrap import bootstrap
    from bots.settings import Settings
    from bots.slack.channel import SlackChannel

    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-files-") as files:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=url, files_dir=files, http_host="127.0.0.1",
            http_port=0, sweep_interval_seconds=3600, slack_bot_token="xoxb-bench",
            slack_signing_secret=SECRET, slack_api_url=driver.slack_url,
            slack_triage_channel="CTRIAGE")
        container = bootstrap(settings)
        host = Host(container, channels=[SlackChannel(settings, container.desk)])
        await host.start()
        try:
            url = f"{host.http_url}/slack/events"
            # No warm-up click: the channel caches bolt's auth.test when it starts.
            result = await driver.slack(url, SECRET, AGENT, tickets)
            result["taken"] = await _until_taken(container, tickets)
            return result
        finally:
            await host.stop()
            container.close()


def run(bench: Bench, kind: str) -> None:
    """One burst of N clicks on a fresh database of this kind."""
    n = bench.scale.slack_requests
    with FreshDatabase(kind) as url:
        tickets = seed(url, n)
        driver = Driver.start()
        try:
            result = asyncio.run(burst(url, driver, tickets))
        finally:
            driver.stop()
    ok = result["statuses"].get("200", 0)
    if ok != n:
        raise RuntimeError(f"Slack burst on {kind}: answers {result['statuses']}")
    p50, p99 = (percentile(result["latencies"], q) for q in (50, 99))
    note = (f"{n} clicks at once over kept-alive connections, all 200; {result['taken']} of "
            f"{n} tickets taken through core afterwards; p50 {p50 * 1000:.1f} ms")
    bench.report.add(Figure(PART, kind, f"p99 time to HTTP 200, burst of {n} signed clicks",
                            p99 * 1000, "ms", "Slack's limit", SLACK_LIMIT * 1000,
                            p99 / SLACK_LIMIT, Target("<=", 1 / 30, "<= 1/30"), note=note))
