"""A conversation's data, encoded once per save: what is stored and read back is what
JsonDoc's own bind stored before (json.dumps of the data as plain JSON), on every save path
(the first INSERT, an UPDATE, a save held for a later statement and flushed at commit)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from core.conversation_state import ConversationKey, ConversationState
from core.models import Status
from storage.tables import conversations
from storage.values import as_json

KEY = ConversationKey(channel="telegram", chat_id="42", user_key="42")
DATA: dict[str, Any] = {
    "draft": {"assunto": "Nota fiscal não sai — ação urgente ☕", "anexos": ("a.png", "b.pdf"),
              "status": Status.NEW, "visto": datetime(2026, 12, 5, 9, 30, 1, 250, tzinfo=UTC)},
    "n": 3, "valor": 12.5, "sim": True, "nada": None, "vazio": [],
    "aspas": 'dizer "oi"\\ e\nlinha', "chave": "numérica",
}


def _stored(store: Any) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(select(conversations.c.data)).scalar_one()


def _raw_text(store: Any) -> str | None:
    """SQLite: the column's text as stored (None on PostgreSQL, whose JSONB keeps no text)."""
    if store.engine.dialect.name != "sqlite":
        return None
    with store.engine.connect() as conn:
        raw = conn.connection.driver_connection.execute("SELECT data FROM conversations")
        return str(raw.fetchone()[0])


def test_saved_data_reads_back_and_is_stored_as_before(sql_store: Any) -> None:
    plain = as_json(DATA)
    expected_text = json.dumps(plain)  # what JsonDoc's bind wrote for a dict (SQLite's text)
    state = ConversationState(key=KEY, flow="intake", step="assunto", data=DATA,
                              updated_at=datetime(2026, 12, 5, tzinfo=UTC))
    with sql_store() as uow:  # INSERT
        uow.conversations.save(state)
        assert uow.conversations.get(KEY).data == plain  # the one kept for this unit of work
        uow.commit()
    assert _stored(sql_store) == plain
    assert _raw_text(sql_store) in (None, expected_text)

    with sql_store() as uow:  # UPDATE
        read = uow.conversations.get(KEY)
        assert read.data == plain
        read.data["extra"] = {"ç": [1, 2.25]}
        uow.conversations.save(read)
        uow.commit()
    plain2 = {**plain, "extra": {"ç": [1, 2.25]}}
    assert _stored(sql_store) == plain2
    assert _raw_text(sql_store) in (None, json.dumps(plain2))

    with sql_store() as uow:  # held, then written by the commit's flush
        uow.conversations.hold_saves()
        read = uow.conversations.get(KEY)
        read.data["extra"] = "held"
        uow.conversations.save(read)
        assert uow.conversations.get(KEY).data == {**plain, "extra": "held"}
        uow.commit()
    with sql_store() as uow:
        again = uow.conversations.get(KEY)
        assert (again.data, again.version) == ({**plain, "extra": "held"}, 3)
    assert _raw_text(sql_store) in (None, json.dumps({**plain, "extra": "held"}))
