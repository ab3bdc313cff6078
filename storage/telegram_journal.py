"""The journal of polled Telegram updates: kept before they are confirmed, dropped once done.

Long polling confirms every update below the next getUpdates' offset: Telegram forgets them.
Without a journal, updates fetched but not yet processed when the process dies are lost. Each
batch is written here before the next poll; an update leaves once processed (a step records its
update id in the same transaction as its effects, so a replayed update that was already
processed is recognised and dropped).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.engine import turn
from storage.telegram_tables import telegram_updates


class UpdateJournal:
    """telegram_updates over one engine; every call is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert(telegram_updates).on_conflict_do_nothing()

    def keep(self, fetched: Sequence[tuple[int, str]], done: Collection[int], now: datetime
             ) -> None:
        """Write the fetched updates (id, JSON) and forget the processed ones, in one go."""
        if not fetched and not done:
            return
        with turn(self.engine), self.engine.begin() as conn:
            if fetched:
                conn.execute(self._insert, [{"update_id": i, "payload": p, "received_at": now}
                                            for i, p in fetched])
            if done:
                conn.execute(delete(telegram_updates)
                             .where(telegram_updates.c.update_id.in_(list(done))))

    def unfinished(self) -> list[str]:
        """The updates kept and not yet processed, oldest first (as Telegram sent them)."""
        with turn(self.engine), self.engine.connect() as conn:
            stmt = select(telegram_updates.c.payload).order_by(telegram_updates.c.update_id)
            return list(conn.execute(stmt).scalars())
