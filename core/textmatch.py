"""Accent- and case-insensitive matching (coverage scorer, KB search), and digits of any width."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _unmark(found: re.Match[str]) -> str:
    """A combining mark dropped; any other non-ASCII character is a word break anyway."""
    return "" if unicodedata.combining(found.group()) else " "


# A step folds the same typed text several times (confused, intents, smalltalk, coaching...).
@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Return text without accents, lower-cased, with words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = _NON_ASCII.sub(_unmark, decomposed)
    return _NON_WORD.sub(" ", stripped).strip()


_HYPHENATED = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def unhyphenate(text: str) -> str:
    """Hyphenated words joined, as people also type them: "NF-e" is "NFe"."""
    return _HYPHENATED.sub("", text)


def name_words(text: str) -> set[str]:
    """The folded words of a name, hyphenated ones also joined ("NF-e": nf, e, nfe), so
    "nfe", "NF-e" and "nf e" all name it."""
    return set(fold(text).split()) | set(fold(unhyphenate(text)).split())


def words(text: str) -> list[str]:
    """Return the folded words of text."""
    folded = fold(text)
    return folded.split(" ") if folded else []


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str) -> re.Pattern[str] | None:
    """Compile a keyword or phrase for folded text; a trailing '*' matches any word ending."""
    prefix = keyword.rstrip().endswith("*")
    folded = fold(keyword)
    if not folded:
        return None
    tail = "[a-z0-9]*" if prefix else ""
    return re.compile(rf"(?<![a-z0-9]){re.escape(folded)}{tail}(?![a-z0-9])")


def contains(folded_text: str, keyword: str) -> bool:
    """Say whether already-folded text contains the keyword as whole words."""
    pattern = keyword_pattern(keyword)
    return pattern is not None and pattern.search(folded_text) is not None


def stem(word: str) -> str:
    """Fold the commonest Portuguese plurals (of a folded word) so 'notas' finds 'nota' and
    'rejeicoes' 'rejeicao'."""
    if len(word) > 4 and word.endswith(("oes", "aes")):
        return word[:-3] + "ao"
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_NUMBER_MARKS = frozenset("#/ ")


def _ascii_digit(found: re.Match[str]) -> str:
    """A digit of any width or script as its ASCII digit; a fullwidth '／', '＃' or an
    ideographic space as NFKC reads it; anything else unchanged."""
    char = found.group()
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded in _NUMBER_MARKS else char


def ascii_digits(text: str) -> str:
    """Text to read ticket numbers in: "２０２６１１／０００１" (a fullwidth keyboard) as
    "202611/0001", one character for one; the text kept as typed is the caller's."""
    return text if text.isascii() else _NOT_ASCII.sub(_ascii_digit, text)
