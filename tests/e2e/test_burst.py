"""A burst of 1 000 Telegram notifications through `helpdesk run` against a strict fake Bot API.

The fake answers 429 to a 31st message in any second or a 2nd message to a chat in a second.
The limits are kept, not hit: zero 429s. At ~27 messages/s this takes about 37 s by design.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.loop_thread import LoopThread
from fakes.process import Running, clean_env, helpdesk
from fakes.telegram_api import FakeTelegramAPI

from core.outbox import Channel, OutboxMessage
from storage.sql import SqlStore

TOKEN = "123456:BURST"
CHATS = 1000


@pytest.fixture
def api() -> Iterator[FakeTelegramAPI]:
    lt = LoopThread()
    fake = FakeTelegramAPI(token=TOKEN, enforce_limits=True)
    lt.run(fake.start())
    yield fake
    lt.run(fake.stop())
    lt.close()


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_burst_of_1000_notifications_keeps_telegram_limits(
        db_url: str, api: FakeTelegramAPI, tmp_path: Path) -> None:
    """1 000 chats, one notification each: all delivered, zero 429s, >= 33 s by design."""
    store = SqlStore(db_url)
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
    env = clean_env(db_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.root,
                    OUTBOX_WORKERS="8")
    proc = Running(env, tmp_path, "burst")
    try:
        proc.wait_ready()
        started = time.monotonic()
        deadline = started + 150
        while len(api.sent()) < CHATS and time.monotonic() < deadline:
            assert api.count(429) == 0, "a flood limit was hit"
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        assert proc.terminate() == 0, proc.text()
    sent = api.sent()
    assert api.count(429) == 0
    assert len(sent) == CHATS
    assert len({c.chat_id for c in sent}) == CHATS
    first, last = sent[0].at, sent[-1].at
    assert last - first >= (CHATS - 30) / 30
    assert elapsed < 120
    status = helpdesk(env, "outbox", "status", cwd=tmp_path)
    assert "Pendentes: 0 " in status.stdout, status.stdout
