"""How stored JSON values look: what every store keeps of a dict (so the fake cannot drift)."""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_jsonable_python


def as_json(value: Any) -> Any:
    """Return value as plain JSON data: datetimes as ISO text, enums as values, keys as text."""
    return to_jsonable_python(value)


def json_text(value: Any) -> str:
    """json.dumps(as_json(value)), without as_json's copy of plain JSON data (what a
    conversation keeps): the same text, but for a None key ("null" here, "None" there)."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError):  # a datetime, a model, a set, a key json.dumps refuses…
        return json.dumps(as_json(value))
