"""The outbox queue in SQL: ordered per destination, leases, shared rate buckets, upkeep."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, update

from core.outbox import Channel, DeliveryStatus, OutboxMessage
from storage.delivery_tables import outbox_workers
from storage.outbox_sql import OutboxQueue
from storage.sql import SqlStore
from storage.tables import outbox

LEASE = timedelta(seconds=30)


def _now() -> datetime:
    return datetime.now(UTC)


def _add(store: SqlStore, channel: Channel, target: str, n: int = 1, **params: object
         ) -> list[int]:
    ids = []
    with store() as uow:
        for i in range(n):
            msg = OutboxMessage(channel=channel, target=target, kind="test.note",
                                params={"i": i, **params}, created_at=_now(),
                                next_attempt_at=_now())
            ids.append(uow.outbox.add(msg).id)
        uow.commit()
    return ids


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    s = SqlStore(db_url)
    yield s
    s.dispose()


def test_one_row_per_destination_in_order_until_it_is_done(store: SqlStore) -> None:
    """The second message to a chat waits for the first; other chats go in parallel."""
    queue = OutboxQueue(store.engine)
    first, second = _add(store, Channel.TELEGRAM, "10", 2)
    other = _add(store, Channel.TELEGRAM, "20")[0]
    claimed = queue.claim("w1", _now(), LEASE, 10)
    assert [c.message.id for c in claimed] == [first, other]
    assert queue.claim("w2", _now(), LEASE, 10) == []
    assert queue.mark_sent(first, _now())
    assert [c.message.id for c in queue.claim("w2", _now(), LEASE, 10)] == [second]


def test_a_permanent_failure_unblocks_the_destination(store: SqlStore) -> None:
    """A failed row no longer holds back the rows after it."""
    queue = OutboxQueue(store.engine)
    first, second = _add(store, Channel.EMAIL, "carla@mercado.com.br", 2)
    queue.claim("w1", _now(), LEASE, 10)
    assert queue.mark_failed(first, "550 mailbox unavailable")
    assert [c.message.id for c in queue.claim("w1", _now(), LEASE, 10)] == [second]
    assert queue.get(first).status == DeliveryStatus.FAILED  # type: ignore[union-attr]


def test_an_expired_lease_comes_back_to_another_worker(store: SqlStore) -> None:
    """A worker that died holding a row: once the lease ends, another worker takes it."""
    queue = OutboxQueue(store.engine)
    (row,) = _add(store, Channel.TELEGRAM, "10")
    t0 = _now()
    assert len(queue.claim("dead", t0, timedelta(seconds=5), 10)) == 1
    assert queue.claim("alive", t0 + timedelta(seconds=4), LEASE, 10) == []
    again = queue.claim("alive", t0 + timedelta(seconds=6), LEASE, 10)
    assert [c.message.id for c in again] == [row]
    assert again[0].message.attempts == 2


def test_a_renewed_lease_holds_the_row_past_its_first_end(store: SqlStore) -> None:
    """A worker still sending renews its lease: nobody takes the row at the first lease's end;
    only its holder renews it, and a row taken over or done is no longer its own."""
    queue = OutboxQueue(store.engine)
    (row,) = _add(store, Channel.TELEGRAM, "10")
    t0 = _now()
    five = timedelta(seconds=5)
    assert len(queue.claim("sending", t0, five, 10)) == 1
    assert queue.renew("other", [row], t0 + timedelta(seconds=4), five) == set()
    assert queue.renew("sending", [row], t0 + timedelta(seconds=4), five) == {row}
    assert queue.claim("other", t0 + timedelta(seconds=6), LEASE, 10) == []
    taken = queue.claim("other", t0 + timedelta(seconds=10), LEASE, 10)
    assert [c.message.id for c in taken] == [row]
    assert queue.renew("sending", [row], t0 + timedelta(seconds=10), five) == set()
    assert queue.mark_sent(row, t0 + timedelta(seconds=11))
    assert queue.renew("other", [row], t0 + timedelta(seconds=11), five) == set()


def test_channel_slots_keep_the_overall_rate(store: SqlStore) -> None:
    """Slots on a rate-limited channel are spaced by its interval, within the lookahead."""
    queue = OutboxQueue(store.engine)
    for chat in range(10):
        _add(store, Channel.TELEGRAM, str(100 + chat))
    _add(store, Channel.EMAIL, "ana@suporte.com.br")
    now = _now()
    claimed = queue.claim("w1", now, LEASE, 50, channel_intervals={"telegram": 0.1},
                          lookahead=0.35)
    slots = sorted(c.send_at for c in claimed if c.message.channel == Channel.TELEGRAM)
    assert len(slots) == 4
    assert [round(b - a, 3) for a, b in zip(slots, slots[1:], strict=False)] == [0.1] * 3
    assert any(c.message.channel == Channel.EMAIL for c in claimed)
    # Another instance at the same moment finds the next slot beyond the lookahead.
    assert queue.claim("w2", now, LEASE, 50, channel_intervals={"telegram": 0.1},
                       lookahead=0.35) == []
    later = queue.claim("w2", now + timedelta(seconds=0.4), LEASE, 50,
                        channel_intervals={"telegram": 0.1}, lookahead=0.35)
    assert min(c.send_at for c in later) >= slots[-1] + 0.1 - 1e-6


def test_a_destination_waits_its_gap_after_a_delivery(store: SqlStore) -> None:
    """One message per second to a chat: the next row is due only after the gap."""
    queue = OutboxQueue(store.engine)
    first, second = _add(store, Channel.TELEGRAM, "10", 2)
    t0 = _now()
    queue.claim("w1", t0, LEASE, 10)
    queue.mark_sent(first, t0, destination_gap=1.0)
    assert queue.claim("w1", t0 + timedelta(seconds=0.5), LEASE, 10) == []
    assert [c.message.id for c in queue.claim("w1", t0 + timedelta(seconds=1.01), LEASE, 10)
            ] == [second]


def test_retry_after_holds_the_row_and_the_channel(store: SqlStore) -> None:
    """A platform's retry_after: this row and the whole channel wait exactly that long."""
    queue = OutboxQueue(store.engine)
    (row,) = _add(store, Channel.TELEGRAM, "10")
    (other,) = _add(store, Channel.TELEGRAM, "20")
    (mail,) = _add(store, Channel.EMAIL, "carla@mercado.com.br")
    t0 = _now()
    queue.claim("w1", t0, LEASE, 1)
    queue.mark_retry(row, "429", t0 + timedelta(seconds=3), pause_channel="telegram")
    ids = [c.message.id for c in queue.claim("w1", t0, LEASE, 10)]
    assert ids == [mail]
    assert queue.claim("w1", t0 + timedelta(seconds=1.9), LEASE, 10, lookahead=1.0) == []
    # Within the lookahead the other chat gets a slot, never before the pause ends.
    early = queue.claim("w1", t0 + timedelta(seconds=2.5), LEASE, 10, lookahead=1.0)
    assert [c.message.id for c in early] == [other]
    assert early[0].send_at >= (t0 + timedelta(seconds=3)).timestamp()
    back = queue.claim("w1", t0 + timedelta(seconds=3.0), LEASE, 10)
    assert [c.message.id for c in back] == [row]


