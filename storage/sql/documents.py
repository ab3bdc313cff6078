"""Named JSON documents (catalog, coverage table, knowledge base) and their shared cache."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable

from sqlalchemy import Connection, bindparam, select

from storage.sql.base import SqlRepo
from storage.sql.prepared import rows
from storage.tables import documents
from storage.values import as_json

_GET_DOCUMENT = select(documents.c.value).where(documents.c.name == bindparam("name"))


class DocumentCache:
    """What one store last read of each document, kept `ttl` seconds (0: nothing is kept).

    Shared by the store's threads, so it holds JSON text: every unit of work parses its own
    copy and no caller can change what the others read. Another process's (or instance's) save
    is seen within `ttl`; a save through this store is seen at once (forget() after commit).
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._texts: dict[str, tuple[float, str | None]] = {}
        self._generation = 0

    def get(self, name: str) -> tuple[bool, str | None]:
        """(fresh, the document's JSON text or None when there is no such document)."""
        with self._lock:
            kept = self._texts.get(name)
            if kept is None or self._clock() >= kept[0]:
                return False, None
            return True, kept[1]

    def start_read(self) -> tuple[int, float]:
        """Note the moment before reading the database, for fill()."""
        with self._lock:
            return self._generation, self._clock()

    def fill(self, name: str, value: dict | None, started: tuple[int, float]) -> None:
        """Keep what a read begun at `started` found, unless a save was committed since."""
        if self.ttl <= 0:
            return
        text = None if value is None else json.dumps(value)
        with self._lock:
            if self._generation == started[0]:
                self._texts[name] = (started[1] + self.ttl, text)

    def forget(self, names: Iterable[str]) -> None:
        """Drop documents this store has just saved; reads already under way are not kept."""
        with self._lock:
            self._generation += 1
            for name in names:
                self._texts.pop(name, None)


class SqlDocuments(SqlRepo):
    """Named JSON documents, read through the store's DocumentCache.

    One unit of work reads each document once (a chat step consults the catalog several
    times) and reads its own writes; only committed reads reach the shared cache.
    """

    def __init__(self, conn: Connection, shared: DocumentCache) -> None:
        super().__init__(conn)
        self._shared = shared
        self._read: dict[str, dict | None] = {}
        self._written: set[str] = set()

    def get(self, name: str) -> dict | None:
        if name in self._read:
            return self._read[name]
        if name not in self._written:
            fresh, text = self._shared.get(name)
            if fresh:
                value = None if text is None else json.loads(text)
                self._read[name] = value
                return value
        started = self._shared.start_read()
        # On the driver's cursor (storage.sql.prepared), compiled at start (storage.sql.warm).
        found = rows(self.conn, _GET_DOCUMENT, {"name": name})
        value = found[0][0] if found else None
        if name not in self._written:
            self._shared.fill(name, value, started)
        self._read[name] = value
        return value

    def put(self, name: str, value: dict) -> None:
        self._read.pop(name, None)
        self._written.add(name)
        stmt = self.upsert(documents).values(name=name, value=as_json(value))
        stmt = stmt.on_conflict_do_update(
            index_elements=[documents.c.name], set_={"value": stmt.excluded.value}
        )
        self.conn.execute(stmt)

    def ended(self, committed: bool) -> None:
        """After commit or rollback (or a failed commit): the store's copies of what this
        transaction wrote are dropped; after a rollback, so are this unit of work's reads."""
        written, self._written = self._written, set()
        if written:
            self._shared.forget(written)
        if not committed:
            self._read.clear()
