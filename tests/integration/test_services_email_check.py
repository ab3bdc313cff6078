"""R23: the start's SERVICES_EMAIL check on an instance that sends no e-mail reads the
instances seen and the heartbeats' clock in one round trip per look, and still accepts and
refuses as before: an instance that sent e-mail in the last 24 h (stopped or not) lets the
start go on, naming it; none, or one seen longer ago, refuses it in LANGUAGE."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert

from bots.app import Host
from bots.bootstrap import bootstrap
from bots.settings import Settings
from core.i18n import t
from storage.delivery_tables import outbox_workers

AREA = "servicos@totall.com.br"


@contextmanager
def statements(engine: Any) -> Iterator[list[str]]:
    """The SQL statements the engine runs meanwhile."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "after_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", note)


def check(db_url: str, beats: list[tuple[str, list[str], timedelta, bool]],
          language: str = "pt_BR", wait: float = 10) -> tuple[str | None, int, int]:
    """The check on a host with SERVICES_EMAIL and no SMTP_URL, after these instances beat
    (name, channels, how long ago, stopped since): its refusal (None: it went on), how many
    looks it took and how many statements they ran."""
    settings = Settings(_env_file=None, database_url=db_url,  # type: ignore[call-arg]
                        services_email=AREA, language=language, outbox_lease_seconds=2,
                        services_email_wait_seconds=wait)
    container = bootstrap(settings)
    host = Host(container, channels=[])
    now = datetime.now(UTC)
    with host.engine.begin() as conn:  # as they beat then (PostgreSQL's beat takes its now())
        for name, channels, ago, stopped in beats:
            conn.execute(insert(outbox_workers).values(
                worker=name, channels=",".join(channels), started_at=now - ago - ago,
                seen_at=now - ago, stopped_at=now - ago if stopped else None))
    looks = 1

    async def pause(seconds: float) -> None:
        nonlocal looks
        looks += 1
        await asyncio.sleep(0.05)

    host.pause = pause  # type: ignore[method-assign]
    try:
        with statements(host.engine) as seen:
            asyncio.run(host._check_services_email())
    except SystemExit as refused:
        return str(refused.code), looks, len(seen)
    finally:
        container.close()
    return None, looks, len(seen)


def test_r23_an_instance_that_sent_e_mail_in_the_last_24_h_lets_the_start_go_on_in_one_look(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """On PostgreSQL the heartbeats' clock was one round trip and the instances another."""
    for stopped in (False, True):
        with caplog.at_level(logging.WARNING, logger="bots.app"):
            refused, looks, ran = check(db_url, [(f"vm2:{stopped}:mail", ["email"],
                                                  timedelta(hours=23), stopped)])
        assert refused is None
        assert (looks, ran) == (1, 1)
        [said] = [m for m in caplog.messages if "SERVICES_EMAIL" in m]
        assert f"vm2:{stopped}:mail" in said
        caplog.clear()


def test_r23_no_instance_sending_e_mail_within_24_h_refuses_after_looking_once_a_pass(
        db_url: str) -> None:
    """A mail instance seen 25 h ago, a live one without e-mail: refused after the live one's
    grace, each look one statement; with none live, after SERVICES_EMAIL_WAIT_SECONDS; in
    LANGUAGE."""
    for language in ("pt_BR", "en"):
        refused, looks, ran = check(db_url, [
            (f"vm2:{language}:mail", ["email"], timedelta(hours=25), False),
            (f"vm3:{language}:bare", ["telegram"], timedelta(0), False)], language, wait=0.3)
        assert refused == t("run.services_email_no_smtp", language, address=AREA)
        assert looks > 1
        assert ran == looks
    refused, looks, ran = check(db_url, [], wait=0.3)
    assert refused == t("run.services_email_no_smtp", "pt_BR", address=AREA)
    assert ran == looks
