"""Outbox delivery in SQL: rate-aware claims, marks, shared rate buckets, status and upkeep.

Every function runs in its own short transaction on the engine (BEGIN IMMEDIATE on SQLite,
row locks with SKIP LOCKED on PostgreSQL), so N workers in M processes share one queue:
- one ordered queue per destination: a row goes only when no older row of its destination is
  still pending (a claimed row is still pending, so the next one waits for it);
- a claim is a lease: available_at moves to the lease's end, so a crashed worker's rows come
  back by themselves;
- rate buckets (GCRA, "theoretical arrival time" in epoch seconds) are read and advanced in
  the claim's transaction, so the claim itself keeps the limits across instances.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    String,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from core.i18n import t
from core.outbox import RESUME, Channel, DeliveryStatus, OutboxMessage
from storage.delivery_tables import outbox_workers, rate_buckets
from storage.engine import turn
from storage.tables import outbox
from storage.values import as_json

_COLS = [outbox.c[f] for f in OutboxMessage.model_fields]
PENDING, SENT, FAILED = DeliveryStatus.PENDING, DeliveryStatus.SENT, DeliveryStatus.FAILED
# Built once: aliasing the table per claim made ~17 Column objects and a new cache key each time.
_EARLIER = outbox.alias("earlier")


def channel_key(channel: str) -> str:
    """The bucket of a whole channel (overall rate, and pauses asked by the platform)."""
    return f"channel:{channel}"


@dataclass(frozen=True)
class Claimed:
    """A leased row and the moment (epoch seconds) its channel's rate lets it go."""

    message: OutboxMessage
    send_at: float


@dataclass(frozen=True)
class OutboxStats:
    """What `helpdesk outbox status` shows."""

    pending: int
    in_flight: int
    failed: int
    sent: int
    oldest_pending_at: datetime | None
    by_channel: dict[str, dict[str, int]]
    retrying: dict[str, tuple[int, str]] = field(default_factory=dict)
    """By channel, the pending rows an attempt failed on and the latest one's error."""
    terminal_unread: int = 0
    """The terminal chat's notices its person has not read yet: no backlog (no worker sends
    them), so neither in `pending`, its oldest, nor `by_channel`."""


@dataclass(frozen=True)
class Worker:
    """A dispatcher as its heartbeat shows it (`helpdesk outbox status`)."""

    worker: str
    channels: tuple[str, ...]
    started_at: datetime
    seen_at: datetime
    stopped_at: datetime | None


FORGET_WORKERS = timedelta(days=1)
"""A heartbeat older than this is removed: its instance is long gone."""


