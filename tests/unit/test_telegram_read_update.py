"""Reading an update: a click's message is read as what the adapter uses of it, nothing more."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from telegram import InaccessibleMessage, Message

from bots.telegram.inbox import chat_of, read_update
from bots.telegram.transport import api_bot

BOT = api_bot("123456:TEST", "http://127.0.0.1:9")


def click(message: dict[str, Any] | None = None, **query: Any) -> dict[str, Any]:
    shown = message if message is not None else {
        "message_id": 41, "date": 1_764_900_000, "chat": {"id": 5, "type": "private"},
        "from": {"id": 1, "is_bot": True, "first_name": "Help"}, "text": "Qual o serviço?",
        "reply_markup": {"inline_keyboard": [[{"text": "Suporte", "callback_data": "3:s"}]]}}
    return {"update_id": 77, "callback_query": {
        "id": "cq9", "from": {"id": 5, "is_bot": False, "first_name": "Carla"},
        "chat_instance": "ci5", "message": shown, "data": "3:s", **query}}


def test_a_click_is_read_without_reading_its_message_as_a_message() -> None:
    raw = click()
    before = copy.deepcopy(raw)
    update = read_update(raw, BOT)
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    assert not isinstance(query.message, Message)  # PTB's Message: ~200 attributes set
    assert (update.update_id, query.id, query.data, query.from_user.id) == (77, "cq9", "3:s", 5)
    assert (query.message.chat.id, query.message.chat.type, query.message.message_id) == \
        (5, "private", 41)
    assert query.message.date == datetime.fromtimestamp(1_764_900_000, UTC)
    assert chat_of(update) == 5
    assert query.get_bot() is BOT
    assert raw == before


def test_a_click_on_a_message_telegram_no_longer_shows_is_an_inaccessible_message() -> None:
    update = read_update(click({"message_id": 41, "date": 0,
                                "chat": {"id": 5, "type": "private"}}), BOT)
    assert update.callback_query is not None
    assert isinstance(update.callback_query.message, InaccessibleMessage)
    assert chat_of(update) == 5


def test_a_click_not_shaped_as_telegrams_is_read_by_ptb_as_before() -> None:
    """No 'from': python-telegram-bot reads what there is, as it did."""
    broken = click()
    del broken["callback_query"]["from"]
    query = read_update(broken, BOT).callback_query
    assert query is not None
    assert query.message is not None
    assert (query.data, query.from_user, query.message.message_id) == ("3:s", None, 41)
