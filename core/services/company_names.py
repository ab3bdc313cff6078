"""A client company named as a person types it (the command line, Slack's /ticket relatorio,
the chat's relatório): the exact name, else the one it starts or whose words it starts."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import InvalidInput, NotFound
from core.models import Company
from core.services.context import Ctx
from core.textmatch import fold, words

SHOWN_CANDIDATES = 10


def company_named(ctx: Ctx, typed: str) -> Company:
    """The company a name means: exact, else the one it starts or whose words it starts."""
    name = " ".join(typed.split())
    exact = ctx.uow.companies.by_name(name) if name else None
    if exact is not None:
        return exact
    wanted, every = words(name), ctx.uow.companies.list()
    found = [c for c in every if wanted and fold(c.name).startswith(fold(name))] or [
        c for c in every if wanted and all(any(w.startswith(part) for w in words(c.name))
                                           for part in wanted)]
    if not found:
        raise NotFound("error.company_not_found", name=name or typed)
    if len(found) > 1:
        raise InvalidInput("error.company_ambiguous", name=name,
                           candidates=candidates(c.name for c in found))
    return found[0]


def candidates(names: Iterable[str]) -> str:
    """The names a typed name answers to, sorted, the first SHOWN_CANDIDATES of them."""
    shown = sorted(names)
    return ", ".join(shown[:SHOWN_CANDIDATES] + (["…"] if len(shown) > SHOWN_CANDIDATES else []))
