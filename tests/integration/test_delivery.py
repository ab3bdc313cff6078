"""The outbox dispatcher on real databases, a fake Bot API and a real SMTP server on loopback."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes.delivery_world import (
    CARLA_CHAT,
    CARLA_EMAIL,
    RecordingSender,
    awaiting_approval,
    dispatcher,
    email_sender,
    pending,
    seed,
)
from fakes.smtp_server import FakeSMTP
from fakes.telegram_api import FakeTelegramAPI

from bots.delivery.limits import Limits
from bots.delivery.results import Permanent, RetryAfter, Transient
from bots.runtime import Desk
from bots.telegram.sender import TelegramSender
from core.models import EntryKind
from core.outbox import Channel, DeliveryStatus, OutboxMessage
from storage.outbox_sql import OutboxQueue


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


async def deliver_notes(desk: Desk, api: FakeTelegramAPI, targets: list[str]) -> None:
    """Start the Bot API, queue one plain note per target chat and deliver them all, paced as
    Telegram asks."""
    await api.start()
    telegram = PlainTelegram.from_token(api.token, api.root)
    d = dispatcher(desk, {"telegram": telegram}, limits=Limits())
    add_notes(desk, Channel.TELEGRAM, targets)
    await d.start()
    await until(lambda: pending(desk) == 0)
    await d.stop()
    await telegram.aclose()
    await api.stop()


async def until(check: Callable[[], bool], within: float = 15.0) -> None:
    """Wait for a condition, failing after `within` seconds."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def rows(desk: Desk) -> list[OutboxMessage]:
    with desk.store() as uow:
        return uow.outbox.all()  # type: ignore[attr-defined]


class PlainTelegram(TelegramSender):
    """Sends params['text'] as is, so a test can tell the messages apart."""

    def compose(self, msg: OutboxMessage) -> dict[str, Any]:
        return {"chat_id": int(msg.target), "text": str(msg.params["text"])}


def add_notes(desk: Desk, channel: Channel, targets: list[str]) -> None:
    """One test notification per target, in this order."""
    with desk.store() as uow:
        for n, target in enumerate(targets):
            now = datetime.now(UTC)
            uow.outbox.add(OutboxMessage(channel=channel, target=target, kind="test.note",
                                         params={"text": f"{target}#{n}"}, created_at=now,
                                         next_attempt_at=now))
        uow.commit()


