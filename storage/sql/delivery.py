"""The outbox (writing side; delivery is storage.outbox_sql), inbound event ids, Slack cards
and development posts."""

from __future__ import annotations

import builtins
import functools
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

from core.errors import Conflict
from core.outbox import DeliveryStatus, OutboxMessage
from storage.extras import SlackCard, SlackDevPost, SlackKeptNote, SlackOpenedCard, destination
from storage.sql.base import SqlRepo, new_id
from storage.sql.known import unmoved
from storage.sql.prepared import rows, run
from storage.sql.threads import SAVE_RETURNING
from storage.tables import (
    inbound_events,
    outbox,
    slack_cards,
    slack_dev_posts,
    slack_homes,
    slack_kept_notes,
    slack_opened_cards,
)
from storage.values import as_json

_COLS = [outbox.c[f] for f in OutboxMessage.model_fields]
_FIELDS = [f for f in OutboxMessage.model_fields if f not in ("id", "unposted")]
_INSERT = insert(outbox)  # executed with the row as parameters: compiled once, cached
WRITTEN = [*_FIELDS, "destination", "available_at"]
"""The columns an outbox row is written with (id aside)."""
ROWS_PER_INSERT = 20
"""Outbox rows written by one statement at most: bounds its parameters."""


def row_values(message: OutboxMessage) -> dict[str, Any]:
    """The message as the outbox row's values (WRITTEN)."""
    values = {f: getattr(message, f) for f in _FIELDS}
    values["params"] = as_json(message.params)
    values["destination"] = destination(message)
    values["available_at"] = message.next_attempt_at or message.created_at
    return values


