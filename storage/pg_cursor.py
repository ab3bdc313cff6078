"""psycopg's own: a cursor whose `description` is built only when someone looks into it; ints
of a fixed size."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any


class LazyDescription(Sequence[Any]):
    """A result's columns, described on first look.

    SQLAlchemy asks every result for `cursor.description` but, for a statement it ran before,
    only checks that there is one: psycopg builds a Column per field each time (~60 µs for the
    ~35 of a chat step's read). Looked into while the cursor still holds that result, it is
    psycopg's own list; afterwards it refuses rather than describe another result.
    """

    def __init__(self, cursor: Any, result: Any) -> None:
        self._cursor = cursor
        self._result = result
        self._columns: list[Any] | None = None

    def _built(self) -> list[Any]:
        if self._columns is None:
            if self._cursor.pgresult is not self._result:
                raise RuntimeError("the cursor has moved on to another result")
            self._columns = self._cursor.eager_description() or []
        return self._columns

    def __len__(self) -> int:
        return len(self._built())

    def __getitem__(self, index: Any) -> Any:
        return self._built()[index]


@cache
def lazy_cursor() -> type:
    """psycopg's Cursor with LazyDescription (imported here: SQLite never needs psycopg)."""
    import psycopg

    class LazyCursor(psycopg.Cursor[Any]):
        @property
        def description(self) -> Any:
            result = self.pgresult
            if result is None:
                return None
            return LazyDescription(self, result) if result.nfields else self.eager_description()

        def eager_description(self) -> Any:
            return psycopg.Cursor.description.fget(self)  # type: ignore[attr-defined]

    return LazyCursor


@cache
def sized_ints() -> tuple[type[int], type[int], type[int]]:
    """int subclasses psycopg sends as smallint, integer and bigint whatever their value (it
    types a plain int by its value). Its own Int2/Int4/Int8 do the same, but each is made by a
    Python __new__ (~4x an int's making, for ~14 ints a chat step's write): these are plain
    subclasses, their dumpers registered for every connection made from now on."""
    import psycopg
    from psycopg.types import numeric

    made = []
    for size in ("Int2", "Int4", "Int8"):
        kind = type(f"Sized{size}", (int,), {"__slots__": ()})
        for dumper in (f"{size}Dumper", f"{size}BinaryDumper"):
            psycopg.adapters.register_dumper(kind, getattr(numeric, dumper))
        made.append(kind)
    return made[0], made[1], made[2]