def run(story: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(story())


def test_r19_approval_request_reaches_telegram_and_email_once_both_servers_are_back(
        desk: Desk) -> None:
    """The approval request commits while SMTP and the Bot API are down; both arrive later."""
    people = seed(desk)

    async def story() -> None:
        api, smtp = FakeTelegramAPI(), FakeSMTP()
        await api.start()
        await smtp.start()
        await api.stop()
        await smtp.stop()
        telegram = TelegramSender.from_token(api.token, api.root)
        slack = RecordingSender()
        d = dispatcher(desk, {"telegram": telegram, "email": email_sender(smtp), "slack": slack})
        await d.start()
        ticket = await desk.run_sync(awaiting_approval, desk, people)
        await asyncio.sleep(1.0)
        assert api.calls == []
        assert smtp.messages == []
        retried = [m for m in rows(desk) if m.attempts > 1]
        assert retried
        assert all(m.status == DeliveryStatus.PENDING for m in retried)
        await api.start(port=api.port)
        await smtp.start(port=smtp.port)
        number = ticket.number
        await until(lambda: pending(desk) == 0)
        await d.stop()
        await telegram.aclose()
        await api.stop()
        await smtp.stop()
        texts = api.sent_texts(CARLA_CHAT)
        approvals = [t for t in texts if "aprova" in t.lower()]
        assert len(approvals) == 1
        assert number in approvals[0]
        mails = smtp.to(CARLA_EMAIL)
        kinds = [m["Message-ID"] for m in mails]
        assert len(kinds) == len(set(kinds))
        assert sum("aprova" in m.get_body(("plain",)).get_content().lower() for m in mails) == 1

    run(story)
    assert all(m.status == DeliveryStatus.SENT for m in rows(desk))
    assert pending(desk) == 0


def test_order_is_kept_per_chat_within_telegram_limits(desk: Desk) -> None:
    """Several messages to one chat arrive in order, a second apart; other chats go meanwhile."""

    async def story() -> None:
        api = FakeTelegramAPI(enforce_limits=True)
        await deliver_notes(desk, api, ["7", "8", "7", "9", "7"])
        assert api.sent_texts(7) == ["7#0", "7#2", "7#4"]
        assert api.count(429) == 0
        times = [c.at for c in api.sent(7)]
        assert all(b - a >= 1.0 for a, b in zip(times, times[1:], strict=False))
        assert api.sent(8)[0].at < times[1]

    run(story)


def test_blocked_bot_is_recorded_on_the_ticket_and_not_retried(desk: Desk) -> None:
    """403 'bot was blocked': failed for good, ticket flagged, one system entry, agents told."""
    people = seed(desk)

    async def story() -> None:
        api = FakeTelegramAPI()
        api.block(CARLA_CHAT)
        await api.start()
        telegram = TelegramSender.from_token(api.token, api.root)
        slack = RecordingSender()
        d = dispatcher(desk, {"telegram": telegram, "slack": slack, "email": RecordingSender()})
        # The flow first: a use case racing the flag on PostgreSQL could overwrite it (the
        # ticket row is written whole).
        ticket = await desk.run_sync(awaiting_approval, desk, people)
        await d.start()
        await until(lambda: pending(desk) == 0)
        await asyncio.sleep(0.3)
        await d.stop()
        await telegram.aclose()
        await api.stop()
        telegram_rows = [m for m in rows(desk) if m.channel == Channel.TELEGRAM]
        assert telegram_rows
        assert all(m.status == DeliveryStatus.FAILED for m in telegram_rows)
        assert all("blocked" in (m.last_error or "") for m in telegram_rows)
        assert api.count(403) == len(telegram_rows)
        with desk.store() as uow:
            stored = uow.tickets.get(ticket.id)
            entries = uow.entries.list(ticket.id, include_internal=True)
        assert stored is not None
        assert stored.unreachable_telegram
        notes = [e for e in entries if e.kind == EntryKind.SYSTEM
                 and e.text.startswith("telegram_unreachable")]
        assert len(notes) == 1
        assert any(m.params.get("event") == "telegram_unreachable" for m in slack.sent)

    run(story)


def test_retry_after_is_honoured_exactly(desk: Desk) -> None:
    """A 429 with retry_after=2: the same message is tried again no sooner than 2 s later."""

    async def story() -> None:
        api = FakeTelegramAPI()
        api.fail_next(429, retry_after=2, chat_id=7)
        await deliver_notes(desk, api, ["7"])
        calls = [c for c in api.calls if c.method == "sendMessage"]
        assert [c.status for c in calls] == [429, 200]
        assert calls[1].at - calls[0].at >= 2.0

    run(story)


def test_a_long_message_limited_half_way_goes_on_before_the_next_one(desk: Desk) -> None:
    """A note too long for one message goes out in two; Telegram limits the second (429,
    retry after 1 s): the rest went into a new row, queued behind the chat's next note, which
    came between the halves, and the wait Telegram asked for was not kept (the row counted as
    sent). The row keeps its rest and waits as told: the halves in order, then the next."""

    async def story() -> None:
        api = FakeTelegramAPI(enforce_limits=True)
        await api.start()
        telegram = PlainTelegram.from_token(api.token, api.root, desk=desk)
        d = dispatcher(desk, {"telegram": telegram}, limits=Limits())
        now = datetime.now(UTC)
        with desk.store() as uow:
            for text in ("primeira " * 600, "segunda"):
                uow.outbox.add(OutboxMessage(channel=Channel.TELEGRAM, target="7",
                                             kind="test.note", params={"text": text.strip()},
                                             created_at=now, next_attempt_at=now))
            uow.commit()
        await d.start()
        await until(lambda: pending(desk) == 0)
        await d.stop()
        await telegram.aclose()
        await api.stop()
        said = api.sent_texts(7)
        assert len(said) == 3
        assert [text.split()[0] for text in said] == ["primeira", "primeira", "segunda"]
        calls = [c for c in api.calls if c.method == "sendMessage"]
        limited = [n for n, c in enumerate(calls) if c.status == 429]
        assert limited
        assert all(calls[n + 1].at - calls[n].at >= 1.0 for n in limited)

    run(story)


def test_a_long_message_given_up_half_way_and_retried_sends_only_its_rest(desk: Desk) -> None:
    """The first of a note's two messages went out, the second was limited and then kept
    failing (502) until the row gave up; `helpdesk outbox retry --failed` put it back: the
    first message is not sent again, only the second."""

    async def story() -> None:
        api = FakeTelegramAPI(enforce_limits=True)
        await api.start()
        telegram = PlainTelegram.from_token(api.token, api.root, desk=desk)
        d = dispatcher(desk, {"telegram": telegram}, limits=Limits())
        d.config = replace(d.config, backoff=replace(d.config.backoff, give_up_after=1.5))
        now = datetime.now(UTC)
        with desk.store() as uow:
            uow.outbox.add(OutboxMessage(channel=Channel.TELEGRAM, target="7", kind="test.note",
                                         params={"text": ("primeira " * 600).strip()},
                                         created_at=now, next_attempt_at=now))
            uow.commit()
        await d.start()
        await until(lambda: api.count(429) > 0)
        api.fail_next(502, times=1000, chat_id=7)
        await until(lambda: pending(desk) == 0)
        await d.stop()
        assert [r.status for r in rows(desk)] == [DeliveryStatus.FAILED]
        assert len(api.sent_texts(7)) == 1
        api._script.clear()  # Telegram is back
        engine = desk.store.engine  # type: ignore[attr-defined]
        assert await desk.run_sync(OutboxQueue(engine).retry, datetime.now(UTC)) == 1
        await d.start()
        await until(lambda: pending(desk) == 0)
        await d.stop()
        await telegram.aclose()
        await api.stop()
        assert len(api.sent_texts(7)) == 2
        assert [r.status for r in rows(desk)] == [DeliveryStatus.SENT]

    run(story)


def test_a_limit_of_one_method_holds_only_its_row_not_the_channel(desk: Desk) -> None:
    """Slack limits views.publish apart from chat.postMessage: an App Home asked to wait 30 s
    waits alone, the thread posts after it go on."""

    async def story() -> None:
        slack = RecordingSender(script=deque([RetryAfter(30, channel_wide=False)]))
        add_notes(desk, Channel.SLACK, ["home:UANA"])
        d = dispatcher(desk, {"slack": slack})
        await d.start()
        await until(lambda: any(m.last_error for m in rows(desk)), within=5)
        add_notes(desk, Channel.SLACK, ["triage", "user:UBRUNO"])
        await until(lambda: len(slack.sent) == 2, within=5)
        await d.stop()
        assert [m.target for m in slack.sent] == ["triage", "user:UBRUNO"]
        assert pending(desk) == 1

    run(story)


def test_server_errors_are_retried_with_backoff_until_delivered(desk: Desk) -> None:
    """Two 500s, then success: delivered once, the row counts three attempts."""

    async def story() -> None:
        api = FakeTelegramAPI()
        api.fail_next(500, times=2)
        await deliver_notes(desk, api, ["7"])
        assert [c.status for c in api.calls] == [500, 500, 200]
        assert api.sent_texts(7) == ["7#0"]

    run(story)
    (row,) = rows(desk)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 3)