def set_columns(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """The columns some row sets: those NULL in every row are left out (fewer parameters)."""
    return tuple(c for c in WRITTEN if any(r[c] is not None for r in rows))


REFUSED_SQLSTATE = "HD409"
"""How the folded statement below refuses to write anything (helpdesk_all_written, 0017)."""


@functools.cache
def _folded(save: bool, record: bool, unflushed: bool = False, checked: bool = False) -> Any:
    """PostgreSQL: a chat step's writes in one statement, all or none (data-modifying CTEs):
    the conversation's save (threads.SAVE_RETURNING's params), the update id (params source,
    key, received_at) and the outbox row (params o_<column>). It returns the row's id, and
    with a save the conversation row's new xmin. When the save finds the conversation moved,
    the id was recorded meanwhile or (checked: storage.sql.known's params) the rows the step
    started from moved, helpdesk_all_written raises REFUSED_SQLSTATE, so nothing of it is
    written. Unflushed: its commit does not wait for the WAL flush (see SqlOutbox.add_with)."""
    wrote: list[Any] = []
    marks: list[Any] = []
    if checked:
        wrote.append(unmoved())
    if save:
        saved = SAVE_RETURNING.cte("saved")
        wrote.append(select(func.count()).select_from(saved).scalar_subquery())
        marks.append(select(saved.c.mark).scalar_subquery().label("mark"))
    if record:
        fresh = postgresql.insert(inbound_events).values(
            source=bindparam("source"), key=bindparam("key"),
            received_at=bindparam("received_at", type_=inbound_events.c.received_at.type),
        ).on_conflict_do_nothing().returning(inbound_events.c.id).cte("fresh")
        wrote.append(select(func.count()).select_from(fresh).scalar_subquery())
    row = insert(outbox).from_select(
        WRITTEN, select(*(bindparam(f"o_{c}", type_=outbox.c[c].type) for c in WRITTEN)),
    ).returning(outbox.c.id).cte("queued")
    check: Any = func.helpdesk_all_written(*wrote) if wrote else literal_column("1")
    cols = [select(row.c.id).scalar_subquery().label("id"), check.label("ok"), *marks]
    if unflushed:  # for the statement's own transaction only (is_local), read at its commit
        cols.append(literal_column("set_config('synchronous_commit', 'off', true)"))
    return select(*cols)


@functools.lru_cache(maxsize=64)
def _insert_rows(n: int, columns: tuple[str, ...], returning: bool = True) -> Any:
    """INSERT … SELECT row 0 UNION ALL … row n-1 [RETURNING id]; params are named column_i.

    Unlike a multi-row VALUES (never cached) or an executemany with RETURNING (rewritten
    per call), it is compiled once and cached. Columns left out stay NULL.
    """
    rows = [select(*(bindparam(f"{c}_{i}", type_=outbox.c[c].type) for c in columns))
            for i in range(n)]
    stmt = insert(outbox).from_select(columns, union_all(*rows))
    return stmt.returning(outbox.c.id) if returning else stmt


class SqlOutbox(SqlRepo):
    """Notifications written with their cause (workers deliver them: storage.outbox_sql)."""

    unflushed = False
    """Whether add_with committed its statement without waiting for the WAL flush."""
    expected: dict[str, Any] | None = None
    """What add_with also checks: the rows a chat step started from unmoved (expect)."""
    saved: str | None = None
    """The conversation row's xmin after add_with saved it (storage.sql.known)."""

    def expect(self, check: dict[str, Any]) -> None:
        """Have the next add_with refuse unless the rows a chat step started from, kept by the
        process instead of read, are unmoved (storage.sql.known.check_params' params)."""
        self.expected = check

    def add(self, message: OutboxMessage) -> OutboxMessage:
        if self.dialect == "sqlite":  # on the driver's cursor (storage.sql.prepared)
            message.id = int(run(self.conn, _INSERT, row_values(message)).lastrowid)
        else:
            message.id = new_id(self.conn.execute(_INSERT, row_values(message)))
        return message

    def add_with(self, message: OutboxMessage, save: dict[str, Any] | None,
                 record: tuple[str, str, datetime] | None) -> OutboxMessage:
        """Add the message in one statement with a conversation's held save (SqlConversations.
        take_held) and an update id not yet recorded (SqlInboundEvents.take_held), all or
        none (PostgreSQL). Run on its own while no transaction is open: the step's only
        write, and with it its commit, is then one round trip. Conflict when the conversation
        moved or the id was recorded meanwhile (the step runs again: a repeat is found).

        Run on its own, its commit does not wait for the WAL flush (synchronous_commit off,
        set in the statement: no round trip more, ~0.5 ms less before the answer leaves). Its
        transaction is then only a conversation's progress: the answer's own safety-net row
        and the update id go with it, all or none; a ticket, a trâmite, a user, anything else
        written opens a transaction first and commits flushed. What it risks: a crash of the
        PostgreSQL server (not of ours: that loses nothing) before the WAL writer flushes it
        (~0.6 s at most, 3 × wal_writer_delay) or another commit does (this chat's after_send
        right after the send) forgets the step after its answer was sent; a click on that
        answer is then refused as an old prompt, a typed message is caught by the adapter
        (steps.Inbound.kept; README: "A chat step's commit"). SQLite (WAL, synchronous=NORMAL)
        loses as much on power loss."""
        params = {f"o_{k}": v for k, v in row_values(message).items()}
        if save is not None:
            params.update(save)
        if record is not None:
            params.update(source=record[0], key=record[1], received_at=record[2])
        check, self.expected = self.expected, None
        if check is not None:
            params.update(check)
        try:
            with self.on_its_own() as alone:  # on psycopg's cursor (storage.sql.prepared)
                got = rows(self.conn, _folded(save is not None, record is not None, alone,
                                              check is not None), params)[0]
                self.unflushed = alone
                found = got[0]
                self.saved = got[2] if save is not None else None
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == REFUSED_SQLSTATE:
                raise Conflict("error.conversation_moved") from exc
            raise
        if found is None:
            raise RuntimeError("the outbox INSERT returned no id")
        message.id = int(found)
        return message

    def add_many(self, messages: builtins.list[OutboxMessage]) -> builtins.list[OutboxMessage]:
        """Several rows in one statement, their ids in the order given."""
        for start in range(0, len(messages), ROWS_PER_INSERT):
            chunk = messages[start:start + ROWS_PER_INSERT]
            if len(chunk) == 1:
                self.add(chunk[0])
                continue
            rows = [row_values(m) for m in chunk]
            columns = set_columns(rows)
            params = {f"{c}_{i}": r[c] for i, r in enumerate(rows) for c in columns}
            for message, new in zip(chunk, self._insert(columns, params, len(chunk)),
                                    strict=True):
                message.id = int(new)
        return messages

    def _insert(self, columns: tuple[str, ...], params: dict[str, Any], n: int
                ) -> builtins.list[int]:
        """Insert n rows; their ids, in the order selected (rows are inserted in that order,
        so their ids rise in it; RETURNING itself promises no order)."""
        if self.dialect != "sqlite":
            return sorted(self.conn.execute(_insert_rows(n, columns), params).scalars())
        # SQLite numbers a statement's rows one after another (max(id) + 1 each, under the
        # write lock), so the last id gives them all, without RETURNING's result rows.
        result = run(self.conn, _insert_rows(n, columns, returning=False), params)
        last = result.lastrowid
        if result.rowcount != n or not last:
            raise RuntimeError(f"the outbox INSERT wrote {result.rowcount} rows of {n}")
        return list(range(last - n + 1, last + 1))

    def add_unless_waiting(self, message: OutboxMessage, now: datetime) -> bool:
        """Add the message unless its destination has a pending row no worker holds now (that
        one, sent later, covers both: a redraw of what is current). Whether it was added."""
        waiting = select(outbox.c.id).where(
            outbox.c.destination == destination(message),
            outbox.c.status == DeliveryStatus.PENDING,
            or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until <= now)).limit(1)
        if self.conn.execute(waiting).first() is not None:
            return False
        self.add(message)
        return True

    def add_unless_pending(self, messages: builtins.list[OutboxMessage], now: datetime,
                           also: builtins.list[tuple[str, str]] | None = None
                           ) -> builtins.list[OutboxMessage]:
        """Add each message unless a pending row no worker holds now waits for its ticket at
        its target with its kind, or at one of `also`'s (target, kind) on its channel: that
        row, sent later, draws what is current. The messages added."""
        if not messages:
            return []
        first = messages[0]
        kinds = [(first.target, first.kind), *(also or [])]
        if any((m.channel, m.target, m.kind) != (first.channel, first.target, first.kind)
               for m in messages):
            raise ValueError("add_unless_pending takes messages of one channel, target, kind")
        c = outbox.c
        waiting = select(c.ticket_id).where(
            c.ticket_id.in_([m.ticket_id for m in messages]),
            c.channel == first.channel, c.status == DeliveryStatus.PENDING,
            or_(*(and_(c.target == target, c.kind == kind) for target, kind in kinds)),
            or_(c.claimed_until.is_(None), c.claimed_until <= now))
        # Locked until commit (PostgreSQL): a worker cannot claim one of them meanwhile and
        # draw the card as it was before this transaction.
        covered = set(self.conn.execute(waiting.with_for_update()).scalars())
        return self.add_many([m for m in messages if m.ticket_id not in covered])

    def take_pending(self, channel: str, target: str, now: datetime
                     ) -> builtins.list[OutboxMessage]:
        """The pending rows of one destination, oldest first, marked sent now (locked until
        commit on PostgreSQL: two sessions of one person show each once)."""
        c = outbox.c
        found = self._fetch(select(*_COLS).where(
            c.destination == f"{channel}:{target}", c.status == DeliveryStatus.PENDING
        ).order_by(c.id).with_for_update())
        if found:
            self.conn.execute(update(outbox).where(c.id.in_([m.id for m in found])).values(
                status=DeliveryStatus.SENT, sent_at=now, attempts=c.attempts + 1))
        return found

    def _fetch(self, stmt: Any) -> builtins.list[OutboxMessage]:
        return [OutboxMessage.model_validate(r._mapping) for r in self.conn.execute(stmt)]

    def all(self) -> builtins.list[OutboxMessage]:
        """Every message, oldest first."""
        return self._fetch(select(*_COLS).order_by(outbox.c.id))

    def get(self, message_id: int) -> OutboxMessage | None:
        found = self._fetch(select(*_COLS).where(outbox.c.id == message_id))
        return found[0] if found else None