def test_retry_puts_failed_rows_back_and_status_counts_them(store: SqlStore) -> None:
    """`helpdesk outbox retry`: failed rows are pending again; status shows the counts."""
    queue = OutboxQueue(store.engine)
    a, b = _add(store, Channel.EMAIL, "x@mercado.com.br", 2)
    queue.claim("w1", _now(), LEASE, 10)
    queue.mark_failed(a, "550")
    queue.claim("w1", _now(), LEASE, 10)
    queue.mark_sent(b, _now())
    stats = queue.stats(_now())
    assert (stats.pending, stats.failed, stats.sent) == (0, 1, 1)
    assert stats.by_channel == {"email": {"failed": 1, "sent": 1}}
    assert queue.retry(_now(), [b]) == 0
    assert queue.retry(_now()) == 1
    stats = queue.stats(_now())
    assert (stats.pending, stats.failed, stats.oldest_pending_at is not None) == (1, 0, True)


@pytest.mark.parametrize(("language", "reason"), [
    ("pt_BR", "mensagem inválida (channel: "), ("en", "invalid message (channel: ")])
def test_a_row_with_an_unknown_channel_fails_instead_of_blocking(
        store: SqlStore, language: str, reason: str) -> None:
    """A row no sender could ever take (unknown channel) is marked failed at claim time, the
    reason in LANGUAGE (it was Portuguese whatever LANGUAGE said)."""
    queue = OutboxQueue(store.engine, language)
    now = _now()
    with store.engine.begin() as conn:
        row = conn.execute(insert(outbox).values(
            channel="pombo", target="x", kind="test.note", params={}, created_at=now,
            status="pending", attempts=0, destination="pombo:x", available_at=now,
        )).inserted_primary_key[0]
    assert queue.claim("w1", now, LEASE, 10) == []
    failed = queue.get(row)
    assert failed is not None
    assert failed.status == DeliveryStatus.FAILED
    assert (failed.last_error or "").startswith(reason), failed.last_error


