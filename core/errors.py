"""The small taxonomy of errors core raises; adapters turn them into text in one place."""

from __future__ import annotations

from typing import Any


class HelpdeskError(Exception):
    """Base of every expected error: a message key from the catalog plus its parameters."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class NotFound(HelpdeskError):
    """The thing asked for does not exist (or is not visible to the actor)."""

    key = "error.not_found"


class NotAllowed(HelpdeskError):
    """The actor may not do this (another company's ticket, a customer acting as agent...)."""

    key = "error.not_allowed"


class NotEligible(HelpdeskError):
    """The person may not open tickets (R2): unknown, or not trained."""

    key = "error.not_eligible"


class InvalidTransition(HelpdeskError):
    """The ticket's status does not allow this action."""

    key = "error.invalid_transition"


class InvalidInput(HelpdeskError):
    """An answer or a field value is wrong; the key says what is wrong."""

    key = "error.invalid_input"


class Conflict(HelpdeskError):
    """Something already exists or was changed by someone else meanwhile."""

    key = "error.conflict"
