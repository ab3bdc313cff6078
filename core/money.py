"""Amounts in reais read from an agent's line of text ("4 h de análise, R$ 720,00")."""

from __future__ import annotations

import re
from decimal import Decimal

_ENGLISH = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?![\d,])"
"""Thousands grouped by commas, as an English-speaking agent writes them ("R$ 2,880.00"): in
Portuguese a comma is followed by cents, never by three digits."""
_NUMBER = (rf"{_ENGLISH}|\d{{1,3}}(?:\.\d{{3}})+(?:,\d{{1,2}})?(?!\d)|\d+\.\d{{1,2}}(?![\d.])"
           r"|\d+(?:,\d{1,2})?(?!\d)")
_AMOUNT = re.compile(rf"(?P<total>(?:total\s*(?:de\s*|:\s*)?|=\s*))?"
                     rf"(?:R\$\s*(?P<a>{_NUMBER})|(?<![\d.,])(?P<b>{_NUMBER})\s*reais\b)",
                     re.IGNORECASE)
# A number before "reais" starts where its digits start: tried from inside a long run of
# digits, the search took time by the square of its length.
_RANGE = re.compile(r"\s*(?:a|até|ou)\s*(?:R\$\s*)?\d|\s*[-–]\s*R\$|[-–]\d", re.IGNORECASE)
"""Another amount right after: "R$ 300 a R$ 450", "R$ 300-450" (not "R$ 720 - 4 h")."""


def _value(number: str) -> Decimal:
    """"2.880,00" → 2880.00, "720.50" → 720.50, "350" → 350, "2,880.00" → 2880.00."""
    if re.fullmatch(_ENGLISH, number):
        number = number.replace(",", "")
    elif "," in number or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number):
        number = number.replace(".", "").replace(",", ".")
    return Decimal(number).quantize(Decimal("0.01")) if "." in number else Decimal(number)


def quoted_amount(text: str) -> Decimal | None:
    """The one total a quote names in reais; None when it names none, a range, or several
    amounts without saying which is the total (nothing guessed)."""
    amounts, totals = set(), set()
    for match in _AMOUNT.finditer(text or ""):
        if _RANGE.match(text, match.end()):
            return None
        value = _value(match.group("a") or match.group("b"))
        amounts.add(value)
        if match.group("total"):
            totals.add(value)
    for candidates in (totals, amounts):
        if len(candidates) == 1:
            return candidates.pop()
    return None
