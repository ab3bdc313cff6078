"""Part 4: 1 000 notifications to 1 000 chats through `helpdesk run`'s delivery workers.

The fake Bot API enforces Telegram's limits (30 messages a second overall, one a second per
chat) and answers 429 past them; the figure is the achieved rate over the allowed one.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench.context import Bench
from bench.dbs import FreshDatabase
from bench.driver import Driver, fakes_importable
from bench.hosted import HelpdeskRun, clean_env
from bench.results import Figure, Target, ratio_of

PART = "4. Outbound delivery"
FIRST_CHAT = 9_000_000


def missing() -> str | None:
    """Why this part cannot run here, if it cannot."""
    if not fakes_importable():
        return "the fake Bot API (tests/fakes) is not next to the bench package"
    try:
        import bots.app  # noqa: F401
        import bots.delivery.dispatcher  # noqa: F401
    except ImportError as exc:
        return f"the delivery workers are not importable ({exc})"
    return None


def queue(url: str, n: int) -> None:
    """n Telegram notifications, one per chat, written as a use case writes them."""
    from core.outbox import Channel, OutboxMessage
    from storage.sql import SqlStore

    store = SqlStore(url)
    try:
        with store() as uow:
            now = datetime.now(UTC)
            for i in range(n):
                uow.outbox.add(OutboxMessage(
                    channel=Channel.TELEGRAM, target=str(FIRST_CHAT + i), kind="ticket.status",
                    params={"number": f"202611/{i + 1:04d}", "assunto": "Erro ao emitir NF-e",
                            "event": "other", "status": "em_atendimento"},
                    created_at=now, next_attempt_at=now))
            uow.commit()
    finally:
        store.dispose()


def run(bench: Bench, kind: str) -> None:
    """Queue N rows, start `helpdesk run`, wait until all arrived, compute the rate."""
    n = bench.scale.outbound
    allowed = float(bench.scale.outbound_rate)
    with FreshDatabase(kind) as url:
        queue(url, n)
        driver = Driver.start()
        try:
            driver.limits(True)
            env = clean_env(url, TELEGRAM_BOT_TOKEN=driver.token, TELEGRAM_API_URL=driver.root)
            with HelpdeskRun(env):
                deadline = time.monotonic() + n / allowed * 3 + 30
                sent = driver.sent()
                while len(sent["at"]) < n and time.monotonic() < deadline:
                    time.sleep(0.5)
                    sent = driver.sent()
        finally:
            driver.stop()
    times = sorted(sent["at"])
    if len(times) < n:
        raise RuntimeError(f"outbound on {kind}: {len(times)} of {n} delivered in time")
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    bench.report.add(Figure(
        PART, kind, f"messages/s delivering {n} notifications to {n} chats", achieved, "/s",
        "Telegram's limit", allowed, ratio_of(achieved, allowed), Target(">=", 0.9),
        note=f"{sent['429']} answers 429 (target 0); {sent['chats']} chats reached"))
    bench.report.add(Figure(
        PART, kind, "429 answers from the fake Bot API", float(sent["429"]), "",
        "none allowed", 0.0, float(sent["429"]), Target("<=", 0, "0")))