class OutboxQueue:
    """The delivery side of the outbox table, over one engine."""

    def __init__(self, engine: Engine, language: str = "pt_BR") -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.language = language
        """Of the reason a broken row gets (LANGUAGE: operators read it in `outbox status`)."""

    # -- claiming ----------------------------------------------------------------------------

    def claim(self, worker: str, now: datetime, lease: timedelta, limit: int, *,
              channel_intervals: Mapping[str, float] | None = None, lookahead: float = 1.0,
              channels: Collection[str] | None = None) -> list[Claimed]:
        """Lease up to `limit` due rows, each the oldest pending of its destination.

        A destination whose bucket is in the future is skipped. A channel with an interval
        hands out send slots `interval` apart, only those within `lookahead` seconds, and is
        queried on its own, so a backlog on one channel never holds the others back.
        """
        intervals = dict(channel_intervals or {})
        epoch = now.timestamp()
        with turn(self.engine), self.engine.begin() as conn:
            cursors = self._cursors(conn, epoch, intervals, epoch + lookahead)
            chosen: list[tuple[int, float]] = []
            paced = [c for c in intervals if channels is None or c in channels]
            for channel in paced:
                cursor = cursors[channel]
                room = min(cursor.room(), limit - len(chosen))
                if room > 0:
                    rows = conn.execute(*self._due(now, epoch, room, only=[channel])).all()
                    chosen += [(r.id, cursor.take()) for r in rows]
            held = [c for c, cur in cursors.items() if c in intervals or cur.room() == 0]
            if len(chosen) < limit:
                rows = conn.execute(*self._due(now, epoch, limit - len(chosen), only=channels,
                                              skip=held)).all()
                chosen += [(r.id, cursors[r.channel].tat if r.channel in cursors else epoch)
                           for r in rows]
            for channel, cursor in cursors.items():
                if cursor.moved:
                    self._raise_bucket(conn, channel_key(channel), cursor.tat)
            if not chosen:
                return []
            ids = [i for i, _ in chosen]
            until = now + lease
            conn.execute(
                update(outbox).where(outbox.c.id.in_(ids)).values(
                    claimed_by=worker, claimed_until=until, available_at=until,
                    attempts=outbox.c.attempts + 1)
            )
            found, broken = self._parse(conn.execute(
                select(*_COLS).where(outbox.c.id.in_(ids)).order_by(outbox.c.id)))
            for message_id, error in broken.items():
                self._finish(conn, message_id, status=FAILED, last_error=error)
        return sorted((Claimed(found[i], slot) for i, slot in chosen if i in found),
                      key=lambda c: c.message.id or 0)

    def renew(self, worker: str, message_ids: Collection[int], now: datetime,
              lease: timedelta) -> set[int]:
        """Extend this worker's leases of these rows to `now + lease` (a send still going
        out); the ids it still holds (another worker took the others once their lease ended,
        or they are done)."""
        if not message_ids:
            return set()
        until = now + lease
        with turn(self.engine), self.engine.begin() as conn:
            held = conn.execute(
                update(outbox).where(outbox.c.id.in_(list(message_ids)),
                                     outbox.c.claimed_by == worker, outbox.c.status == PENDING)
                .values(claimed_until=until, available_at=until).returning(outbox.c.id))
            return set(held.scalars())

    @staticmethod
    def _fail_stmt(served: Collection[str], now: datetime, reason: str) -> Any:
        """Fail the pending, unleased rows of every channel not in `served`, `reason` prefixed
        to the channel's name (the terminal chat's wait for its person: no worker serves them);
        it returns each failed row's channel."""
        return (update(outbox)
                .where(outbox.c.status == PENDING,
                       outbox.c.channel.not_in([*served, Channel.TERMINAL.value]),
                       or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until <= now))
                .values(status=FAILED, last_error=literal(reason) + outbox.c.channel,
                        claimed_by=None, claimed_until=None)
                .returning(outbox.c.channel))

    def beat(self, worker: str, served: Collection[str], now: datetime, grace: timedelta,
             reason: str, never: str | None = None) -> dict[str, tuple[int, str]]:
        """Record this dispatcher's heartbeat and channels; then fail the rows of the channels
        no instance seen within `grace` serves (_fail_stmt, `reason`), once this one has been up
        that long itself (the others may not have beaten yet). With `never`, the rows of a
        channel no heartbeat of the last day lists fail with that reason once some live
        instance has been up for `grace`: no instance that went away may come back for them,
        and any instance started with that one has beaten by then (on a database no instance
        ran on lately, the first to beat failed the rows of one starting at the same moment).
        On PostgreSQL the heartbeats are dated by the database's clock:
        instances on machines whose clocks differ by more than `grace` would take each other for
        dead. It returns each channel's failed rows and their reason."""
        channels = ",".join(sorted(served))
        clock = self._clock(now)
        values = {"worker": worker[:200], "channels": channels, "started_at": clock,
                  "seen_at": clock}
        ins: Any = (postgresql.insert(outbox_workers) if self.dialect == "postgresql"
                    else sqlite.insert(outbox_workers)).values(**values)
        ins = ins.on_conflict_do_update(index_elements=[outbox_workers.c.worker],
                                        set_={"channels": channels, "seen_at": clock})
        me = outbox_workers.c.worker == worker[:200]
        failed: dict[str, tuple[int, str]] = {}
        with turn(self.engine), self.engine.begin() as conn:
            conn.execute(ins)
            conn.execute(delete(outbox_workers).where(
                outbox_workers.c.seen_at < clock - FORGET_WORKERS))
            live_now = outbox_workers.c.seen_at > clock - grace
            beats = conn.execute(select(outbox_workers.c.channels, live_now,
                                        outbox_workers.c.started_at <= clock - grace)).all()
            if never is not None and any(seen and old for _, seen, old in beats):
                ever = set(served).union(*(_listed(c) for c, _, _ in beats))
                failed = _counted(conn.execute(self._fail_stmt(ever, now, never)), never)
            if conn.execute(select(outbox_workers.c.started_at > clock - grace).where(me)
                            ).scalar_one():
                return failed
            live = set(served).union(*(_listed(c) for c, seen, _ in beats if seen))
            return failed | _counted(conn.execute(self._fail_stmt(live, now, reason)), reason)

    def _clock(self, now: datetime) -> Any:
        """The heartbeats' clock: the database's on PostgreSQL (one for every machine), this
        process's on SQLite (one machine)."""
        return func.now() if self.dialect == "postgresql" else now

    def workers(self, now: datetime, within: timedelta = FORGET_WORKERS) -> list[Worker]:
        """The dispatchers seen within `within` of `now` (the heartbeats' clock, as
        workers_now reads it), the latest seen first."""
        return self._seen_after(now - within)

    def workers_now(self, now: datetime, within: timedelta = FORGET_WORKERS
                    ) -> tuple[datetime, list[Worker]]:
        """The heartbeats' clock at this moment (the database's on PostgreSQL: an instance's
        age read by another machine's clock is off by the clocks' difference; `now` on
        SQLite) and the workers seen within `within` of it, read in one statement (a check
        that looks again and again, at the start, makes one round trip a look)."""
        if self.dialect != "postgresql":
            return now, self.workers(now, within)
        clock = select(func.now().label("clock")).subquery()
        seen = outbox_workers.c.seen_at > clock.c.clock - within
        with turn(self.engine), self.engine.connect() as conn:
            rows = conn.execute(select(clock.c.clock, outbox_workers).select_from(
                clock.outerjoin(outbox_workers, seen)).order_by(
                outbox_workers.c.seen_at.desc(), outbox_workers.c.worker)).all()
        return rows[0].clock, [_worker(r) for r in rows if r.worker is not None]

    def live(self, now: datetime, within: timedelta) -> list[Worker]:
        """The dispatchers seen within `within` by the heartbeats' clock, read in the same
        statement (PostgreSQL's now(); `now`, this process's clock, on SQLite)."""
        return self._seen_after(self._clock(now) - within)

    def _seen_after(self, since: Any) -> list[Worker]:
        with turn(self.engine), self.engine.connect() as conn:
            rows = conn.execute(select(outbox_workers).where(
                outbox_workers.c.seen_at > since).order_by(
                outbox_workers.c.seen_at.desc(), outbox_workers.c.worker)).all()
        return [_worker(r) for r in rows]

    def stopped(self, worker: str, now: datetime) -> None:
        """Record a clean stop (its channels still count as served for the grace time, so a
        restart fails nothing)."""
        with turn(self.engine), self.engine.begin() as conn:
            clock = self._clock(now)
            conn.execute(update(outbox_workers).where(outbox_workers.c.worker == worker[:200])
                         .values(seen_at=clock, stopped_at=clock))

    def _parse(self, rows: Any) -> tuple[dict[int, OutboxMessage], dict[int, str]]:
        """Rows as messages; a row that is not a valid message (unknown channel...) is broken."""
        found: dict[int, OutboxMessage] = {}
        broken: dict[int, str] = {}
        for row in rows:
            try:
                found[row.id] = OutboxMessage.model_validate(row._mapping)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                broken[row.id] = t("outbox.invalid_row", self.language, where=where,
                                   error=first["msg"])
        return found, broken

    def _due(self, now: datetime, epoch: float, limit: int, *,
             only: Collection[str] | None = None, skip: Collection[str] = ()
             ) -> tuple[Any, dict[str, Any]]:
        """The query for due rows and its parameters."""
        stmt = _due_statement(self.dialect, only is not None, bool(skip))
        params: dict[str, Any] = {"now": now, "epoch": epoch, "limit": limit}
        if only is not None:
            params["only"] = list(only)
        if skip:
            params["skip"] = list(skip)
        return stmt, params

    def _cursors(self, conn: Connection, epoch: float, intervals: dict[str, float],
                 horizon: float) -> dict[str, _Cursor]:
        """Slot cursors of the paced channels and of every channel held by a pause."""
        prefix = channel_key("")
        stmt = select(rate_buckets.c.key, rate_buckets.c.tat).where(
            rate_buckets.c.key.startswith(prefix))
        if self.dialect == "postgresql":
            stmt = stmt.with_for_update()
        tats = {key[len(prefix):]: tat for key, tat in conn.execute(stmt)}
        return {
            c: _Cursor(tat=max(epoch, tats.get(c, epoch)), interval=intervals.get(c, 0.0),
                       horizon=horizon)
            for c in set(tats) | set(intervals)
        }

    # -- marking -----------------------------------------------------------------------------

    def mark_sent(self, message_id: int, now: datetime, *, destination_gap: float = 0.0
                  ) -> bool:
        """Record a delivery; the destination's next row waits `destination_gap` seconds."""
        with turn(self.engine), self.engine.begin() as conn:
            done = self._finish(conn, message_id, status=SENT, sent_at=now, last_error=None)
            if done and destination_gap > 0:
                dest = conn.execute(select(outbox.c.destination)
                                    .where(outbox.c.id == message_id)).scalar_one()
                self._raise_bucket(conn, dest, now.timestamp() + destination_gap)
        return done

    def mark_retry(self, message_id: int, error: str, at: datetime, *,
                   pause_channel: str | None = None, unposted: bool = False,
                   params: dict[str, Any] | None = None) -> bool:
        """Record a failed attempt to retry at `at`; optionally hold the whole channel too.
        `unposted`: the channel refused it, so it is known not to have been delivered;
        `params`: the row's parameters from now on (where the attempt stopped)."""
        kept = {} if params is None else {"params": as_json(params)}
        with turn(self.engine), self.engine.begin() as conn:
            done = self._finish(conn, message_id, last_error=error[:2000], next_attempt_at=at,
                                available_at=at, **_refused(unposted), **kept)
            if pause_channel:
                self._raise_bucket(conn, channel_key(pause_channel), at.timestamp())
        return done

    def mark_failed(self, message_id: int, error: str, *, unposted: bool = False) -> bool:
        """Give up on a row for good; the next row of its destination may go."""
        with turn(self.engine), self.engine.begin() as conn:
            return self._finish(conn, message_id, status=FAILED, last_error=error[:2000],
                                **_refused(unposted))

    def release(self, message_ids: Collection[int], now: datetime) -> int:
        """Hand leased rows back untouched (shutdown before they were sent)."""
        if not message_ids:
            return 0
        with turn(self.engine), self.engine.begin() as conn:
            stmt = (update(outbox)
                    .where(outbox.c.id.in_(list(message_ids)), outbox.c.status == PENDING)
                    .values(claimed_by=None, claimed_until=None, available_at=now,
                            attempts=func.max(outbox.c.attempts - 1, 0)
                            if self.dialect == "sqlite"
                            else func.greatest(outbox.c.attempts - 1, 0)))
            return conn.execute(stmt).rowcount

    @staticmethod
    def _finish(conn: Connection, message_id: int, **values: Any) -> bool:
        stmt = (update(outbox)
                .where(outbox.c.id == message_id, outbox.c.status == PENDING)
                .values(claimed_by=None, claimed_until=None, **values))
        return conn.execute(stmt).rowcount == 1

    def _raise_bucket(self, conn: Connection, key: str, tat: float) -> None:
        """Move a bucket's time forward to tat (never back)."""
        ins: Any
        if self.dialect == "postgresql":
            ins = postgresql.insert(rate_buckets).values(key=key, tat=tat)
            newer = func.greatest(rate_buckets.c.tat, ins.excluded.tat)
        else:
            ins = sqlite.insert(rate_buckets).values(key=key, tat=tat)
            newer = func.max(rate_buckets.c.tat, ins.excluded.tat)
        conn.execute(ins.on_conflict_do_update(index_elements=[rate_buckets.c.key],
                                               set_={"tat": newer}))

    # -- reading and upkeep ------------------------------------------------------------------

    def ping(self) -> None:
        """Raise unless the database answers."""
        with turn(self.engine), self.engine.connect() as conn:
            conn.execute(select(1))

    @staticmethod
    def _fetch(conn: Connection, *where: Any, limit: int | None = None) -> list[OutboxMessage]:
        """Rows as messages; one that does not validate is shown as stored."""
        rows = conn.execute(select(*_COLS).where(*where).order_by(outbox.c.id).limit(limit))
        out = []
        for r in rows:
            try:
                out.append(OutboxMessage.model_validate(r._mapping))
            except ValidationError:
                out.append(OutboxMessage.model_construct(**dict(r._mapping)))
        return out

    def get(self, message_id: int) -> OutboxMessage | None:
        """One row, whatever its status."""
        with turn(self.engine), self.engine.connect() as conn:
            found = self._fetch(conn, outbox.c.id == message_id)
        return found[0] if found else None

    def messages(self, status: DeliveryStatus | None = None, limit: int = 100
                 ) -> list[OutboxMessage]:
        """Rows oldest first, optionally of one status."""
        with turn(self.engine), self.engine.connect() as conn:
            where = [outbox.c.status == status] if status else []
            return self._fetch(conn, *where, limit=limit)

    def stats(self, now: datetime) -> OutboxStats:
        """Counts by status and channel, rows in flight, the oldest pending row; the terminal
        chat's unread notices apart."""
        with turn(self.engine), self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.channel, outbox.c.status, func.count())
                .group_by(outbox.c.channel, outbox.c.status)
            ).all()
            in_flight = conn.execute(
                select(func.count()).where(outbox.c.status == PENDING,
                                           outbox.c.claimed_until > now)
            ).scalar_one()
            oldest = conn.execute(
                select(func.min(outbox.c.created_at)).where(
                    outbox.c.status == PENDING, outbox.c.channel != Channel.TERMINAL.value)
            ).scalar_one()
            failing = [outbox.c.status == PENDING, outbox.c.last_error.is_not(None)]
            retrying: dict[str, tuple[int, str]] = {}
            for channel, n in conn.execute(select(outbox.c.channel, func.count())
                                           .where(*failing).group_by(outbox.c.channel)).all():
                latest = conn.execute(
                    select(outbox.c.last_error).where(*failing, outbox.c.channel == channel)
                    .order_by(outbox.c.next_attempt_at.desc(), outbox.c.id.desc()).limit(1)
                ).scalar()
                if latest is not None:  # none when a worker sent them meanwhile (no snapshot)
                    retrying[str(channel)] = (n, str(latest))
        by_channel: dict[str, dict[str, int]] = {}
        totals = {PENDING.value: 0, SENT.value: 0, FAILED.value: 0}
        unread = 0
        for channel, status, n in rows:
            if channel == Channel.TERMINAL.value and status == PENDING.value:
                unread = n
                continue
            by_channel.setdefault(str(channel), {})[str(status)] = n
            totals[str(status)] = totals.get(str(status), 0) + n
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        return OutboxStats(pending=totals[PENDING.value], in_flight=in_flight,
                           failed=totals[FAILED.value], sent=totals[SENT.value],
                           oldest_pending_at=oldest, by_channel=by_channel,
                           retrying=retrying, terminal_unread=unread)

    def retry(self, now: datetime, message_ids: Collection[int] | None = None) -> int:
        """Put failed rows (these ids, or all of them) back in the queue, due now, their
        error forgotten (`outbox status` tells the rows being retried by theirs). Their
        attempts start again, but one that may have been delivered is kept as one attempt (a
        Slack post is then looked for before it is posted again, from the newest page)."""
        where = [outbox.c.status == FAILED]
        if message_ids is not None:
            where = [outbox.c.id.in_(list(message_ids)),
                     or_(outbox.c.status == FAILED,
                         and_(outbox.c.status == PENDING, outbox.c.claimed_until.is_(None)))]
        # A failed row starts its attempts afresh: where an earlier one stopped (a Slack
        # lookup's page, maybe long ago) no longer applies; a pending one's still does.
        fresh = func.json_remove(outbox.c.params, f"$.{RESUME}") if self.dialect == "sqlite" \
            else outbox.c.params.op("-")(literal(RESUME, String))
        with turn(self.engine), self.engine.begin() as conn:
            stmt = update(outbox).where(*where).values(
                status=PENDING, available_at=now, next_attempt_at=now, last_error=None,
                attempts=case((outbox.c.attempts > outbox.c.unposted, 1), else_=0), unposted=0,
                claimed_by=None, claimed_until=None,
                params=case((outbox.c.status == FAILED, fresh), else_=outbox.c.params))
            return conn.execute(stmt).rowcount

    def purge(self, *, sent_before: datetime, failed_before: datetime, now: datetime) -> int:
        """Forget old delivered and failed rows and idle rate buckets."""
        with turn(self.engine), self.engine.begin() as conn:
            return purge_in(conn, sent_before=sent_before, failed_before=failed_before, now=now)


