"""What a person typed in Slack, as they typed it: Slack sends message and command text with
`&`, `<`, `>` as HTML entities and links, mentions and channels as `<…>` markup."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from core.services.intake import plain

_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}
_MENTION = re.compile(r"<([@#])([A-Z0-9]+)(?:\|([^<>]*))?>")
"""A person or channel as Slack's markup: <@U123>, <@U123|ana>, <#C123|suporte>, <#C123>."""


Person = Callable[[str], str]
"""How a mentioned Slack id reads to whoever gets the text (a name, never a raw id)."""


def _readable(match: re.Match[str], person: Person | None = None,
              channel: str | None = None) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith("@"):  # a person: <@U123> or <@U123|ana>
        return f"@{person(target[1:]) if person else label or target[1:]}"
    if target.startswith("#"):  # a channel: <#C123|suporte>; <#C123> names only its id
        return f"#{label or channel or target[1:]}"
    if target.startswith("!"):  # <!here>, <!subteam^S1|@time>, <!date^…|fallback>
        name = target[1:]
        return label or _SPECIAL.get(name, f"@{name}")
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if label and label not in target:
        return f"{label} ({target})"
    return label or target  # an address typed bare ("www.exemplo.com") reads as typed


def typed_text(text: str | None, person: Person | None = None,
               channel: str | None = None) -> str:
    """The text as the person wrote it: markup made readable, then entities decoded in one pass
    (a typed "&lt;" arrives as "&amp;lt;" and stays "&lt;"); control characters dropped (a NUL
    would fail the step on PostgreSQL).

    For a reader outside Slack, `person` names a mentioned Slack id and `channel` stands for a
    channel Slack sent without its name."""
    return plain(html.unescape(_MARKUP.sub(lambda m: _readable(m, person, channel),
                                           text or "")))


def _named(match: re.Match[str], person: Person, channel: str) -> str:
    kind, target, label = match.groups()
    return f"@{person(target)}" if kind == "@" else f"#{label or channel}"


def named(text: str, person: Person, channel: str) -> str:
    """Plain text (a form's field, which Slack does not escape) with the people and channels
    in it as Slack's markup read by name; the rest stays as typed."""
    return _MENTION.sub(lambda m: _named(m, person, channel), text)


def labelled(text: str, person: Person, channel: str) -> str:
    """Slack's message text with each person's and channel's markup carrying its name as the
    label, so that typed_text reads it by name without looking anyone up."""
    def label(match: re.Match[str]) -> str:
        name = re.sub(r"[<>|]", "", _named(match, person, channel)[1:]).replace("&", "&amp;")
        return f"<{match.group(1)}{match.group(2)}|{name}>"

    return _MENTION.sub(label, text)


def mentioned_ids(text: str | None) -> list[str]:
    """The Slack ids of the people mentioned in Slack's text (<@U123>, <@U123|ana>)."""
    return [m.group(2) for m in _MENTION.finditer(text or "") if m.group(1) == "@"]
