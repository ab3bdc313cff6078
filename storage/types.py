"""Column types that make SQLite and PostgreSQL round-trip our values the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, Dialect, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from sqlalchemy.sql.type_api import _BindProcessorType


_last_text: tuple[datetime | None, str | None] = (None, None)


def sqlite_text(value: datetime | None) -> str | None:
    """An instant as SQLite stores it: UTC, "YYYY-MM-DD HH:MM:SS.ffffff" (SQLAlchemy's
    DATETIME format, so stored values compare as text with those already there)."""
    global _last_text
    last = _last_text
    if value is last[0]:  # a use case binds its one `now` many times (11 to open a ticket)
        return last[1]
    if value is None:
        return None
    at = value
    if at.tzinfo is not UTC:
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    text = at.isoformat(" ", "microseconds")[:26]
    _last_text = (value, text)
    return text


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: stored as UTC, read back as an aware UTC datetime (naive means UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> _BindProcessorType[datetime] | None:
        # On SQLite one function instead of process_bind_param and then DATETIME's formatting
        # (3.4 → 1.1 µs a value; an outbox row binds three).
        if dialect.name == "sqlite":
            return sqlite_text
        return super().bind_processor(dialect)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EnumText(TypeDecorator[str]):
    """Text that also accepts enum members, storing their value (never their name)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value.value if isinstance(value, Enum) else value

    def bind_processor(self, dialect: Dialect) -> _BindProcessorType[str] | None:
        if self.impl_instance.bind_processor(dialect) is None:
            return _enum_value  # without TypeDecorator's wrapper: eight values a ticket
        return super().bind_processor(dialect)


def _enum_value(value: Any) -> Any:
    return value._value_ if isinstance(value, Enum) else value


JsonDoc = JSON().with_variant(JSONB(), "postgresql")
"""A JSON document: JSONB on PostgreSQL, JSON text on SQLite."""


class EncodedJson(TypeDecorator[str]):
    """A JsonDoc column's value bound as the JSON text it already is (json.dumps's, as
    JsonDoc's own bind would write it): for a caller that needs the text itself too, so the
    document is encoded once. On PostgreSQL the text is cast to JSONB in the statement."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else JSON())

    def bind_processor(self, dialect: Dialect) -> _BindProcessorType[str] | None:
        return None