def purge_in(conn: Connection, *, sent_before: datetime, failed_before: datetime,
             now: datetime) -> int:
    """OutboxQueue.purge in the caller's transaction (the housekeeping's, under its lock).
    A terminal chat's notice its person has not read goes as a sent row of its age does: its
    e-mail went, and a session opened after that long shows the tickets as they are now."""
    c = outbox.c
    gone = conn.execute(delete(outbox).where(
        or_(and_(c.status == SENT, c.sent_at < sent_before),
            and_(c.status == FAILED, c.created_at < failed_before),
            and_(c.status == PENDING, c.channel == Channel.TERMINAL.value,
                 c.created_at < sent_before))
    )).rowcount
    conn.execute(delete(rate_buckets).where(rate_buckets.c.tat < now.timestamp() - 3600))
    return int(gone)


def _listed(channels: str) -> set[str]:
    """The channels of a heartbeat row ("email,slack")."""
    return {c for c in channels.split(",") if c}


def _counted(channels: Any, reason: str) -> dict[str, tuple[int, str]]:
    """The failed rows' channels (a result of _fail_stmt) counted, with their reason."""
    return {c: (n, reason) for c, n in Counter(channels.scalars()).items()}


def _refused(unposted: bool) -> dict[str, Any]:
    """The values counting an attempt the channel refused (known not delivered)."""
    return {"unposted": outbox.c.unposted + 1} if unposted else {}


