"""Timed jobs on real databases: R21 with the clock moved, the scheduler's ticks and upkeep."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from fakes.delivery_world import (
    CARLA_CHAT,
    CARLA_EMAIL,
    RecordingSender,
    awaiting_approval,
    deliver_pending,
    pending,
    seed,
)

from bots.runtime import Desk
from bots.scheduler import Scheduler
from core.errors import InvalidTransition
from core.i18n import t
from core.models import Decision, Status
from core.services import closing, tramites
from storage.outbox_sql import OutboxQueue

# The story starts on a past Wednesday at 10:00 in São Paulo, so that every moved clock is still
# in the past (rows written "at" a moment are due from that moment on, and the dispatcher runs on
# the real clock) and the reminders and the close fall on known business days (R14).
T0 = datetime(2026, 9, 16, 13, 0, tzinfo=UTC)


def deliver_all(desk: Desk) -> tuple[RecordingSender, RecordingSender]:
    """Deliver every pending row to recording senders; return the Telegram and e-mail ones."""
    telegram, email = RecordingSender(), RecordingSender()

    asyncio.run(deliver_pending(desk, {"telegram": telegram, "email": email,
                                       "slack": RecordingSender()}))
    assert pending(desk) == 0
    return telegram, email


def sweep_at(desk: Desk, moment: datetime) -> dict[str, int]:
    """Run the scheduler's sweep job once with the clock at `moment`."""
    at = desk.at(moment)
    try:
        report = asyncio.run(Scheduler(at).sweep())
    finally:
        at.close()
    return report.model_dump()


def test_r21_reminders_on_days_5_and_10_close_on_day_15_and_never_reopen(desk: Desk) -> None:
    """Silence after the answer: reminders on days 5 and 10, approved on day 15, for good."""
    people = seed(desk)
    ticket = awaiting_approval(desk.at(T0), people)
    deliver_all(desk)

    assert sweep_at(desk, T0 + timedelta(days=4, hours=23))["reminded"] == 0
    assert sweep_at(desk, T0 + timedelta(days=5, minutes=1))["reminded"] == 1
    assert sweep_at(desk, T0 + timedelta(days=5, hours=2))["reminded"] == 0
    telegram, email = deliver_all(desk)
    assert [m.kind for m in telegram.sent] == ["ticket.approval_reminder"]
    assert telegram.sent[0].params["day"] == 5
    assert [m.target for m in email.sent] == [CARLA_EMAIL]

    # Day 10 is a Saturday: the reminder waits for Monday 28/09 08:00, 12 days by the dates
    # after Wednesday 16/09's answer (11 days 22 hours), and 3 before Thursday 01/10's close.
    assert sweep_at(desk, T0 + timedelta(days=10, minutes=1))["reminded"] == 0
    assert sweep_at(desk, T0 + timedelta(days=12, hours=-2))["reminded"] == 1
    telegram, _ = deliver_all(desk)
    assert [(m.kind, m.params["day"]) for m in telegram.sent] == [
        ("ticket.approval_reminder", 12)]
    assert telegram.sent[0].params["days_left"] == 3

    report = sweep_at(desk, T0 + timedelta(days=15, minutes=1))
    assert (report["auto_closed"], report["reminded"]) == (1, 0)
    assert sweep_at(desk, T0 + timedelta(days=16))["auto_closed"] == 0
    telegram, email = deliver_all(desk)
    assert [m.kind for m in telegram.sent] == ["ticket.auto_closed"]
    assert telegram.sent[0].target == str(CARLA_CHAT)
    assert [m.kind for m in email.sent] == ["ticket.auto_closed"]

    with desk.store() as uow:
        closed = uow.tickets.get(ticket.id)
    assert closed is not None
    assert (closed.status, closed.decision) == (Status.CLOSED, Decision.AUTO_APPROVED)

    later = desk.at(T0 + timedelta(days=17))
    with pytest.raises(InvalidTransition) as refused:
        later.call(closing.not_approve, people.carla, ticket.id, "Ainda dá erro")
    message = t(refused.value.key, "pt_BR", **refused.value.params)
    assert "não pode ser reaberto" in message
    assert ticket.number in message
    with pytest.raises(InvalidTransition) as refused:
        later.call(tramites.add_tramite, people.carla, ticket.id, "Voltou a acontecer")
    message = t(refused.value.key, "pt_BR", **refused.value.params)
    assert "encerrado" in message
    assert "novo ticket" in message
    with pytest.raises(InvalidTransition):
        later.call(closing.approve_with_restrictions, people.carla, ticket.id, "ok")
    assert pending(desk) == 0


def test_the_scheduler_ticks_and_stops_cleanly(desk: Desk) -> None:
    """Started with a short interval, the sweeps run on their own; stop waits for them."""
    seed(desk)

    async def story() -> Scheduler:
        scheduler = Scheduler(desk, sweep_every=0.2, housekeeping_every=0.3)
        await scheduler.start()
        for _ in range(100):
            if scheduler.last_report is not None:
                break
            await asyncio.sleep(0.05)
        await scheduler.stop()
        return scheduler

    scheduler = asyncio.run(story())
    assert scheduler.last_report is not None
    assert not scheduler.last_report.skipped