def test_r5_bounced_address_is_recorded_once_and_not_retried(desk: Desk) -> None:
    """The SMTP server refuses the requester's address: failed rows, one note on the ticket."""
    people = seed(desk, chat_id=None)

    async def story() -> None:
        smtp = FakeSMTP(reject={CARLA_EMAIL})
        await smtp.start()
        d = dispatcher(desk, {"email": email_sender(smtp), "slack": RecordingSender()})
        await d.start()
        ticket = await desk.run_sync(awaiting_approval, desk, people)
        await until(lambda: pending(desk) == 0)
        await d.stop()
        await smtp.stop()
        carla_rows = [m for m in rows(desk) if m.target == CARLA_EMAIL]
        assert len(carla_rows) >= 2
        assert all(m.status == DeliveryStatus.FAILED and m.attempts == 1 for m in carla_rows)
        with desk.store() as uow:
            entries = uow.entries.list(ticket.id, include_internal=True)
        notes = [e for e in entries if e.text.startswith("email_unreachable")]
        assert len(notes) == 1

    run(story)


@pytest.mark.parametrize(("language", "served_before", "reason", "warning"), [
    ("pt_BR", False, "nas últimas 24 h, nenhuma instância teve o canal slack",
     "3 notificações do canal slack com falha: nas últimas 24 h"),
    ("en", False, "in the last 24 h, no instance had the channel slack",
     "3 notifications of the channel slack failed: in the last 24 h"),
    ("pt_BR", True, "nenhuma instância em execução envia pelo canal slack",
     "3 notificações do canal slack com falha: nenhuma instância em execução"),
    ("en", True, "no running instance sends on the channel slack",
     "3 notifications of the channel slack failed: no running instance"),
])
def test_a_channel_without_sender_fails_its_rows_with_a_reason(
        desk: Desk, caplog: pytest.LogCaptureFixture, language: str, served_before: bool,
        reason: str, warning: str) -> None:
    """Slack rows on an instance with no Slack sender are marked failed, not left pending, with
    one warning for all of them; the reason in LANGUAGE (it was Portuguese whatever it said):
    no instance of the last day had Slack, or the one that had it is gone (its grace over)."""

    async def story() -> None:
        d = dispatcher(desk, {"email": RecordingSender()}, language=language, grace=0.5)
        if served_before:  # stopped cleanly a moment ago: its grace holds the rows for 0.5 s
            d.queue.beat("gone", ["slack"], datetime.now(UTC), timedelta(seconds=0.5), "-")
            d.queue.stopped("gone", datetime.now(UTC))
        add_notes(desk, Channel.SLACK, ["triage", "user:U1", "user:U2"])
        await d.start()
        await until(lambda: pending(desk) == 0)
        await d.stop()

    with caplog.at_level(logging.WARNING, logger="bots.delivery.dispatcher"):
        run(story)
    assert {r.status for r in rows(desk)} == {DeliveryStatus.FAILED}
    assert {r.last_error for r in rows(desk)} == {reason}
    warned = [r.getMessage() for r in caplog.records if "slack" in r.getMessage()]
    assert len(warned) == 1
    assert warned[0].startswith(warning), warned