def test_rows_of_channels_nobody_here_sends_fail_in_one_go(store: SqlStore) -> None:
    """Only the pending, unleased rows of unserved channels fail, each with its channel named;
    the claim never hands them out."""
    queue = OutboxQueue(store.engine)
    slack = _add(store, Channel.SLACK, "triage", 3)
    leased = _add(store, Channel.EMAIL, "carla@mercado.com.br")[0]
    telegram = _add(store, Channel.TELEGRAM, "10")[0]
    assert [c.message.id for c in queue.claim("other", _now(), LEASE, 10,
                                              channels=["email"])] == [leased]
    assert queue.claim("w1", _now(), LEASE, 10, channels=["telegram"])[0].message.id == telegram
    failed = queue.beat("w1", ["telegram"], _now(), timedelta(0), "sem remetente: ")
    assert failed == {"slack": (3, "sem remetente: ")}
    for row_id in slack:
        row = queue.get(row_id)
        assert row is not None
        assert row.status == DeliveryStatus.FAILED
        assert row.last_error == "sem remetente: slack"
    assert queue.get(leased).status == DeliveryStatus.PENDING  # type: ignore[union-attr]
    assert queue.get(telegram).status == DeliveryStatus.PENDING  # type: ignore[union-attr]
    assert queue.beat("w1", ["telegram"], _now(), timedelta(0), "sem remetente: ") == {}


def test_rows_of_a_channel_no_instance_ever_served_fail_at_once(store: SqlStore) -> None:
    """With no Slack anywhere, the Slack rows waited a whole grace (the lease, 60 s) after the
    start before they failed. A channel no instance of the last day served fails at the first
    beat of an instance started on a running desk, saying so; one whose instance went away
    keeps the grace (it may come back)."""
    queue = OutboxQueue(store.engine)
    grace = timedelta(seconds=60)
    slack = _add(store, Channel.SLACK, "triage", 2)
    mail = _add(store, Channel.EMAIL, "carla@mercado.com.br")
    queue.beat("with-mail", ["email"], _now(), grace, "-")
    with store.engine.begin() as conn:  # up for five minutes, stopped just now
        conn.execute(update(outbox_workers).values(started_at=_now() - timedelta(minutes=5)))
    queue.stopped("with-mail", _now())
    failed = queue.beat("telegram-only", ["telegram"], _now(), grace, "sem remetente: ",
                        "nunca configurado: ")
    assert failed == {"slack": (2, "nunca configurado: ")}
    assert [(r.status, r.last_error) for r in map(queue.get, slack) if r] == [
        (DeliveryStatus.FAILED, "nunca configurado: slack")] * 2
    assert queue.get(mail[0]).status == DeliveryStatus.PENDING  # type: ignore[union-attr]


def test_two_instances_starting_together_on_a_new_database_fail_nothing_either_sends(
        store: SqlStore) -> None:
    """No instance ran on this database yet; two start at the same moment, the one without
    Telegram beating first. Its first beat failed the Telegram rows at once ('never served');
    they now wait until an instance has been up a grace, by when the other has beaten."""
    queue = OutboxQueue(store.engine)
    grace = timedelta(seconds=60)
    telegram = _add(store, Channel.TELEGRAM, "1001", 2)
    slack = _add(store, Channel.SLACK, "triage")
    assert queue.beat("mail-only", ["email"], _now(), grace, "-", "nunca: ") == {}
    assert queue.beat("with-telegram", ["telegram"], _now(), grace, "-", "nunca: ") == {}
    assert queue.beat("mail-only", ["email"], _now(), grace, "-", "nunca: ") == {}
    assert [queue.get(i).status for i in telegram + slack] == [DeliveryStatus.PENDING] * 3  # type: ignore[union-attr]
    with store.engine.begin() as conn:  # a grace later: the channel no one has fails
        conn.execute(update(outbox_workers).values(started_at=_now() - grace * 2))
    assert queue.beat("mail-only", ["email"], _now(), grace, "-", "nunca: ") == {
        "slack": (1, "nunca: ")}
    assert [queue.get(i).status for i in telegram] == [DeliveryStatus.PENDING] * 2  # type: ignore[union-attr]


