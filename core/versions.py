"""Compare the version a customer reports with the current release (R17)."""

from __future__ import annotations

import re

# An optional word such as "v", "versão" or "release", then numbers separated by dots (or the
# pt-BR decimal comma); anything after the numbers (e.g. "-b3", " build 7") is ignored.
_VERSION = re.compile(
    r"^\s*(?:v|ver|vers[aã]o|version|release|rel)?\.?:?\s*(\d+(?:[.,]\d+)*)", re.IGNORECASE
)


_IN_SENTENCE = re.compile(r"(?<![\d.,])(\d{1,4}(?:\.\d+)+)(?![\d.,]*\d)")
_YEAR_IN_SENTENCE = re.compile(r"(?<![\d.,])(\d{4})(?![\d.,]*\d)")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def normalized(text: str) -> str:
    """A typed version as the team writes it: the pt-BR decimal comma as a dot ("2026,11" is
    2026.11), and out of a sentence the number alone ("a versão é 2026.9", "uso a 2025")."""
    value = _DECIMAL_COMMA.sub(".", text.strip())
    if value[:1].isdecimal():
        return value
    years = set(_YEAR_IN_SENTENCE.findall(value))
    return version_in(value) or (years.pop() if len(years) == 1 else value)


def version_in(text: str) -> str | None:
    """The one dotted version number a sentence holds ("a versão é 2026.9"), else None."""
    found = set(_IN_SENTENCE.findall(text))
    return found.pop() if len(found) == 1 else None


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """Return the numeric parts of a version, without trailing zeros, or None if unparsable."""
    if not text:
        return None
    match = _VERSION.match(text)
    if match is None:
        return None
    parts = [int(part) for part in re.split(r"[.,]", match.group(1))]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def compare_versions(a: str | None, b: str | None) -> int | None:
    """Return -1, 0 or 1 as version a is older than, equal to or newer than b; None if unknown."""
    left, right = parse_version(a), parse_version(b)
    if left is None or right is None:
        return None
    return (left > right) - (left < right)


def is_older(reported: str | None, current: str | None) -> bool | None:
    """Say whether the reported version is older than the current one (None when unknown)."""
    result = compare_versions(reported, current)
    return None if result is None else result < 0


def looks_like_one(reported: str | None, current: str | None) -> bool:
    """Whether a version that reads as numbers begins as the current one does, with a number
    of as many digits at least (2026.11: a year), so "1" or "9.1" is no version (R17); words,
    or a current version that reads as none, are not judged here."""
    left, right = parse_version(reported), parse_version(current)
    return left is None or right is None or len(str(left[0])) >= len(str(right[0]))


MONTHS = 12
YEAR_DIGITS = 4


def no_such_month(reported: str | None, current: str | None) -> int | None:
    """The month a version names when versions read as year.month, as the current one does
    (2026.11), and it is none ("2026.13": 13); None otherwise."""
    left, right = parse_version(reported), parse_version(current)
    if left is None or right is None or len(left) < 2 or len(right) < 2:
        return None
    year_month = all(len(str(v[0])) == YEAR_DIGITS for v in (left, right)) and \
        1 <= right[1] <= MONTHS
    return left[1] if year_month and left[1] > MONTHS else None


def plainly(text: str) -> str | None:
    """The version a message is and nothing else ("v2026.11.2", "versão 2026,11"), the
    decimal comma as a dot; None for anything more (or a number with no dot: "4431")."""
    match = _PLAIN.fullmatch(text.strip())
    return _DECIMAL_COMMA.sub(".", match.group(1)) if match else None


_PLAIN = re.compile(r"(?:(?:a\s+)?(?:v|ver|vers[aã]o|version|release|rel)\.?:?\s*)?"
                    r"(\d{1,4}(?:[.,]\d+)+)\.?", re.IGNORECASE)


RELEASE_PARTS = 2
"""A release is its first two numbers (2026.11); a third is a correction package (R15)."""


def is_unreleased(reported: str | None, current: str | None) -> bool:
    """Whether the reported version names a release after the current one: not out yet."""
    left, right = parse_version(reported), parse_version(current)
    return left is not None and right is not None and \
        left[:RELEASE_PARTS] > right[:RELEASE_PARTS]


_NAMED = re.compile(r"\b(?:vers[aã]o|version|release|vers\.?|v)\s*:?\s*(\d{1,4}(?:[.,]\d+)+)\b",
                    re.IGNORECASE)


def named_version(text: str | None) -> str | None:
    """The one version a text names after the word ("na versão 2026.9 trava", "v2026.10"),
    the decimal comma as a dot; None for none or several."""
    found = {_DECIMAL_COMMA.sub(".", m) for m in _NAMED.findall(text or "")}
    return found.pop() if len(found) == 1 else None


def split_version(text: str) -> tuple[str, str | None]:
    """The words of a message and the one version it holds ("pdv versão 2026,10" is "pdv"
    and 2026.10), the decimal comma as a dot; the text whole and None for none or several."""
    value = _DECIMAL_COMMA.sub(".", text)
    for pattern in (_NAMED, _IN_SENTENCE):
        found = pattern.findall(value)
        if len(set(found)) == 1:
            return pattern.sub(" ", value), found[0]
    return text, None
