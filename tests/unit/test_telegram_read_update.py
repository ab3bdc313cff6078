"""Reading an update: a click's message is read as what the adapter uses of it, nothing more;
a text typed and a click of the busy path into light types (bots.telegram.light)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import InaccessibleMessage, Message, Update

from bots.telegram.inbox import chat_of, is_click, read_incoming, read_update
from bots.telegram.light import Click, Typed, question_of
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


def typed(text: str = "Erro ao confirmar pedido", **fields: Any) -> dict[str, Any]:
    message = {"message_id": 42, "date": 1_764_900_000, "chat": {"id": 5, "type": "private",
                                                                  "first_name": "Carla"},
               "from": {"id": 5, "is_bot": False, "first_name": "Carla",
                        "language_code": "pt-br"}, "text": text, **fields}
    return {"update_id": 78, "message": message}


def ptb_read(raw: dict[str, Any]) -> Update:
    update = Update.de_json(copy.deepcopy(raw), BOT)
    assert update is not None
    return update


def read_without_ptb_message(raw: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Update:
    """read_update with PTB's Message.de_json refusing to run."""
    def refused(*_: Any, **__: Any) -> None:
        raise AssertionError("read by PTB's Message.de_json")
    with monkeypatch.context() as patched:
        patched.setattr(Message, "de_json", refused)
        return read_update(raw, BOT)