def test_an_instance_whose_clock_is_behind_still_serves_its_channel(store: SqlStore) -> None:
    """Instances on several machines: the one with Slack has a clock two minutes behind. Its
    heartbeat is still seen as alive by the other (the database's clock dates them), so the
    other fails none of its Slack rows; they failed, its heartbeat taken for two minutes old."""
    if store.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's instances share one machine and its clock")
    queue = OutboxQueue(store.engine)
    grace = timedelta(seconds=60)
    now = _now()
    rows = _add(store, Channel.SLACK, "triage", 2)
    queue.beat("telegram-only", ["telegram"], now, grace, "-")
    with store.engine.begin() as conn:  # up for five minutes: it fails what nobody serves
        conn.execute(update(outbox_workers).values(started_at=now - timedelta(minutes=5)))
    queue.beat("with-slack", ["slack"], now - timedelta(minutes=2), grace, "-")  # behind
    assert queue.beat("telegram-only", ["telegram"], now, grace, "-") == {}
    assert [queue.get(i).status for i in rows] == [DeliveryStatus.PENDING] * 2  # type: ignore[union-attr]


def test_purge_forgets_old_sent_rows(store: SqlStore) -> None:
    """Housekeeping removes delivered rows older than the cutoff, keeps the rest."""
    queue = OutboxQueue(store.engine)
    old, new = _add(store, Channel.EMAIL, "x@mercado.com.br", 2)
    queue.claim("w", _now(), LEASE, 10)
    queue.mark_sent(old, _now() - timedelta(days=10))
    with store.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == old)
                     .values(sent_at=_now() - timedelta(days=10)))
    assert queue.purge(sent_before=_now() - timedelta(days=7),
                       failed_before=_now() - timedelta(days=30), now=_now()) == 1
    assert queue.get(old) is None
    assert queue.get(new) is not None


def test_concurrent_claimers_never_take_the_same_row(store: SqlStore) -> None:
    """Four workers claiming at once (SKIP LOCKED / BEGIN IMMEDIATE): each row once."""
    queue = OutboxQueue(store.engine)
    for chat in range(120):
        _add(store, Channel.EMAIL, f"c{chat}@mercado.com.br")
    taken: Counter[int] = Counter()
    lock = threading.Lock()

    def work(name: str) -> None:
        while True:
            rows = queue.claim(name, _now(), LEASE, 7)
            if not rows:
                return
            with lock:
                taken.update(c.message.id for c in rows if c.message.id)
            for c in rows:
                queue.mark_sent(c.message.id or 0, _now())
            time.sleep(0.001)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(taken) == 120
    assert set(taken.values()) == {1}
    assert queue.stats(_now()).pending == 0


def test_a_backlog_on_one_channel_does_not_hold_the_others(store: SqlStore) -> None:
    """A long Telegram queue (slots for a few only) does not delay an e-mail written after it."""
    queue = OutboxQueue(store.engine)
    for chat in range(40):
        _add(store, Channel.TELEGRAM, str(100 + chat))
    (mail,) = _add(store, Channel.EMAIL, "ana@suporte.com.br")
    claimed = queue.claim("w1", _now(), LEASE, 10, channel_intervals={"telegram": 0.1},
                          lookahead=0.25)
    channels = Counter(c.message.channel for c in claimed)
    assert channels == {Channel.TELEGRAM: 3, Channel.EMAIL: 1}
    assert mail in [c.message.id for c in claimed]


def test_a_row_being_sent_does_not_cover_a_later_change(store: SqlStore) -> None:
    """A redraw already claimed may have read the data before the change: a new one is added,
    and waits behind it; a row waiting again after a failure covers the change."""
    queue = OutboxQueue(store.engine)
    [first] = _add(store, Channel.SLACK, "home:UANA")
    [claimed] = queue.claim("w1", _now(), LEASE, 10)
    again = OutboxMessage(channel=Channel.SLACK, target="home:UANA", kind="test.note",
                          created_at=_now(), next_attempt_at=_now())
    with store() as uow:
        assert uow.outbox.add_unless_waiting(again, _now()) is True
        uow.commit()
    assert queue.claim("w2", _now(), LEASE, 10) == []
    queue.mark_retry(first, "ratelimited", _now())
    with store() as uow:
        later = again.model_copy(update={"id": None})
        assert uow.outbox.add_unless_waiting(later, _now()) is False


