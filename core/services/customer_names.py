"""A customer named as a person types it (Slack's /ticket cliente, the chat's "tickets da
Carla"): the whole name, else the one whose words the typed words start, in their order."""

from __future__ import annotations

from core.errors import InvalidInput, NotFound
from core.models import User
from core.services.company_names import candidates
from core.services.context import Ctx
from core.textmatch import fold

NAME_WORDS_MAX = 8
"""More words than a name has name no one (a pasted text is not matched against everyone)."""
PREFIX_MIN = 3
"""A typed word this long may be the start of a name's word ("merc" for Mercado)."""


def name_matches(wanted: list[str], name: str, whole: bool = False) -> bool:
    """Whether folded words name this name: each the start of one of its words, in its order;
    `whole`: one for each of its words."""
    words = fold(name).split()
    if not wanted or (whole and len(wanted) != len(words)):
        return False
    at = 0
    for part in wanted:
        while at < len(words) and not _starts(words[at], part):
            at += 1
        if at == len(words):
            return False
        at += 1
    return True


def _starts(word: str, part: str) -> bool:
    return word == part or (len(part) >= PREFIX_MIN and word.startswith(part))


def customers_named(ctx: Ctx, wanted: list[str], whole: bool = False) -> dict[int, str]:
    """The active customers folded words name, by id: with `whole`, only by their whole
    name; else those of the whole name, or failing that those whose name the words start."""
    if not wanted or len(wanted) > NAME_WORDS_MAX:  # no one's name is that long
        return {}
    customers = ctx.uow.users.customer_names()
    found = {i: n for i, n in customers.items() if name_matches(wanted, n, whole=True)}
    if found or whole:
        return found
    return {i: n for i, n in customers.items() if name_matches(wanted, n)}


def customer_named(ctx: Ctx, typed: str) -> User:
    """The one customer a name means; none or several are said, with the candidates."""
    name = " ".join(typed.split())
    found = customers_named(ctx, fold(name).split())
    if len(found) > 1:
        raise InvalidInput("error.customer_ambiguous", name=name,
                           candidates=candidates(found.values()))
    person = ctx.uow.users.get(next(iter(found))) if found else None
    if person is None:
        raise NotFound("error.customer_not_found", name=name)
    return person
