"""The two updates of a chat's busy path read from their JSON alone: a text typed, a click.

python-telegram-bot's objects for an update set every attribute through
TelegramObject.__setattr__ (a typed text's Message ~200 of them): ~35-65 µs of the event loop's
CPU per update, about a tenth of it in a burst of intakes. A text typed in a private chat and a
click on a message of one are read here into small types of our own, only when shaped as
Telegram sends them and as PTB would read them without complaint; anything else (a file, a
reply, a forward, an edit, a group, a field we do not know) is PTB's, as before
(bots.telegram.inbox.read_incoming).
"""

from __future__ import annotations

import datetime as dtm
from dataclasses import dataclass
from typing import Any

TYPED_FIELDS = frozenset(("message_id", "date", "chat", "from", "text", "entities"))
"""A message with these fields only (a text typed, a command) is built directly, as PTB would
read it; anything else (a reply, a forward, a file, an edit, a field Telegram adds later) is
read by PTB's Message.de_json, which tries ~100 optional fields (~a third of the read)."""
ENTITY_FIELDS = frozenset(("type", "offset", "length"))
"""A command's entity as Telegram sends it (one with a user or an emoji is PTB's to read)."""
CLICK_FIELDS = frozenset(("id", "from", "chat_instance", "message", "data"))


@dataclass(frozen=True, slots=True)
class Typed:
    """A text typed (a command too) in a private chat with the bot."""

    update_id: int
    chat_id: int
    user_id: int
    message_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Click:
    """A click on a button of a message in a chat (its type said), with its data."""

    update_id: int
    query_id: str
    user_id: int
    data: str
    chat_id: int
    chat_type: str
    message_id: int
    shown: str | None = None
    """The clicked message's text as it is now (Telegram's plain words), if it has one."""
    label: str | None = None
    """The clicked button's label, found under the message by its data."""
    showing: int | None = None
    """The question the message's buttons belong to as Telegram shows them now (the number
    their data starts with), if they name one."""


def read_light(raw: dict[str, Any]) -> Typed | Click | None:
    """The update as Typed or Click when it is one as Telegram sends it, else None."""
    try:
        return _light(raw)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError):
        return None


def _light(raw: dict[str, Any]) -> Typed | Click | None:
    if len(raw) != 2 or not whole(update_id := raw["update_id"]):
        return None
    message = raw.get("message")
    if message is not None:
        return _typed(update_id, message)
    query = raw.get("callback_query")
    return None if query is None else _click(update_id, query)


def _typed(update_id: int, message: dict[str, Any]) -> Typed | None:
    if not (isinstance(message, dict) and message.keys() <= TYPED_FIELDS):
        return None
    text, chat, sender = message["text"], _chat(message["chat"]), message.get("from")
    if not (isinstance(text, str) and text and chat is not None and chat[1] == "private"
            and whole(message_id := message["message_id"]) and _dated(message["date"])
            and all(_entity(e) for e in message.get("entities") or ())):
        return None
    user = chat[0] if sender is None else _user(sender)
    return None if user is None else Typed(update_id, chat[0], user, message_id, text)


def _click(update_id: int, query: dict[str, Any]) -> Click | None:
    if not (isinstance(query, dict) and query.keys() == CLICK_FIELDS):
        return None
    message, data, query_id = query["message"], query["data"], query["id"]
    if not (isinstance(message, dict) and isinstance(data, str) and data
            and isinstance(query_id, str) and isinstance(query["chat_instance"], str)):
        return None
    chat, user = _chat(message["chat"]), _user(query["from"])
    if chat is None or user is None or not whole(message_id := message["message_id"]) \
            or not _dated(message["date"]):
        return None
    text = message.get("text")
    return Click(update_id, query_id, user, data, chat[0], chat[1], message_id,
                 text if isinstance(text, str) else None, *buttons_of(message, data))


def buttons_of(message: dict[str, Any], data: str) -> tuple[str | None, int | None]:
    """Of the buttons under a message (JSON): the label of the one with this data and the
    question they belong to (None, None when there are none)."""
    markup = message.get("reply_markup")
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    label: str | None = None
    showing: int | None = None
    for row in rows if isinstance(rows, list) else ():
        for button in row if isinstance(row, list) else ():
            found = button.get("callback_data") if isinstance(button, dict) else None
            if not isinstance(found, str):
                continue
            if showing is None:
                showing = question_of(found)
            if found == data and isinstance(text := button.get("text"), str):
                label = text
    return label, showing


def question_of(data: str) -> int | None:
    """The question a button's data names: "12:suporte" and a page's "pg:12:1" name 12."""
    head, _, rest = data.partition(":")
    if head == "pg":
        head = rest.partition(":")[0]
    return int(head) if head.isdecimal() and len(head) < 10 else None


def _chat(chat: Any) -> tuple[int, str] | None:
    if isinstance(chat, dict) and whole(chat["id"]) and isinstance(chat["type"], str):
        return chat["id"], chat["type"]
    return None


def _user(user: Any) -> int | None:
    """A user's id, when PTB would read the user (id, first_name and is_bot given)."""
    if isinstance(user, dict) and whole(user["id"]) and "first_name" in user \
            and "is_bot" in user:
        return int(user["id"])
    return None


def _entity(entity: Any) -> bool:
    return isinstance(entity, dict) and entity.keys() == ENTITY_FIELDS


def _dated(date: Any) -> bool:
    """A date PTB can read (a Unix time; 0 for a message Telegram no longer shows)."""
    if not whole(date):
        return False
    dtm.datetime.fromtimestamp(date, dtm.UTC)  # out of range: raises, PTB's to say so
    return True


def whole(value: object) -> bool:
    """An int as JSON gives one (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)