@dataclass
class _Cursor:
    """Hands out a channel's send slots within the lookahead."""

    tat: float
    interval: float
    horizon: float
    moved: bool = False

    def room(self) -> int:
        """How many slots are left within the horizon (any number when not paced)."""
        if self.tat > self.horizon:
            return 0
        if self.interval <= 0:
            return 1 << 30
        return int((self.horizon - self.tat) / self.interval) + 1

    def take(self) -> float:
        slot = self.tat
        if self.interval > 0:
            self.tat += self.interval
            self.moved = True
        return slot


@functools.lru_cache(maxsize=8)
def _due_statement(dialect: str, only: bool, skip: bool) -> Any:
    """The due rows' query, built once per shape: building it cost as much as running it."""
    earlier = _EARLIER
    blocked = exists().where(
        earlier.c.destination == outbox.c.destination,
        earlier.c.status == PENDING,
        earlier.c.id < outbox.c.id,
    )
    where = [outbox.c.status == PENDING,
             outbox.c.available_at <= bindparam("now", type_=outbox.c.available_at.type),
             ~blocked,
             or_(rate_buckets.c.tat.is_(None),
                 rate_buckets.c.tat <= bindparam("epoch", type_=rate_buckets.c.tat.type))]
    if only:
        where.append(outbox.c.channel.in_(bindparam("only", expanding=True)))
    if skip:
        where.append(outbox.c.channel.not_in(bindparam("skip", expanding=True)))
    stmt = (
        select(outbox.c.id, outbox.c.channel)
        .select_from(outbox.outerjoin(rate_buckets, rate_buckets.c.key == outbox.c.destination))
        .where(*where)
        .order_by(outbox.c.id)
        .limit(bindparam("limit", type_=Integer()))
    )
    if dialect == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=outbox)
    return stmt


def _worker(row: Any) -> Worker:
    """A heartbeat's row as a Worker."""
    return Worker(row.worker, tuple(c for c in row.channels.split(",") if c), row.started_at,
                  row.seen_at, row.stopped_at)