class SqlInboundEvents(SqlRepo):
    """Inbound update/event ids already seen."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._held: tuple[str, str, datetime] | None = None

    def hold(self, source: str, key: str, now: datetime) -> None:
        """Record this id with the step's answer (take_held) or, failing that, at commit."""
        self._held = (source, key, now)

    def take_held(self) -> tuple[str, str, datetime] | None:
        """The id waiting to be recorded, now the caller's to write."""
        held, self._held = self._held, None
        return held

    def flush(self) -> None:
        """Record the id waiting, if any (Conflict: it was recorded meanwhile)."""
        held = self.take_held()
        if held is not None and not self.record(*held):
            raise Conflict("error.conversation_moved")

    def record(self, source: str, key: str, now: datetime) -> bool:
        """Remember the event; False when it was already recorded."""
        return self.insert_if_new(inbound_events, inbound_events.c.id, {
            "source": source, "key": key, "received_at": now}) is not None

    def seen(self, source: str, key: str) -> bool:
        """Whether the event was recorded (nothing is recorded by asking)."""
        return self.conn.execute(select(inbound_events.c.id).where(
            inbound_events.c.source == source, inbound_events.c.key == key)).first() is not None

    def delete_before(self, cutoff: datetime) -> int:
        """Forget events received before cutoff."""
        stmt = delete(inbound_events).where(inbound_events.c.received_at < cutoff)
        return self.conn.execute(stmt).rowcount