def test_housekeeping_forgets_old_delivered_rows(desk: Desk) -> None:
    """Delivered rows older than the retention are removed; pending and recent ones stay."""
    people = seed(desk)
    awaiting_approval(desk.at(T0 - timedelta(days=30)), people)
    deliver_all(desk)
    engine = desk.store.engine  # type: ignore[attr-defined]
    from sqlalchemy import update

    from storage.tables import outbox

    with engine.begin() as conn:
        conn.execute(update(outbox).values(sent_at=T0 - timedelta(days=30)))
    before = OutboxQueue(engine).stats(datetime.now(UTC)).sent
    assert before > 0
    gone = asyncio.run(Scheduler(desk, queue=OutboxQueue(engine)).housekeeping())
    assert gone == before
    assert OutboxQueue(engine).stats(datetime.now(UTC)).sent == 0


def test_housekeeping_is_done_by_one_instance_and_jobs_status_shows_it(desk: Desk) -> None:
    """Every instance ran the housekeeping each hour, unlocked: two instances did the work
    twice. It runs under a lock, and an instance finding it done by another within half its
    interval leaves it (old rows written meanwhile wait for the next run); each run is
    recorded for `jobs status`, the skipped one naming who did it."""
    from sqlalchemy import update

    from storage.job_runs import JobRuns
    from storage.tables import outbox

    engine = desk.store.engine  # type: ignore[attr-defined]
    people = seed(desk)

    def old_sent_rows() -> int:
        awaiting_approval(desk.at(T0 - timedelta(days=30)), people)
        deliver_all(desk)
        with engine.begin() as conn:
            conn.execute(update(outbox).values(sent_at=T0 - timedelta(days=30)))
        return OutboxQueue(engine).stats(datetime.now(UTC)).sent

    runs = JobRuns(engine)
    first, second = (Scheduler(desk, queue=OutboxQueue(engine), runs=runs, worker=name)
                     for name in ("vm1:10:aaaa", "vm2:20:bbbb"))
    before = old_sent_rows()
    assert asyncio.run(first.housekeeping()) == before
    left = old_sent_rows()
    assert asyncio.run(second.housekeeping()) == 0
    assert OutboxQueue(engine).stats(datetime.now(UTC)).sent == left
    latest = {(r.job, r.worker): (r.outcome, r.detail) for r in runs.latest(datetime.now(UTC))}
    assert latest == {
        ("housekeeping", "vm1:10:aaaa"): ("done", f'{{"outbox_removed": {before}}}'),
        ("housekeeping", "vm2:20:bbbb"): ("recent", "vm1:10:aaaa")}


def test_the_scheduler_starts_whatever_the_machines_tz_says(
        desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """TZ in POSIX form (BRT3, as some servers set it) is no zoneinfo key; `helpdesk run` died
    on it while scheduling the sweeps, which need an interval and no time zone."""
    import tzlocal.unix

    monkeypatch.setenv("TZ", "BRT3")
    monkeypatch.setattr(tzlocal.unix, "_cache_tz", None)

    async def story() -> None:
        scheduler = Scheduler(desk, sweep_every=3600, housekeeping_every=3600)
        await scheduler.start()
        await scheduler.stop()

    asyncio.run(story())


def test_the_housekeeping_forgets_the_slack_notes_kept_over_a_week(desk: Desk) -> None:
    """slack_kept_notes (a refused note kept for its button, a card's note form) grew for ever:
    the housekeeping removes those kept over 7 days, used or not, once across the instances,
    and jobs status counts them; a note kept within the week stays, its button working."""
    from storage.extras import SlackKeptNote
    from storage.job_runs import JobRuns

    engine = desk.store.engine  # type: ignore[attr-defined]
    people = seed(desk)
    ticket = awaiting_approval(desk.at(T0), people)
    now = datetime.now(UTC)
    kept = {"old-used": now - timedelta(days=8), "old": now - timedelta(days=7, minutes=1),
            "card:1:UANA:0": now - timedelta(days=30), "fresh": now - timedelta(days=6)}
    with desk.store() as uow:
        for token, at in kept.items():
            uow.slack_kept_notes.keep(SlackKeptNote(  # type: ignore[attr-defined]
                token=token, ticket_id=ticket.id or 0, slack_id="UANA",
                text="" if token.startswith("card:") else "Nota recusada", kept_at=at))
        uow.slack_kept_notes.use("old-used", now - timedelta(days=8))  # type: ignore[attr-defined]
        uow.commit()

    runs = JobRuns(engine)
    first, second = (Scheduler(desk, queue=OutboxQueue(engine), runs=runs, worker=name)
                     for name in ("vm1:10:aaaa", "vm2:20:bbbb"))
    asyncio.run(first.housekeeping())
    asyncio.run(second.housekeeping())
    with desk.store() as uow:
        left = [token for token in kept
                if uow.slack_kept_notes.get(token) is not None]  # type: ignore[attr-defined]
    assert left == ["fresh"]
    latest = {(r.job, r.worker): (r.outcome, r.detail) for r in runs.latest(datetime.now(UTC))}
    assert latest[("housekeeping", "vm1:10:aaaa")] == ("done", '{"kept_notes_removed": 3}')
    assert latest[("housekeeping", "vm2:20:bbbb")] == ("recent", "vm1:10:aaaa")
