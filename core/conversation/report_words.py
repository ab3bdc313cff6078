"""A staff member's words for the coordinator's report in the chat: "relatório", "relatório 7",
"relatório 7 dias Mercado Exemplo", "relatório da semana", "report 15 days", a calendar month
("relatório de novembro Mercado", "relatório do mês passado", "report last month"), as Slack's
/ticket relatorio [N [dias] | MÊS] [EMPRESA] reads them. Pure words: no company looked up."""

from __future__ import annotations

import re

from core.conversation.intents_words import near
from core.conversation.listing_month import named
from core.textmatch import fold

WORDS = frozenset({"relatorio", "report"})
"""The word that asks for the report, folded ("relatório", "Relatorio", "report")."""
UNITS = {**dict.fromkeys(("dia", "dias", "day", "days"), 1),
         **dict.fromkeys(("semana", "semanas", "week", "weeks"), 7),
         **dict.fromkeys(("mes", "meses", "month", "months"), 30),
         **dict.fromkeys(("ano", "anos", "year", "years"), 365)}
"""How many days a unit of the window is ("relatório 2 semanas", "relatório do mês")."""
FILLER = frozenset({"de", "da", "do", "das", "dos", "no", "na", "nos", "nas", "o", "a", "os",
                    "as", "em", "para", "pra", "ultimo", "ultimos", "ultima", "ultimas",
                    "empresa", "the", "of", "for", "in", "last", "past", "company", "this",
                    "deste", "desta", "neste", "nesta"})
"""Words around the window and before the company's name ("relatório dos últimos 7 dias da
empresa Mercado", "report for the last 7 days", "report this month"): not part of either."""
_COUNT = re.compile(r"(\d+)([a-z]*)")
"""A number, and a unit written against it ("7dias")."""
TOO_MANY = 10 ** 9
"""A number of days past any window (build refuses it as too long, report_days)."""


def split(text: str) -> tuple[str, str] | None:
    """The report's word as typed and the words after it, when the text starts with it, or
    with a typo of it before the days (a slash before it, as a command is typed, is allowed);
    else None."""
    parts = text.strip().lstrip("/").split(None, 1)
    rest = parts[1].strip() if len(parts) > 1 else ""
    if not parts or not (fold(parts[0]) in WORDS or rest[:1].isdigit() and typo(parts[0])):
        return None
    return parts[0], rest


TYPO_MIN = 6
"""A shorter word one letter off "report" is a word of its own ("repor 7": restock 7)."""


def typo(word: str) -> bool:
    """Whether a word is the report's with a letter missing, extra, wrong or two swapped
    ("relatoro", "reprot"): read as it, before the days only ("relatoro 7")."""
    folded = fold(word)
    return len(folded) >= TYPO_MIN and any(near(folded, w) for w in WORDS)


def _days(tokens: list[str], at: int, bare: bool) -> tuple[int, int] | None:
    """The days a number and its unit at tokens[at] say ("7", "7 dias", "7dias"; with `bare`,
    a unit alone: "semana"), and how many tokens they take; None when no window starts there."""
    word = fold(tokens[at])
    if word in UNITS:  # "relatório da semana": one of it; "Dia Supermercados" is a name
        return (UNITS[word], 1) if bare else None
    count = _COUNT.fullmatch(word)
    if count is None or (count.group(2) and count.group(2) not in UNITS):
        return None
    number = int(count.group(1)) if len(count.group(1)) <= 9 else TOO_MANY
    unit, used = count.group(2), 1
    if not unit and at + 1 < len(tokens) and fold(tokens[at + 1]) in UNITS:
        unit, used = fold(tokens[at + 1]), 2
    return min(number * UNITS.get(unit, 1), TOO_MANY), used


def asked(rest: str) -> tuple[int | None, str]:
    """The days (None: the default window) and the company's name (as typed; "" for every
    company) the words after the report's word ask for. The window comes first or last
    ("relatório 7 dias Mercado", "relatório Mercado 7 dias"); a number alone at the end is
    part of the name ("relatório Loja 09")."""
    tokens = rest.split()

    def skip(at: int) -> int:
        while at < len(tokens) and fold(tokens[at]) in FILLER:
            at += 1
        return at

    at = skip(0)
    days = _days(tokens, at, at > 0 or len(tokens) == 1) if at < len(tokens) else None
    if days is not None:
        tokens = tokens[skip(at + days[1]):]
    else:
        tokens = tokens[at:]
        for used in (2, 1):  # "Mercado 7 dias", "Mercado 7dias", "Mercado da semana"
            end = len(tokens) - used
            bare = end >= 1 and fold(tokens[end - 1]) in FILLER
            ends = _days(tokens, end, bare) if end >= 1 else None
            if ends is not None and ends[1] == used and (used == 2 or not tokens[end].isdigit()):
                days, tokens = ends, tokens[:end]
                while tokens and fold(tokens[-1]) in FILLER:
                    tokens.pop()
                break
    return (days[0] if days else None), " ".join(tokens)


MONTH_WORDS = frozenset({"mes", "month"})
"""A month with no number nor name: "relatório do mês" is this month so far, as a coordinator
closing it expects ("relatório 30 dias", "relatório 1 mês" are 30 days back from now)."""
COUNTED = frozenset({"ultimo", "ultima", "past"})
"""Before "mês", a window of 30 days ("do último mês", "past month"); "last month" is named's."""
LONGEST = 6
"""The most words a month is said in ("do mês de novembro de 2026")."""


def month_asked(rest: str) -> tuple[str, str] | None:
    """The month (as listing_month.named gives it: "this", "last", "11", "2026-11") and the
    company's name (as typed) the words after the report's word ask for, the month first or
    last ("relatório novembro Mercado", "relatório Mercado de novembro"); None when they
    name no month ("relatório 7 dias", "relatório do último mês": 30 days, as before)."""
    tokens = rest.split()
    for size in range(min(len(tokens), LONGEST), 0, -1):
        for start in (0, len(tokens) - size):
            before = fold(tokens[start - 1]) if start else ""
            counted = before in COUNTED or _COUNT.fullmatch(before) is not None
            month = _month(" ".join(tokens[start:start + size]), counted)
            if month is not None:
                left = tokens[size:] if start == 0 else tokens[:start]
                while left and fold(left[0]) in FILLER:
                    left.pop(0)
                while left and fold(left[-1]) in FILLER:
                    left.pop()
                return month, " ".join(left)
    return None


def _month(said: str, counted: bool) -> str | None:
    """The month words name whole, fillers aside; None if they name none or say more, or a
    bare "mês" is `counted` (after a number or "último": "1 mês", "do último mês" are 30
    days, as before)."""
    folded = fold(said)
    found = named(folded, said)
    if found is not None:
        return found[0] if all(w in FILLER for w in found[1].split()) else None
    words = [w for w in folded.split() if w not in FILLER]
    if len(words) == 1 and words[0] in MONTH_WORDS and not counted and not COUNTED & set(
            folded.split()):
        return "this"
    return None


def days_only(text: str) -> str | None:
    """The words after the report's word when they ask for no company ("relatório",
    "relatório 7 dias"): a command wherever it is typed; None for anything else ("relatório
    de vendas" may be a trâmite's words, read as a company only where requests run)."""
    found = split(text)
    if found is None:
        return None
    month = month_asked(found[1])
    return None if (month[1] if month else asked(found[1])[1]) else found[1]
