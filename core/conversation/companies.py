"""Which of the user's companies: buttons for a few, a typed name for many.

A chat keyboard holds a limited number of buttons (Telegram refuses more than 100; Slack's
messages, 50 blocks), so a contact of more than MAX_CHOICES companies types part of the
name instead and gets buttons once the name narrows it down.
"""

from __future__ import annotations

from collections.abc import Callable

from core.catalog import MAX_CHOICES
from core.conversation.replies import Expect
from core.conversation.turn import Turn
from core.errors import InvalidInput
from core.textmatch import fold, words

Choices = list[tuple[str, str]]


def company_choices(turn: Turn) -> Choices:
    """(name, id) of each of the user's companies, in the user's own order."""
    found = []
    for company_id in turn.user.company_ids:
        company = turn.ctx.uow.companies.get(company_id)
        if company is not None:
            found.append((company.name, str(company_id)))
    return found


def ask_company(turn: Turn, step: str, question: str, extra: Choices | None = None) -> None:
    """Ask with a button per company, or for a typed name when there are too many."""
    names = company_choices(turn)
    if len(names) <= MAX_CHOICES:
        turn.ask(step, question, names + (extra or []))
        return
    text = question + "\n" + turn.t("conv.company.type_name", count=len(names))
    turn.ask(step, text, extra or [], Expect.TEXT)


def named(names: Choices, typed: str) -> Choices:
    """The companies whose name has every typed word as the start of one of its words, else
    anywhere inside one ("loja 9" finds "Loja 09")."""
    wanted = words(typed)
    if not wanted:
        return []
    candidates = [(n, v, words(n)) for n, v in names]
    for fits in (str.startswith, str.__contains__):
        found = [(n, v) for n, v, have in candidates
                 if all(any(fits(w, part) for w in have) for part in wanted)]
        if found:
            return found
    return []


def on_company_name(turn: Turn, typed: str, step: str, question: str,
                    choose: Callable[[Turn, str], None], extra: Choices | None = None) -> None:
    """A typed name: chosen when it names one company, else the matching ones as buttons."""
    names = company_choices(turn)
    found = [(n, v) for n, v in names if fold(n) == fold(typed)] or named(names, typed)
    if len(found) == 1:
        choose(turn, found[0][1])
        return
    if not found:
        raise InvalidInput("conv.company.none", typed=typed.strip()[:60])
    if len(found) > MAX_CHOICES:
        raise InvalidInput("conv.company.too_many", count=len(found))
    text = turn.t("conv.company.found", count=len(found)) + "\n" + question
    turn.ask(step, text, found + (extra or []))