def test_the_terminal_chats_rows_are_never_failed_as_unserved(desk: Desk) -> None:
    """A notice for the terminal chat waits for its person's next turn there; a dispatcher
    (which has no terminal sender) failed it as a channel no instance serves."""

    async def story() -> None:
        d = dispatcher(desk, {"email": RecordingSender()}, grace=0.5)
        add_notes(desk, Channel.SLACK, ["user:U1"])
        add_notes(desk, Channel.TERMINAL, ["7"])
        await d.start()
        await until(lambda: pending(desk) == 1)
        await asyncio.sleep(0.7)
        await d.stop()

    run(story)
    assert {(r.channel, r.status) for r in rows(desk)} == {
        (Channel.SLACK, DeliveryStatus.FAILED), (Channel.TERMINAL, DeliveryStatus.PENDING)}


def up_for(queue: OutboxQueue, worker: str) -> float:
    """Seconds between a dispatcher's start and its latest heartbeat (-1: none yet)."""
    found = [w for w in queue.workers(datetime.now(UTC)) if w.worker == worker]
    return (found[0].seen_at - found[0].started_at).total_seconds() if found else -1.0


def test_an_instance_without_slack_leaves_its_rows_to_an_instance_with_slack(desk: Desk) -> None:
    """Two instances on one database, one without Slack: the Slack rows wait while Slack asks
    the other to hold on, and it sends them all. The first failed them (no sender here)."""

    async def story() -> None:
        queue = OutboxQueue(getattr(desk.store, "engine"))  # noqa: B009
        slack = RecordingSender()
        slack.script.append(RetryAfter(2.0, "429", channel_wide=True))
        telegram_only = dispatcher(desk, {"telegram": RecordingSender()}, grace=1.0,
                                   worker_id="a")
        with_slack = dispatcher(desk, {"slack": slack}, grace=1.0, worker_id="b")
        await telegram_only.start()
        await with_slack.start()
        await until(lambda: up_for(queue, "a") > 1.0 and up_for(queue, "b") >= 0)
        add_notes(desk, Channel.SLACK, ["triage", "user:U1", "user:U2"])
        await until(lambda: pending(desk) == 0)
        await with_slack.stop()
        await telegram_only.stop()
        assert [(m.status, m.last_error) for m in rows(desk)] == [(DeliveryStatus.SENT, None)] * 3
        assert sorted(m.target for m in slack.sent) == ["triage", "user:U1", "user:U2"]

    run(story)


