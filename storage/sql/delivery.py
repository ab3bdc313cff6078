"""The outbox (writing side; delivery is storage.outbox_sql), inbound event ids, Slack cards."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from core.errors import Conflict
from core.outbox import OutboxMessage
from storage.extras import SlackCard, destination
from storage.sql.base import SqlRepo, new_id
from storage.tables import inbound_events, outbox, slack_cards
from storage.values import as_json

_COLS = [outbox.c[f] for f in OutboxMessage.model_fields]
_INSERT = insert(outbox)  # executed with the row as parameters: compiled once, cached
_INSERT_MANY = insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)
_INSERT_RETURNING = insert(outbox).returning(outbox.c.id)


class SqlOutbox(SqlRepo):
    """Notifications written with their cause (workers deliver them: storage.outbox_sql)."""

    @staticmethod
    def _values(message: OutboxMessage) -> dict[str, Any]:
        values = message.model_dump(exclude={"id"})
        values["params"] = as_json(message.params)
        values["destination"] = destination(message)
        values["available_at"] = message.next_attempt_at or message.created_at
        return values

    def add(self, message: OutboxMessage) -> OutboxMessage:
        message.id = new_id(self.conn.execute(_INSERT, self._values(message)))
        return message

    def add_many(self, messages: builtins.list[OutboxMessage]) -> builtins.list[OutboxMessage]:
        """Several rows in one statement, their ids in the order given."""
        if len(messages) < 2:
            return [self.add(m) for m in messages]
        values = [self._values(m) for m in messages]
        if self.dialect == "sqlite":
            # One multi-row INSERT gives its rows rising rowids in VALUES order, but SQLAlchemy
            # would split it into one INSERT per row to keep RETURNING in parameter order.
            ids = sorted(self.conn.execute(_INSERT_RETURNING, values).scalars())
        else:
            ids = list(self.conn.execute(_INSERT_MANY, values).scalars())
        for message, new in zip(messages, ids, strict=True):
            message.id = int(new)
        return messages

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

    def record(self, source: str, key: str, now: datetime) -> bool:
        """Remember the event; False when it was already recorded."""
        stmt = self.upsert(inbound_events).values(source=source, key=key, received_at=now)
        stmt = stmt.on_conflict_do_nothing(
            index_elements=[inbound_events.c.source, inbound_events.c.key]
        ).returning(inbound_events.c.id)
        return self.conn.execute(stmt).first() is not None

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
