"""Trâmites and attachments, and chat conversations, in SQL."""

from __future__ import annotations

import builtins
import functools
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from core.conversation_state import ConversationKey, ConversationState
from core.errors import Conflict
from core.models import Attachment, Entry, EntryKind
from storage.sql.base import SqlRepo, new_id
from storage.sql.known import xmin
from storage.sql.prepared import rows, run
from storage.tables import attachments, conversations, entries
from storage.types import EncodedJson
from storage.values import json_text

_ATT_COLS = [attachments.c[f] for f in Attachment.model_fields]
_ENTRY_COLS = [entries.c[f] for f in Entry.model_fields if f != "attachments"]
# Built once and executed with the row as parameters, so their compiled form is cached.
_ADD_ENTRY = insert(entries)
_CONVERSATION_KEYS = [c.key for c in conversations.c]
_GET_CONVERSATION = select(conversations).where(
    conversations.c.channel == bindparam("channel"),
    conversations.c.chat_id == bindparam("chat_id"),
    conversations.c.user_key == bindparam("user_key"),
)
SAVED = ("user_id", "flow", "step", "data", "prompt_id", "updated_at", "version")
"""The columns a save sets; its parameters are these and k_channel, k_chat_id, k_user_key,
k_version (the row as read). data is the state's data as JSON text (EncodedJson)."""
_SAVED_BINDS = {c: bindparam(c, type_=EncodedJson() if c == "data" else conversations.c[c].type)
                for c in SAVED}
_SAVE_CONVERSATION = update(conversations).where(
    conversations.c.channel == bindparam("k_channel"),
    conversations.c.chat_id == bindparam("k_chat_id"),
    conversations.c.user_key == bindparam("k_user_key"),
    conversations.c.version == bindparam("k_version"),
).values(_SAVED_BINDS)
SAVE_RETURNING = _SAVE_CONVERSATION.returning(
    conversations.c.version, xmin(conversations).label("mark"))
"""The save as a statement returning the new version (none when the row moved) and, as text,
the new row's xmin (PostgreSQL: storage.sql.known), for a CTE."""
_KEY_COLUMNS = ("channel", "chat_id", "user_key")


def data_as_text(dialect: str) -> Any:
    """The conversation's data read as its JSON text, the form a state is kept in until read
    (no decoding into a document only to encode it again): JSONB cast to text on PostgreSQL
    (the same document, keys in JSONB's order as psycopg would decode them), the stored text
    as it is on SQLite."""
    column = conversations.c.data
    return cast(column, Text) if dialect == "postgresql" else type_coerce(column, Text)


