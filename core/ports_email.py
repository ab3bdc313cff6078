"""The port of the e-mail changes waiting for their code (R11), apart from core.ports."""

from __future__ import annotations

from typing import Protocol

from core.models import EmailChange


class EmailChangeRepository(Protocol):
    """The new e-mail address each user waits to confirm, one per user (R11)."""

    def get(self, user_id: int) -> EmailChange | None: ...
    def put(self, change: EmailChange) -> None:
        """Add the user's change, or replace the one they had."""
        ...
    def delete(self, user_id: int) -> None: ...
