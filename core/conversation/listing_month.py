"""A listing's month (R8): the words that name it ("novembro", "nov/2026", "11/2026", "mês
passado", "this month"); the month they mean as of a day, its bounds and its name are
core.months' (the report's too), kept here for the listing's callers."""

from __future__ import annotations

import re

from core.months import bounds, resolved, title
from core.textmatch import fold

__all__ = ["MONTHS", "as_typed", "bounds", "named", "resolved", "title"]

_NAMES = ("janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro "
          "dezembro", "january february march april may june july august september october "
          "november december")
_SHORT = ("jan fev mar abr mai jun jul ago set out nov dez",
          "jan feb mar apr may jun jul aug sep oct nov dec")
MONTHS = {name: n for line in _NAMES for n, name in enumerate(line.split(), 1)}
_ABBREVIATED = {name: n for line in _SHORT for n, name in enumerate(line.split(), 1)}
"""Short names only with a year ("nov/2026"): alone, "set", "out" or "mar" are other words."""
_YEAR = r"(?:de |of )?(20\d\d)"
_LEAD = r"(?:(?:de|do|da|em|no|na|in|from|of|for|during|durante) )?(?:(?:mes|month) (?:de |of )?)?"
_NAMED = re.compile(rf"\b{_LEAD}(?:({'|'.join(MONTHS)})(?: {_YEAR})?"
                    rf"|({'|'.join(_ABBREVIATED)}) {_YEAR}|(0?[1-9]|1[0-2]) (20\d\d))\b")
_THIS = re.compile(r"\b(?:(?:d|n)?(?:este|esse) mes|(?:(?:do|no) )?mes (?:atual|corrente)"
                   r"|(?:this|current) month)\b")
_ISO = re.compile(r"\b(20\d\d)[-/](0?[1-9]|1[0-2])\b")
"""A month as its year and number typed ("2026-11", "2026/11"): folded, two numbers."""
_LAST = re.compile(r"\b(?:(?:do|no) )?(?:mes (?:passado|anterior)|(?:last|previous) month)\b")


def named(folded: str, typed: str = "") -> tuple[str, str] | None:
    """The month the (folded) words name, as "this", "last", "11" (no year said) or "2025-11"
    (typed so too), and the words without it; None if they name none. "marco" is March only
    typed "março" or with a year: Marco is also a name ("tickets do Marco")."""
    for pattern, token in ((_THIS, "this"), (_LAST, "last")):
        if (found := pattern.search(folded)) is not None:
            return token, _without(folded, found)
    iso = _ISO.search(typed)
    said = None if iso is None else re.search(rf"\b{_LEAD}{re.escape(fold(iso.group(0)))}\b",
                                              folded)
    if iso is not None and said is not None:
        return f"{iso.group(1)}-{int(iso.group(2)):02d}", _without(folded, said)
    found = _NAMED.search(folded)
    if found is None:
        return None
    name, year, short, short_year, number, number_year = found.groups()
    if name == "marco" and year is None and "março" not in typed.casefold():
        return None
    month = MONTHS[name] if name else _ABBREVIATED[short] if short else int(number)
    year = year or short_year or number_year
    return (f"{year}-{month:02d}" if year else str(month)), _without(folded, found)


def as_typed(folded: str, typed: str) -> str:
    """The folded words with a month typed as "2026-11" written so again (folded, it is two
    numbers, which name no month)."""
    iso = _ISO.search(typed)
    return folded if iso is None else folded.replace(fold(iso.group(0)), iso.group(0), 1)


def _without(folded: str, found: re.Match[str]) -> str:
    return " ".join((folded[:found.start()] + " " + folded[found.end():]).split())