@functools.cache
def _new_conversation(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING version (and on PostgreSQL the new row's xmin
    as text: storage.sql.known), data bound as JSON text; params: the key's columns and
    SAVED."""
    if dialect == "postgresql":
        made: Any = postgresql.insert(conversations)
        back = [conversations.c.version, xmin(conversations)]
    else:
        made, back = sqlite.insert(conversations), [conversations.c.version]
    return made.values(
        {**{c: bindparam(c, type_=conversations.c[c].type) for c in _KEY_COLUMNS},
         **_SAVED_BINDS},
    ).on_conflict_do_nothing().returning(*back)


class SqlEntries(SqlRepo):
    """Trâmites and their attachments."""

    def add(self, entry: Entry) -> Entry:
        values = entry.model_dump(exclude={"id", "attachments"})
        entry.id = new_id(self.conn.execute(_ADD_ENTRY, values))
        for att in entry.attachments:
            att.ticket_id, att.entry_id = entry.ticket_id, entry.id
            self.add_attachment(att)
        return entry

    def list(self, ticket_id: int, include_internal: bool) -> builtins.list[Entry]:
        stmt = select(*_ENTRY_COLS).where(entries.c.ticket_id == ticket_id)
        if not include_internal:
            stmt = stmt.where(entries.c.kind != EntryKind.INTERNAL)
        rows = list(self.conn.execute(stmt.order_by(entries.c.created_at, entries.c.id)))
        by_entry: dict[int, list[Attachment]] = defaultdict(list)
        if rows:
            ids = select(entries.c.id).where(entries.c.ticket_id == ticket_id)
            atts = select(*_ATT_COLS).where(attachments.c.entry_id.in_(ids))
            for a in self.conn.execute(atts.order_by(attachments.c.id)):
                by_entry[a.entry_id].append(Attachment.model_validate(a._mapping))
        return [Entry.model_validate({**r._mapping, "attachments": by_entry[r.id]}) for r in rows]

    def add_attachment(self, attachment: Attachment) -> Attachment:
        stmt = insert(attachments).values(**attachment.model_dump(exclude={"id"}))
        attachment.id = new_id(self.conn.execute(stmt))
        return attachment

    def attachments(self, ticket_id: int) -> builtins.list[Attachment]:
        stmt = select(*_ATT_COLS).where(attachments.c.ticket_id == ticket_id)
        rows = self.conn.execute(stmt.order_by(attachments.c.id))
        return [Attachment.model_validate(r._mapping) for r in rows]


def _key_where(key: ConversationKey) -> Any:
    c = conversations.c
    return and_(c.channel == key.channel, c.chat_id == key.chat_id, c.user_key == key.user_key)


class SqlConversations(SqlRepo):
    """Chat conversation state, saved with an optimistic version check.

    A row read or saved is remembered until the unit of work ends: one chat step reads its
    conversation up to three times. Each read builds a fresh state (data kept as JSON text),
    so a caller changing one state never changes what the next read returns.
    """

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._rows: dict[tuple[str, str, str], dict[str, Any] | None] = {}
        self._hold = False
        self._held: dict[str, Any] | None = None
        self.made: str | None = None
        """PostgreSQL: the xmin of the row this unit of work made, while no other write of a
        conversation followed (storage.sql.known)."""

    def hold_saves(self) -> None:
        """From now on an update of a stored state waits (cached as saved) until take_held() or
        flush(): a PostgreSQL chat step writes it in the statement that queues its answer
        (storage.sql.delivery), one round trip fewer. The unit of work's commit flushes it."""
        self._hold = True

    def take_held(self) -> dict[str, Any] | None:
        """The parameters of the update waiting (SAVE_RETURNING's), now the caller's to write."""
        held, self._held = self._held, None
        return held

    def flush(self) -> None:
        """Write the update waiting, if any (Conflict: another instance moved the state)."""
        held = self.take_held()
        if held is None:
            return
        self.made = None
        if run(self.conn, _SAVE_CONVERSATION, held).rowcount != 1:
            raise Conflict("error.conversation_moved")

    def get(self, key: ConversationKey) -> ConversationState | None:
        known = (key.channel, key.chat_id, key.user_key)
        if known not in self._rows:
            self.remember(key, self.conn.execute(_GET_CONVERSATION, key.model_dump()).first())
        m = self._rows[known]
        if m is None:
            return None
        return ConversationState(
            key=ConversationKey(channel=m["channel"], chat_id=m["chat_id"], user_key=m["user_key"]),
            user_id=m["user_id"],
            flow=m["flow"],
            step=m["step"],
            data=json.loads(m["data"]),
            prompt_id=m["prompt_id"],
            updated_at=m["updated_at"],
            version=m["version"],
        )

    def version(self, key: ConversationKey) -> int | None:
        """The stored state's version (None: no state), without building the state."""
        known = (key.channel, key.chat_id, key.user_key)
        if known not in self._rows:
            return None if (state := self.get(key)) is None else state.version
        m = self._rows[known]
        return None if m is None else int(m["version"])

    def step(self, key: ConversationKey) -> str | None:
        """The stored state's step (None: no state, or none), without building the state."""
        known = (key.channel, key.chat_id, key.user_key)
        if known not in self._rows:
            return None if (state := self.get(key)) is None else state.step
        m = self._rows[known]
        return None if m is None else m["step"]

    def remember(self, key: ConversationKey, row: Sequence[Any] | None,
                 encoded: bool = False) -> None:
        """Keep a row read elsewhere (the table's columns in order; None: there is none) as if
        get(key) had read it; encoded: its data is the JSON text (DATA_AS_TEXT), not the
        decoded document."""
        values = None if row is None else dict(zip(_CONVERSATION_KEYS, row, strict=True))
        if values is not None and not encoded:
            values["data"] = json.dumps(values["data"])
        self._rows[(key.channel, key.chat_id, key.user_key)] = values

    def kept(self, key: ConversationKey) -> dict[str, Any] | None:
        """The row as remembered now (read or saved; data as JSON text), to keep beyond the unit
        of work (storage.sql.known); None: none, or not read."""
        found = self._rows.get((key.channel, key.chat_id, key.user_key))
        return None if found is None else dict(found)

    def keep(self, key: ConversationKey, values: dict[str, Any] | None) -> None:
        """Remember a row as kept() gave it, as if get(key) had read it."""
        self._rows[(key.channel, key.chat_id, key.user_key)] = \
            None if values is None else dict(values)

    def save(self, state: ConversationState) -> ConversationState:
        # The data encoded once: written as this text and kept as it for the next read.
        values = {
            "user_id": state.user_id,
            "flow": state.flow,
            "step": state.step,
            "data": json_text(state.data),
            "prompt_id": state.prompt_id,
            "updated_at": state.updated_at,
            "version": state.version + 1,
        }
        key = state.key
        known = (key.channel, key.chat_id, key.user_key)
        self._rows.pop(known, None)
        if state.version == 0:
            row = {"channel": key.channel, "chat_id": key.chat_id, "user_key": key.user_key,
                   **values}
            made = rows(self.conn, _new_conversation(self.dialect), row)
            if not made:
                raise Conflict("error.conversation_moved")
            self.made = made[0][1] if len(made[0]) > 1 else None
        else:
            params = {**values, "k_channel": key.channel, "k_chat_id": key.chat_id,
                      "k_user_key": key.user_key, "k_version": state.version}
            if self._hold:
                self.flush()  # at most one waits
                self._held = params
            else:
                self.made = None
                if run(self.conn, _SAVE_CONVERSATION, params).rowcount != 1:
                    raise Conflict("error.conversation_moved")
        self._rows[known] = {"channel": key.channel, "chat_id": key.chat_id,
                             "user_key": key.user_key, **values}
        state.version += 1
        return state

    def delete(self, key: ConversationKey) -> None:
        self.flush()
        self.made = None
        self._rows[(key.channel, key.chat_id, key.user_key)] = None
        self.conn.execute(delete(conversations).where(_key_where(key)))

    def delete_stale(self, before: datetime) -> int:
        self.flush()
        self.made = None
        self._rows.clear()
        stmt = delete(conversations).where(conversations.c.updated_at < before)
        return self.conn.execute(stmt).rowcount
