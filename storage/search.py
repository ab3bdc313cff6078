"""What a ticket text search means, shared by every store so they cannot drift.

A query is split on whitespace into words; a ticket matches when every word matches.
A word matches when its tokens appear, in order and adjacent, in the number, the assunto or
the descrição, the last token as a prefix ("emiss" finds "Emissão", "nf-e" finds "NF-e").
Tokens are runs of letters and digits, compared without case and accents.
A word that looks like a ticket number matches that number: "202611/0042" (or "202611/42")
the ticket 202611/0042, "42" or "0042" the tickets with sequence 42; in the text it is looked
for only in the assunto and descrição (so "2" does not find every "2026..." number). Other
words also match the number as text: "202611" finds the tickets of November 2026.
The fiscal documents' abbreviations are found however they are written: "nfe" finds "NF-e"
and "nf-e" finds "NFe" (likewise NFC-e, CT-e, MDF-e, NFS-e: consonants, then "e").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"^(?:(\d{6})/(\d{1,6})|(\d{1,4}))$")


def fold(text: str) -> str:
    """Lower-case and strip accents, for accent-insensitive comparison."""
    nfkd = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Split text into folded tokens of letters and digits."""
    return _TOKEN.findall(fold(text))


_ABBREVIATION = re.compile(r"^([b-df-hj-np-tv-z]{2,4})e$")
"""NF-e, NFC-e, CT-e, MDF-e, NFS-e: a stem without vowels, then "e"."""


@dataclass(frozen=True)
class Term:
    """One word of a query: its tokens, and the ticket number it may name."""

    tokens: tuple[str, ...]
    period: str | None = None
    seq: int | None = None

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        """The tokens, and the other way of writing a fiscal document's abbreviation: "nfe"
        as "nf e" (NF-e), "nf e" as "nfe" (NFe)."""
        joined = "".join(self.tokens)
        match = _ABBREVIATION.match(joined)
        if match is None or len(self.tokens) > 2:
            return (self.tokens,)
        if len(self.tokens) == 1:
            return (self.tokens, (match.group(1), "e"))
        return (self.tokens, (joined,)) if self.tokens[1] == "e" else (self.tokens,)


def parse(text: str | None) -> list[Term]:
    """Turn a user's query into terms; words without letters or digits are ignored."""
    terms = []
    for word in (text or "").split():
        toks = tuple(tokens(word))
        if not toks:
            continue
        m = _NUMBER.match(word.strip())
        if m and m.group(3):
            terms.append(Term(toks, None, int(m.group(3))))
        elif m:
            terms.append(Term(toks, m.group(1), int(m.group(2))))
        else:
            terms.append(Term(toks))
    return terms


def phrase_in(toks: tuple[str, ...], field: list[str]) -> bool:
    """Whether toks occur adjacent in field, the last one as a prefix."""
    n = len(toks)
    for i in range(len(field) - n + 1):
        if field[i : i + n - 1] == list(toks[:-1]) and field[i + n - 1].startswith(toks[-1]):
            return True
    return False


def term_matches(term: Term, period: str, seq: int, number: str, texts: list[str]) -> bool:
    """Whether one term matches a ticket with this number and these texts."""
    if term.seq is not None:
        if term.seq == seq and term.period in (None, period):
            return True
    elif phrase_in(term.tokens, tokens(number)):
        return True
    return any(phrase_in(toks, tokens(f)) for f in texts for toks in term.spellings)