class SqlSlackCards(SqlRepo):
    """Slack messages that stand for tickets."""

    def _one(self, *where: Any) -> SlackCard | None:
        row = self.conn.execute(select(slack_cards).where(*where)).first()
        return SlackCard.model_validate(row._mapping) if row else None

    def get(self, ticket_id: int) -> SlackCard | None:
        return self._one(slack_cards.c.ticket_id == ticket_id)

    def by_ts(self, channel: str, ts: str) -> SlackCard | None:
        return self._one(slack_cards.c.channel == channel, slack_cards.c.ts == ts)

    def put(self, card: SlackCard) -> None:
        stmt = self.upsert(slack_cards).values(**card.model_dump())
        stmt = stmt.on_conflict_do_update(
            index_elements=[slack_cards.c.ticket_id],
            set_={"channel": stmt.excluded.channel, "ts": stmt.excluded.ts},
        )
        self.insert_unique(stmt, Conflict("error.slack_card_exists"))


class SqlSlackDevPosts(SqlRepo):
    """The development channel's posts of tickets."""

    def for_ticket(self, ticket_id: int) -> builtins.list[SlackDevPost]:
        rows = self.conn.execute(select(slack_dev_posts)
                                 .where(slack_dev_posts.c.ticket_id == ticket_id)
                                 .order_by(slack_dev_posts.c.ts))
        return [SlackDevPost.model_validate(r._mapping) for r in rows]

    def by_ts(self, channel: str, ts: str) -> SlackDevPost | None:
        row = self.conn.execute(select(slack_dev_posts).where(
            slack_dev_posts.c.channel == channel, slack_dev_posts.c.ts == ts)).first()
        return SlackDevPost.model_validate(row._mapping) if row else None

    def add(self, post: SlackDevPost) -> None:
        self.insert_unique(insert(slack_dev_posts), Conflict("error.slack_card_exists"),
                           post.model_dump())


