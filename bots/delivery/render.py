"""A notification's words, from core's message catalog in the person's language."""

from __future__ import annotations

from typing import Any

from core.i18n import render_notification


def render(kind: str, params: dict[str, Any], language: str | None = None) -> tuple[str, str]:
    """The (subject, text) of a notification in the person's language."""
    return render_notification(kind, params, language or params.get("language") or "pt_BR")
