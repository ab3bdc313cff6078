"""A burst of 300 Telegram notifications through `helpdesk run` against a strict fake Bot API.

The fake answers 429 to a 31st message in any second or a 2nd message to a chat in a second.
The limits are kept, not hit: zero 429s. At ~27 messages/s this takes about 11 s by design (ten
times the one-second window filled), so every database's burst runs at the same time, each with
its own `helpdesk run` and its own fake. 1 000 chats (~37 s here) are the `outbound` benchmark's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.databases import db_kinds
from fakes.loop_thread import LoopThread
from fakes.process import Running, clean_env, helpdesk
from fakes.telegram_api import FakeTelegramAPI

from core.outbox import Channel, OutboxMessage
from storage.sql import SqlStore

TOKEN = "123456:BURST"
CHATS = 300
KINDS = db_kinds()


@dataclass
class Burst:
    """One database's burst: its strict fake Bot API and its `helpdesk run`."""

    kind: str
    api: FakeTelegramAPI
    env: dict[str, str]
    proc: Running
    ready: float = 0.0
    elapsed: float | None = None


@pytest.fixture
def strict_api() -> Iterator[Callable[[], FakeTelegramAPI]]:
    """Start a fake Bot API that enforces Telegram's limits, each on its own loop thread."""
    started: list[tuple[LoopThread, FakeTelegramAPI]] = []

    def start() -> FakeTelegramAPI:
        lt, fake = LoopThread(), FakeTelegramAPI(token=TOKEN, enforce_limits=True)
        lt.run(fake.start())
        started.append((lt, fake))
        return fake

    yield start
    for lt, fake in started:
        lt.run(fake.stop())
        lt.close()


def queue(url: str) -> None:
    """One notification to each of CHATS chats, due now."""
    store = SqlStore(url)
    try:
        with store() as uow:
            now = datetime.now(UTC)
            for n in range(CHATS):
                uow.outbox.add(OutboxMessage(
                    channel=Channel.TELEGRAM, target=str(500_000 + n), kind="ticket.status",
                    params={"number": f"202611/{n:04d}", "assunto": "Aviso", "event": "other",
                            "status": "em_atendimento"},
                    created_at=now, next_attempt_at=now))
            uow.commit()
    finally:
        store.dispose()


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("kinds", [pytest.param(
    KINDS, id="-".join(KINDS), marks=[pytest.mark.postgres] if "postgres" in KINDS else [])])
def test_burst_of_300_notifications_keeps_telegram_limits(
        kinds: list[str], new_db_url: Callable[[str], str],
        strict_api: Callable[[], FakeTelegramAPI], tmp_path: Path) -> None:
    """300 chats, one notification each, on each database: all delivered, zero 429s,
    >= 9 s by design, at over a third of the limit's pace (120 s for 1 000 before)."""
    bursts: list[Burst] = []
    try:
        for kind in kinds:
            url = new_db_url(kind)
            queue(url)
            api = strict_api()
            env = clean_env(url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.root,
                            OUTBOX_WORKERS="8")
            bursts.append(Burst(kind, api, env, Running(env, tmp_path, f"burst-{kind}")))
        for burst in bursts:
            burst.proc.wait_ready()
            burst.ready = time.monotonic()
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            for burst in bursts:
                assert burst.api.count(429) == 0, f"{burst.kind}: a flood limit was hit"
                if burst.elapsed is None and len(burst.api.sent()) >= CHATS:
                    burst.elapsed = time.monotonic() - burst.ready
            if all(b.elapsed is not None for b in bursts):
                break
            time.sleep(0.5)
    finally:
        codes = [(b.kind, b.proc.terminate(), b.proc.text()) for b in bursts]
    assert all(code == 0 for _, code, _ in codes), codes
    for burst in bursts:
        sent = burst.api.sent()
        assert burst.api.count(429) == 0, burst.kind
        assert len(sent) == CHATS, burst.kind
        assert len({c.chat_id for c in sent}) == CHATS, burst.kind
        first, last = sent[0].at, sent[-1].at
        assert last - first >= (CHATS - 30) / 30, burst.kind
        assert burst.elapsed is not None, burst.kind
        assert burst.elapsed < CHATS * 0.12, burst.kind
        status = helpdesk(burst.env, "outbox", "status", cwd=tmp_path)
        assert "Pendentes: 0 " in status.stdout, (burst.kind, status.stdout)
