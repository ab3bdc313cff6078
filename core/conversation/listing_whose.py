"""An agent's listing search that names a customer or a client company ("tickets da Carla",
"do Mercado Exemplo", "carla souza"): that one's tickets, not the words searched (R8)."""

from __future__ import annotations

import re
from typing import Any

from core.conversation.turn import Turn
from core.ports import TicketQuery
from core.services import queries
from core.services.customer_names import customers_named, name_matches
from core.textmatch import fold

OF = frozenset({"do", "da", "de", "dos", "das", "of", "from", "by"})
"""The word before a name ("tickets da Carla"): without it, the whole name must be typed."""
POSSESSIVE = re.compile(r"(?:(?:show|see|list|find)(?:\s+me)?\s+)?(?P<name>.+?)['’]s?"
                        r"(?:\s+(?:tickets?|requests?|cases?|chamados?))?[\s?.!]*", re.IGNORECASE)
"""A name in the English possessive ("Carla's tickets", "show me Carla's"): led, as after "da"."""
NAME_MIN = 3
"""The fewest letters of a name typed alone that may name someone ("ana", not "an")."""
FORMS = frozenset({"ltda", "me", "sa", "eireli", "epp", "inc", "llc"})
"""A company's legal form, which nobody types when naming it."""


def whose(turn: Turn, text: str) -> tuple[str, int] | None:
    """("requester", id) or ("company", id) of the one customer or company the words name,
    and nothing else does; None for other words, or a name several people share."""
    owner = POSSESSIVE.fullmatch(text.strip())
    words = fold(owner["name"] if owner else text).split()
    led = owner is not None or (bool(words) and words[0] in OF)
    wanted = words[1:] if led and not owner else words
    if not wanted or (not led and len(wanted) < 2):
        return None  # "carla" alone may be a descrição's word
    people = [("requester", i) for i in customers_named(turn.ctx, wanted, whole=not led)]
    companies = [("company", c.id or 0) for c in turn.ctx.uow.companies.list()
                 if name_matches(wanted, _no_form(c.name), whole=not led)]
    found = people + companies
    return found[0] if len(found) == 1 else None


def agent_named(turn: Turn, text: str) -> int | None:
    """The id of the one member of the team the words name ("da Ana", "Ana Ribeiro"), as
    `whose` reads a customer's name, when they name no customer nor company too."""
    words = fold(text).split()
    led = bool(words) and words[0] in OF
    wanted = words[1:] if led else words
    if not wanted or (not led and len(wanted) < 2) or whose(turn, text) is not None:
        return None
    team = [u.id for u in turn.ctx.uow.users.staff()
            if name_matches(wanted, u.name, whole=not led)]
    return team[0] if len(team) == 1 else None


def _name_alone(turn: Turn, text: str) -> tuple[str, int] | None:
    """"carla" alone, which no ticket holds: the one customer or company whose name it starts
    (whose() leaves a word alone to the search, as it may be in a descrição)."""
    words = fold(text).split()
    if len(words) != 1 or len(words[0]) < NAME_MIN:
        return None
    found = [("requester", i) for i in customers_named(turn.ctx, words)] + \
        [("company", c.id or 0) for c in turn.ctx.uow.companies.list()
         if name_matches(words, _no_form(c.name))]
    if len(found) != 1 or queries.list_tickets(turn.ctx, turn.user.id or 0,
                                               TicketQuery(text=text), 0, 1).total:
        return None
    return found[0]


def names_someone(turn: Turn, text: str) -> bool:
    """Whether an agent's words name a customer or a client company (one or several)."""
    words = fold(text).split()
    return whose(turn, text) is not None or bool(words) and (
        bool(customers_named(turn.ctx, words))
        or any(name_matches(words, _no_form(c.name)) for c in turn.ctx.uow.companies.list()))


def _no_form(name: str) -> str:
    """A company's name without its legal form ("Mercado Exemplo Ltda": Mercado Exemplo)."""
    return " ".join(w for w in name.split() if fold(w) not in FORMS)


def set_search(turn: Turn, f: dict[str, Any], text: str | None) -> None:
    """The listing's search: for an agent, the customer or company the words name; else the
    words themselves."""
    named = whose(turn, text) or _name_alone(turn, text) if text and turn.user.is_staff \
        else None
    f["requester_id"] = named[1] if named and named[0] == "requester" else None
    if turn.user.is_staff:
        f["company_id"] = named[1] if named and named[0] == "company" else None
    f["text"] = None if named else text


def scope_text(turn: Turn, f: dict[str, Any]) -> str | None:
    """The words for an agent's listing of one customer's or company's tickets, or None."""
    if f.get("requester_id"):
        person = turn.ctx.uow.users.get(f["requester_id"])
        key, params = "conv.list.scope_person", {"name": person.name if person else "—"}
    elif f.get("company_id"):
        company = turn.ctx.uow.companies.get(f["company_id"])
        key, params = "conv.list.scope_company", {"company": company.name if company else "—"}
    else:
        return None
    return turn.t(key + ("_assigned" if f["assigned"] else ""), **params)


def searching(turn: Turn, f: dict[str, Any]) -> bool:
    """Whether a search (words, or an agent's customer or company) narrows the listing."""
    return bool(f["text"] or f.get("requester_id")
                or (turn.user.is_staff and f.get("company_id")))