@pytest.mark.parametrize("raw", [
    typed(),
    typed("/novo", entities=[{"type": "bot_command", "offset": 0, "length": 5}]),
    typed("oi Ana", entities=[{"type": "text_mention", "offset": 3, "length": 3,
                               "user": {"id": 9, "is_bot": False, "first_name": "Ana"}}]),
    {"update_id": 79, "message": {"message_id": 3, "date": 1_764_900_000,
                                  "chat": {"id": -100, "type": "group", "title": "Loja"},
                                  "text": "sem remetente"}},
], ids=["text", "command", "mention", "no sender"])
def test_a_typed_message_is_read_as_ptb_reads_it_without_its_message_reader(
        raw: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    before = copy.deepcopy(raw)
    update = read_without_ptb_message(raw, monkeypatch)
    expected = ptb_read(before)
    assert update.to_dict() == expected.to_dict()
    message, wanted = update.message, expected.message
    assert message is not None
    assert wanted is not None
    assert (message.date, message.text, message.entities, message.chat.type) == \
        (wanted.date, wanted.text, wanted.entities, wanted.chat.type)
    assert (message.from_user, message.caption, message.photo, message.reply_to_message) == \
        (wanted.from_user, None, (), None)
    assert chat_of(update) == chat_of(expected)
    assert {id(o.get_bot()) for o in (update, message, message.chat)} == {id(BOT)}
    assert raw == before


@pytest.mark.parametrize("raw", [
    typed(reply_to_message={"message_id": 41, "date": 1_764_899_000,
                            "chat": {"id": 5, "type": "private"},
                            "from": {"id": 1, "is_bot": True, "first_name": "Help"},
                            "text": "Qual o serviço?"}),
    typed(forward_origin={"type": "user", "date": 1_764_800_000,
                          "sender_user": {"id": 8, "is_bot": False, "first_name": "Rui"}}),
    typed(link_preview_options={"is_disabled": True}),
    typed(edit_date=1_764_900_100),
    typed(media_group_id="g1"),
    typed(some_field_telegram_adds_later={"x": 1}),
    {"update_id": 80, "edited_message": typed()["message"]},
    {"update_id": 81, "message": {**typed()["message"], "text": None,
                                  "caption": "nota", "photo": [{
                                      "file_id": "f1", "file_unique_id": "u1",
                                      "width": 90, "height": 90}]}},
], ids=["reply", "forwarded", "preview", "edit date", "album", "new field", "edited",
        "photo"])
def test_any_other_message_is_read_by_ptb_as_before(raw: dict[str, Any]) -> None:
    before = copy.deepcopy(raw)
    update, expected = read_update(raw, BOT), ptb_read(before)
    assert update.to_dict() == expected.to_dict()
    shown, wanted = update.effective_message, expected.effective_message
    assert shown is not None
    assert wanted is not None
    assert shown.api_kwargs == wanted.api_kwargs  # a field PTB does not know is kept as it was
    assert raw == before


@pytest.mark.parametrize("broken", [
    {"date": "ontem"}, {"chat": None}, {"message_id": None},
], ids=["date", "chat", "id"])
def test_a_typed_message_not_shaped_as_telegrams_is_read_by_ptb_as_before(
        broken: dict[str, Any]) -> None:
    raw = typed(**broken)
    try:
        expected: Any = ptb_read(raw).to_dict()
    except Exception as exc:  # noqa: BLE001  (whatever PTB says of it, the reader says too)
        expected = type(exc)
    try:
        got: Any = read_update(copy.deepcopy(raw), BOT).to_dict()
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    assert got == expected


def ptb(raw: dict[str, Any]) -> Update:
    update = Update.de_json(copy.deepcopy(raw), BOT)
    assert update is not None
    return update


@pytest.mark.parametrize("raw", [
    typed(),
    typed("/novo", entities=[{"type": "bot_command", "offset": 0, "length": 5}]),
    {"update_id": 79, "message": {"message_id": 3, "date": 1_764_900_000,
                                  "chat": {"id": 5, "type": "private"}, "text": "sem remetente"}},
], ids=["text", "command", "no sender"])
def test_a_text_typed_in_a_private_chat_is_read_as_what_ptb_reads_of_it(
        raw: dict[str, Any]) -> None:
    before = copy.deepcopy(raw)
    light, expected = read_incoming(raw, BOT), ptb(raw)
    message = expected.message
    assert message is not None
    assert isinstance(light, Typed)
    assert (light.update_id, light.chat_id, light.message_id, light.text) == \
        (expected.update_id, message.chat.id, message.message_id, message.text)
    assert light.user_id == (message.from_user.id if message.from_user else message.chat.id)
    assert chat_of(light) == chat_of(expected)
    assert not is_click(light)
    assert raw == before


@pytest.mark.parametrize("raw", [
    click(),
    click({"message_id": 41, "date": 0, "chat": {"id": 5, "type": "private"}}),
    click({"message_id": 41, "date": 1_764_900_000,
           "chat": {"id": -100, "type": "group", "title": "Loja"}}),
], ids=["click", "inaccessible message", "group"])
def test_a_click_is_read_as_what_ptb_reads_of_it(raw: dict[str, Any]) -> None:
    before = copy.deepcopy(raw)
    light, expected = read_incoming(raw, BOT), ptb(raw)
    query = expected.callback_query
    assert query is not None
    assert query.message is not None
    assert isinstance(light, Click)
    assert (light.update_id, light.query_id, light.user_id, light.data) == \
        (expected.update_id, query.id, query.from_user.id, query.data)
    assert (light.chat_id, light.chat_type, light.message_id) == \
        (query.message.chat.id, query.message.chat.type, query.message.message_id)
    assert chat_of(light) == chat_of(expected)
    assert is_click(light)
    assert raw == before


def without(raw: dict[str, Any], *path: str) -> dict[str, Any]:
    changed = copy.deepcopy(raw)
    inner = changed
    for key in path[:-1]:
        inner = inner[key]
    del inner[path[-1]]
    return changed


@pytest.mark.parametrize("raw", [
    typed(reply_to_message={"message_id": 41, "date": 1_764_899_000,
                            "chat": {"id": 5, "type": "private"},
                            "from": {"id": 1, "is_bot": True, "first_name": "Help"},
                            "text": "Qual o serviço?"}),
    typed("oi Ana", entities=[{"type": "text_mention", "offset": 3, "length": 3,
                               "user": {"id": 9, "is_bot": False, "first_name": "Ana"}}]),
    typed(media_group_id="g1"),
    typed(""),
    {"update_id": 79, "message": {"message_id": 3, "date": 1_764_900_000,
                                  "chat": {"id": -100, "type": "group", "title": "Loja"},
                                  "text": "/novo"}},
    {"update_id": 80, "edited_message": typed()["message"]},
    click(inline_message_id="im1"),
    without(click(), "callback_query", "data"),
    without(click(), "callback_query", "from", "first_name"),
    without(click(), "callback_query", "message", "chat", "type"),
    {**click(), "extra": 1},
], ids=["reply", "mention", "album", "empty", "group", "edited", "inline", "no data",
        "sender unnamed", "chat of no type", "update field"])
def test_anything_else_is_read_by_ptb_as_before(raw: dict[str, Any]) -> None:
    try:
        expected: Any = read_update(copy.deepcopy(raw), BOT).to_dict()
    except Exception as exc:  # noqa: BLE001  (whatever PTB says of it, the reader says too)
        expected = type(exc)
    try:
        got = read_incoming(copy.deepcopy(raw), BOT)
        assert isinstance(got, Update)
        found: Any = got.to_dict()
    except Exception as exc:  # noqa: BLE001
        found = type(exc)
    assert found == expected


@pytest.mark.parametrize("broken", [
    {"date": "ontem"}, {"date": 10 ** 20}, {"chat": None}, {"message_id": None},
    {"message_id": True},
], ids=["date", "date out of range", "chat", "id", "id a bool"])
def test_a_text_not_shaped_as_telegrams_is_read_by_ptb_as_before(
        broken: dict[str, Any]) -> None:
    raw = typed(**broken)
    try:
        expected: Any = read_update(copy.deepcopy(raw), BOT).to_dict()
    except Exception as exc:  # noqa: BLE001
        expected = type(exc)
    try:
        got = read_incoming(copy.deepcopy(raw), BOT)
        found: Any = got.to_dict() if isinstance(got, Update) else got
    except Exception as exc:  # noqa: BLE001
        found = type(exc)
    assert found == expected


def test_a_click_says_what_its_message_reads_its_label_and_the_question_of_its_buttons() -> None:
    """What a guided question's click edits into the next question (bots.telegram.form) and
    which question the message shows, read from the update as Telegram sends it."""
    light = read_incoming(click(), BOT)
    assert isinstance(light, Click)
    assert (light.shown, light.label, light.showing) == ("Qual o serviço?", "Suporte", 3)
    paged = click()
    paged["callback_query"]["message"]["reply_markup"] = {"inline_keyboard": [
        [{"text": "Mais opções ▸", "callback_data": "pg:12:1"}],
        [{"text": "Suporte", "callback_data": "3:s"}]]}
    light = read_incoming(paged, BOT)
    assert isinstance(light, Click)
    assert (light.label, light.showing) == ("Suporte", 12)
    bare = click({"message_id": 41, "date": 0, "chat": {"id": 5, "type": "private"}})
    light = read_incoming(bare, BOT)
    assert isinstance(light, Click)
    assert (light.shown, light.label, light.showing) == (None, None, None)
    assert question_of("lixo") is question_of("x:1") is None
