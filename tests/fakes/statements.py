"""The SQL statements a store's engine runs meanwhile, as the driver sends them (to count the
reads a step makes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def statements(store: Any) -> Iterator[list[str]]:
    """Collect every statement the store's engine runs inside the block."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(store.engine, "after_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(store.engine, "after_cursor_execute", note)
