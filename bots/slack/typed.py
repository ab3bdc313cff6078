"""What a person typed in Slack, as they typed it: Slack sends message and command text with
`&`, `<`, `>` as HTML entities and links, mentions and channels as `<…>` markup."""

from __future__ import annotations

import html
import re

from core.services.intake import plain

_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def _readable(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith("@"):  # a person: <@U123> or <@U123|ana>
        return f"@{label or target[1:]}"
    if target.startswith("#"):  # a channel: <#C123|suporte>
        return f"#{label or target[1:]}"
    if target.startswith("!"):  # <!here>, <!subteam^S1|@time>, <!date^…|fallback>
        name = target[1:]
        return label or _SPECIAL.get(name, f"@{name}")
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if label and label not in target:
        return f"{label} ({target})"
    return label or target  # an address typed bare ("www.exemplo.com") reads as typed


def typed_text(text: str | None) -> str:
    """The text as the person wrote it: markup made readable, then entities decoded in one pass
    (a typed "&lt;" arrives as "&amp;lt;" and stays "&lt;"); control characters dropped (a NUL
    would fail the step on PostgreSQL)."""
    return plain(html.unescape(_MARKUP.sub(_readable, text or "")))