def test_a_card_redraw_being_sent_does_not_cover_the_next_of_its_ticket(store: SqlStore
                                                                        ) -> None:
    """A card's redraw already claimed may have read the ticket before the change: a new one
    is added. On PostgreSQL one still waiting, relied on, is locked until the change commits,
    so no worker claims it and draws the card as it was."""
    from storage_world import World

    world, queue = World(store), OutboxQueue(store.engine)
    with store() as uow:
        ticket = world.open(uow).id
        uow.commit()

    def redraw() -> OutboxMessage:
        return OutboxMessage(channel=Channel.SLACK, target="cards", kind="card.redraw",
                             ticket_id=ticket, created_at=_now(), next_attempt_at=_now())

    with store() as uow:
        uow.outbox.add(redraw())
        uow.commit()
    [first] = queue.claim("w1", _now(), LEASE, 10)
    with store() as uow:
        assert len(uow.outbox.add_unless_pending([redraw()], _now())) == 1
        uow.commit()
    queue.mark_sent(first.message.id or 0, _now())
    if store.engine.dialect.name != "postgresql":
        return  # SQLite: a claim waits for the change's transaction to end anyway
    with store() as uow:
        assert uow.outbox.add_unless_pending([redraw()], _now()) == []
        assert queue.claim("w2", _now(), LEASE, 10) == []  # held by the change
        uow.commit()
    assert len(queue.claim("w2", _now(), LEASE, 10)) == 1


def test_attempts_the_channel_refused_are_counted_and_a_retry_keeps_a_maybe_delivered_one(
        store: SqlStore) -> None:
    """An attempt the channel refused is known not delivered (unposted); `outbox retry`
    starts a row's attempts again, keeping one when an attempt may have been delivered."""
    queue = OutboxQueue(store.engine)
    refused, unknown = _add(store, Channel.SLACK, "user:U1")[0], \
        _add(store, Channel.SLACK, "user:U2")[0]
    for row in (refused, unknown):
        queue.claim("w1", _now(), LEASE, 10)
        queue.mark_retry(row, "429", _now(), unposted=row == refused)
        queue.claim("w1", _now(), LEASE, 10)
        queue.mark_failed(row, "gave up", unposted=row == refused)
    counts = {r: (m.attempts, m.unposted) for r in (refused, unknown)
              if (m := queue.get(r)) is not None}
    assert counts == {refused: (2, 2), unknown: (2, 0)}
    assert queue.retry(_now()) == 2
    counts = {r: (m.attempts, m.unposted) for r in (refused, unknown)
              if (m := queue.get(r)) is not None}
    assert counts == {refused: (0, 0), unknown: (1, 0)}


@pytest.mark.postgres
@pytest.mark.parametrize("skew", [timedelta(minutes=5), -timedelta(minutes=5)])
def test_reach_judges_a_heartbeat_by_the_database_clock(
        new_db_url: Callable[[str], str], skew: timedelta) -> None:
    """Instances on machines whose clocks differ: PostgreSQL dates the heartbeats by its own
    clock, and Reach read their age by this machine's. Five minutes ahead, a live instance
    sending e-mail looked dead (no e-mail promised); five behind, one gone two minutes ago still
    looked live (the e-mail promised, its row failed). The database's clock judges now."""
    from bots.delivery.reach import Reach

    store = SqlStore(new_db_url("postgres"))
    try:
        queue = OutboxQueue(store.engine)
        queue.beat("outra", {"email"}, _now(), timedelta(seconds=60), "unserved: ")
        skewed = Reach(store.engine, 60, clock=lambda: _now() + skew)
        assert skewed() == {"email"}
        with store.engine.begin() as conn:
            conn.execute(update(outbox_workers).values(
                seen_at=func.now() - timedelta(minutes=2)))
        assert Reach(store.engine, 60, clock=lambda: _now() + skew)() == frozenset()
    finally:
        store.dispose()
