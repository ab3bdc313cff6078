"""A short assunto suggested from a text too long for one (R3): its first sentence when it
fits, else its start cut at a word, never in the middle of one."""

from __future__ import annotations

import re

from core.textmatch import fold

_SENTENCE_END = re.compile(r"[.!?;:\n]")
_DANGLING = frozenset({
    "e", "ou", "de", "do", "da", "dos", "das", "o", "a", "os", "as", "um", "uma", "que", "com",
    "para", "pra", "por", "em", "no", "na", "nos", "nas", "ao", "aos", "se", "mas", "quando",
    "porque", "pois", "como", "sem", "and", "or", "of", "the", "to", "with", "for", "in", "on",
    "when", "but"})
"""Words a summary should not end on ("… quando o cliente tem crédito e")."""
MIN_WORDS = 3


def worth_offering(text: str | None) -> bool:
    """Whether a message says enough to offer its summary as an assunto (a word or two do not)."""
    return text is not None and len(text.split()) >= MIN_WORDS


def suggest(text: str, limit: int) -> str:
    """A summary of at most limit characters: the first sentence if it fits and says
    something, else the words that fit (without a dangling "e", "de", "quando"), marked "…"."""
    value = " ".join(text.split())
    if len(value) <= limit and not _SENTENCE_END.search(value):
        return value
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    first = " ".join(first.split()).rstrip(",")
    if len(first) <= limit and len(first.split()) >= MIN_WORDS:
        return first
    words = value[:limit].split(" ")
    if len(value) > limit and value[limit] != " " and len(words) > 1:
        words = words[:-1]  # the last word was cut in the middle
    while len(words) > 1 and (fold(words[-1]) in _DANGLING or not words[-1].strip(",;:-–")):
        words.pop()
    kept = " ".join(words).rstrip(",;:-–")
    while len(kept) + 1 > limit and " " in kept:  # room for the "…"
        kept = kept.rsplit(" ", 1)[0].rstrip(",;:-–")
    return kept[: limit - 1] + "…"