def test_slack_rows_fail_once_no_instance_alive_has_slack(desk: Desk) -> None:
    """The only instance with Slack stops: a Slack row fails on the other instance, not before
    the stopped one has been silent for the grace time, saying no running instance sends it."""

    async def story() -> None:
        queue = OutboxQueue(getattr(desk.store, "engine"))  # noqa: B009
        telegram_only = dispatcher(desk, {"telegram": RecordingSender()}, grace=1.0,
                                   worker_id="a")
        with_slack = dispatcher(desk, {"slack": RecordingSender()}, grace=1.0, worker_id="b")
        await telegram_only.start()
        await with_slack.start()
        await until(lambda: up_for(queue, "a") > 1.0 and up_for(queue, "b") >= 0)
        await with_slack.stop()
        add_notes(desk, Channel.SLACK, ["triage"])
        await until(lambda: pending(desk) == 0)
        failed_at = datetime.now(UTC)
        await telegram_only.stop()
        last_seen = next(w.seen_at for w in queue.workers(failed_at) if w.worker == "b")
        assert (failed_at - last_seen).total_seconds() >= 1.0
        assert [(m.status, m.last_error) for m in rows(desk)] == [
            (DeliveryStatus.FAILED,
             "nenhuma instância em execução envia pelo canal slack")]

    run(story)


@pytest.mark.parametrize(("language", "reason"), [
    ("pt_BR", "desistência após {attempts} tentativas: timeout"),
    ("en", "gave up after {attempts} attempts: timeout"),
])
def test_transient_failures_give_up_after_the_configured_age(desk: Desk, language: str,
                                                             reason: str) -> None:
    """A row failing for longer than give_up_after is marked failed, saying so in LANGUAGE."""
    from bots.delivery.limits import Backoff

    async def story() -> None:
        flaky = RecordingSender()
        flaky.script.extend([Transient("timeout")] * 50)
        d = dispatcher(desk, {"email": flaky}, language=language)
        # Retried every 0.05-0.1 s and never given up until three attempts failed; then the
        # age limit is passed. A wall-clock limit (2 s) left room for one attempt under load.
        d.config = replace(d.config, backoff=Backoff(base=0.05, cap=0.1, give_up_after=3600))
        add_notes(desk, Channel.EMAIL, ["x@mercado.com.br"])
        await d.start()
        await until(lambda: rows(desk)[0].attempts >= 3, within=60)
        d.config = replace(d.config, backoff=Backoff(base=0.05, cap=0.1, give_up_after=0.0))
        await until(lambda: pending(desk) == 0, within=60)
        await d.stop()

    run(story)
    (row,) = rows(desk)
    assert row.status == DeliveryStatus.FAILED
    assert row.attempts > 2
    assert row.last_error == reason.format(attempts=row.attempts)


def test_two_dispatchers_share_the_queue_each_row_sent_once(desk: Desk) -> None:
    """Two instances on one database: every row delivered once, per-destination order kept."""

    async def story() -> None:
        first, second = RecordingSender(delay=0.01), RecordingSender(delay=0.01)
        targets = [f"c{n % 15}@mercado.com.br" for n in range(90)]
        add_notes(desk, Channel.EMAIL, targets)
        a = dispatcher(desk, {"email": first}, worker_id="a")
        b = dispatcher(desk, {"email": second}, worker_id="b")
        a.config = replace(a.config, capacity=4)
        b.config = replace(b.config, capacity=4)
        await asyncio.gather(a.start(), b.start())
        await until(lambda: pending(desk) == 0, within=30)
        await asyncio.gather(a.stop(), b.stop())
        sent = first.sent + second.sent
        assert sorted(m.id for m in sent) == sorted(m.id for m in rows(desk))
        assert first.sent
        assert second.sent
        by_target: dict[str, list[int]] = {}
        for _, msg in sorted(first.calls + second.calls, key=lambda c: c[0]):
            by_target.setdefault(msg.target, []).append(msg.id or 0)
        assert all(ids == sorted(ids) for ids in by_target.values())

    run(story)


def test_stop_hands_back_rows_not_yet_sent(desk: Desk) -> None:
    """A shutdown while rows wait for their rate slot releases them for the next start."""

    async def story() -> None:
        slow = RecordingSender()
        add_notes(desk, Channel.TELEGRAM, [str(n) for n in range(40)])
        d = dispatcher(desk, {"telegram": slow}, limits=Limits(telegram_per_second=5))
        await d.start()
        await asyncio.sleep(0.5)
        await d.stop()
        assert 0 < len(slow.sent) < 40
        stats = OutboxQueue(desk.store.engine).stats(datetime.now(UTC))  # type: ignore[attr-defined]
        assert stats.in_flight == 0
        assert stats.pending == 40 - len(slow.sent)

    run(story)