class SqlSlackHomes(SqlRepo):
    """Who opened the app's Home tab lately."""

    def opened(self, slack_id: str, at: datetime) -> None:
        stmt = self.upsert(slack_homes).values(slack_id=slack_id, opened_at=at)
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=[slack_homes.c.slack_id], set_={"opened_at": stmt.excluded.opened_at}))

    def viewers(self, since: datetime) -> builtins.list[str]:
        rows = self.conn.execute(select(slack_homes.c.slack_id)
                                 .where(slack_homes.c.opened_at >= since)
                                 .order_by(slack_homes.c.slack_id))
        return [str(r) for r in rows.scalars()]


class SqlSlackKeptNotes(SqlRepo):
    """Refused notes kept for the button that offers them as an internal note."""

    def keep(self, note: SlackKeptNote) -> None:
        self.conn.execute(insert(slack_kept_notes), note.model_dump())

    def keep_once(self, note: SlackKeptNote) -> None:
        self.conn.execute(self.upsert(slack_kept_notes).values(**note.model_dump())
                          .on_conflict_do_nothing(index_elements=[slack_kept_notes.c.token]))

    def get(self, token: str) -> SlackKeptNote | None:
        row = self.conn.execute(select(slack_kept_notes)
                                .where(slack_kept_notes.c.token == token)).first()
        return SlackKeptNote.model_validate(row._mapping) if row else None

    def starting(self, prefix: str) -> list[SlackKeptNote]:
        rows = self.conn.execute(select(slack_kept_notes).where(
            slack_kept_notes.c.token.startswith(prefix, autoescape=True)))
        return [SlackKeptNote.model_validate(row._mapping) for row in rows]

    def delete_before(self, cutoff: datetime) -> int:
        stmt = delete(slack_kept_notes).where(slack_kept_notes.c.kept_at < cutoff)
        return self.conn.execute(stmt).rowcount

    def use(self, token: str, at: datetime) -> bool:
        done = self.conn.execute(update(slack_kept_notes)
                                 .where(slack_kept_notes.c.token == token,
                                        slack_kept_notes.c.used_at.is_(None))
                                 .values(used_at=at))
        return done.rowcount == 1


class SqlSlackOpenedCards(SqlRepo):
    """The ticket cards Abrir showed each person lately."""

    def get(self, slack_id: str, channel: str, ticket_id: int, lock: bool = False
            ) -> SlackOpenedCard | None:
        c = slack_opened_cards.c
        stmt = select(slack_opened_cards).where(
            c.slack_id == slack_id, c.channel == channel, c.ticket_id == ticket_id)
        row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
        return SlackOpenedCard.model_validate(row._mapping) if row else None

    def put(self, card: SlackOpenedCard) -> None:
        stmt = self.upsert(slack_opened_cards).values(**card.model_dump())
        kept = ("ts", "drawn", "opened_at", "pointed")
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=[slack_opened_cards.c.slack_id, slack_opened_cards.c.channel,
                            slack_opened_cards.c.ticket_id],
            set_={k: stmt.excluded[k] for k in kept}))

    def claim(self, card: SlackOpenedCard) -> SlackOpenedCard | None:
        # On PostgreSQL a clash with a row not yet committed waits for it: the other
        # transaction's claim is then read, committed.
        if self.insert_if_new(slack_opened_cards, slack_opened_cards.c.ticket_id,
                              card.model_dump()) is not None:
            return None
        return self.get(card.slack_id, card.channel, card.ticket_id)

    def forget(self, slack_id: str, before: datetime) -> int:
        c = slack_opened_cards.c
        stmt = delete(slack_opened_cards).where(c.slack_id == slack_id, c.opened_at < before)
        return self.conn.execute(stmt).rowcount
