"""How stored JSON values look: what every store keeps of a dict (so the fake cannot drift)."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python


def as_json(value: Any) -> Any:
    """Return value as plain JSON data: datetimes as ISO text, enums as values, keys as text."""
    return to_jsonable_python(value)