def test_a_stop_waits_for_an_upload_in_progress_and_records_it_sent(desk: Desk) -> None:
    """A shutdown while a row uploads a file (its sender says so: uploads) waits as long as an
    upload may take (80 % of the lease, 48 s), not a text's send (its timeout and 5 s): the
    upload cut there went through all the same, and its row was sent again at the next start."""

    async def story() -> None:
        sender = Uploading(delay=6.0)
        add_notes(desk, Channel.TELEGRAM, ["1001"])
        d = dispatcher(desk, {"telegram": sender}, lease=60.0, send_timeout=0.2)
        await d.start()
        await until(lambda: sender.calls)
        await d.stop()
        assert len(sender.sent) == 1
        stats = OutboxQueue(desk.store.engine).stats(datetime.now(UTC))  # type: ignore[attr-defined]
        assert (stats.pending, stats.in_flight, stats.sent) == (0, 0, 1)

    run(story)


class Uploading(RecordingSender):
    """A sender whose rows upload a file (given the upload timeout, not a text's)."""

    def uploads(self, msg: OutboxMessage) -> bool:
        return True


def test_an_upload_slower_than_the_lease_goes_once_while_another_instance_waits(
        desk: Desk) -> None:
    """A file on a slow link takes longer than OUTBOX_LEASE_SECONDS: the instance sending it
    renews its lease while it goes, so a second instance never takes the row (the upload was
    cut at 80 % of the lease and retried, or sent twice), and it is marked sent once."""

    async def story() -> None:
        slow, other = Uploading(delay=3.5), Uploading()
        add_notes(desk, Channel.TELEGRAM, ["1001"])
        a = dispatcher(desk, {"telegram": slow}, lease=1.0, worker_id="a")
        await a.start()
        await until(lambda: bool(slow.calls))
        b = dispatcher(desk, {"telegram": other}, lease=1.0, worker_id="b")
        await b.start()
        await until(lambda: pending(desk) == 0, within=10)
        await asyncio.gather(a.stop(), b.stop())
        assert (len(slow.calls), len(slow.sent), other.calls) == (1, 1, [])
        [row] = rows(desk)
        assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)

    run(story)


def test_a_crashed_instances_row_is_taken_over_once_its_lease_ends(desk: Desk) -> None:
    """An instance that dies while sending renews nothing more: another one sends its row
    once the lease it last renewed ends."""

    async def story() -> None:
        stuck, other = Uploading(delay=3600), Uploading()
        add_notes(desk, Channel.TELEGRAM, ["1001"])
        a = dispatcher(desk, {"telegram": stuck}, lease=1.0, worker_id="a")
        await a.start()
        await until(lambda: bool(stuck.calls))
        await asyncio.sleep(1.5)  # a lease and a half renewed while alive
        for task in asyncio.all_tasks():  # kill -9: no release, no mark, no renewal
            if task.get_name().startswith("outbox"):
                task.cancel()
        crashed = time.monotonic()
        b = dispatcher(desk, {"telegram": other}, lease=1.0, worker_id="b")
        await b.start()
        await until(lambda: pending(desk) == 0, within=10)
        taken = time.monotonic() - crashed
        await b.stop()
        assert (len(other.sent), stuck.sent) == (1, [])
        assert 0.3 < taken < 3.0
        [row] = rows(desk)
        assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)

    run(story)


def test_a_sender_bug_is_a_transient_failure(desk: Desk) -> None:
    """A sender that raises does not stop the dispatcher; the row is retried."""

    class Broken(RecordingSender):
        async def send(self, msg: OutboxMessage) -> Any:
            self.calls.append((time.monotonic(), msg))
            if len(self.calls) == 1:
                raise RuntimeError("bug")
            return await super().send(msg)

    async def story() -> None:
        sender = Broken()
        add_notes(desk, Channel.EMAIL, ["x@mercado.com.br"])
        d = dispatcher(desk, {"email": sender})
        await d.start()
        await until(lambda: pending(desk) == 0)
        await d.stop()
        assert len(sender.sent) == 1

    run(story)


def test_permanent_result_without_ticket_only_fails_the_row(desk: Desk) -> None:
    """A permanent failure of a message with no ticket just marks the row."""

    async def story() -> None:
        sender = RecordingSender()
        sender.script.append(Permanent("bad request", unreachable=True))
        add_notes(desk, Channel.EMAIL, ["x@mercado.com.br"])
        d = dispatcher(desk, {"email": sender})
        await d.start()
        await until(lambda: pending(desk) == 0)
        await d.stop()

    run(story)
    (row,) = rows(desk)
    assert row.status == DeliveryStatus.FAILED
    assert row.last_error == "bad request"
