"""A listing asked for in words: its tabs, its search, the one open ticket it names (R6, R8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.conversation import (
    intake,
    intents,
    kb,
    listing_month,
    listing_said,
    listing_whose,
    matter,
)
from core.conversation.following_text import filters, set_month
from core.conversation.intents import NUMBER, OPEN
from core.conversation.listing_words import FILLER, TAB_WORDS, TICKET_WORDS, filters_named
from core.conversation.replies import ALIASES, Command
from core.conversation.ticket_view import show
from core.conversation.turn import Turn
from core.kb import suggestion
from core.models import Tab
from core.ports import TicketQuery
from core.services import queries
from core.services.knowledge import load_articles
from core.textmatch import ascii_digits, fold


def without_command(text: str) -> str:
    """The words after a listing's command typed without its slash: 'tickets nota' (or
    'chamados nota', 'ticket nota') is '/tickets nota', a search for 'nota', not for the
    words 'tickets nota', which no ticket holds."""
    words = text.split()
    if len(words) > 1 and ALIASES.get(fold(words[0])) in (Command.TICKETS, Command.TICKET):
        return " ".join(words[1:])
    return text


def apply(turn: Turn, f: dict[str, Any], text: str) -> None:
    """Set the filters a listing's words name: tabs or the whole company first ("encerrados",
    "abertos da empresa"), then what to search for ("abertos nota": the open ones about it)."""
    words = without_command(text).split()
    while words and (value := TAB_WORDS.get(fold(words[0]))):
        words.pop(0)
        if value == "empresa":
            f["whole"] = not turn.user.is_staff
        else:
            f["tab"] = value
    rest = " ".join(words)
    month = listing_month.named(fold(rest), rest) if turn.user.is_staff else None
    if month is not None and listing_whose.whose(turn, month[1]) is not None:
        set_month(turn, f, month[0])  # an agent's "tickets de novembro da Mercado Exemplo"
        rest = month[1]
    listing_whose.set_search(turn, f, rest[:200] or None)  # "tickets da Carla"


LATE_WORDS = frozenset(("atrasados", "atrasado", "atrasadas", "atrasada", "vencidos", "vencido",
                        "vencidas", "vencida", "overdue", "late"))
"""Words for the tickets past their prazo (R13), as Slack's /ticket atrasados."""
LATE_ASKING = frozenset(("algum", "alguma", "tem", "ha", "quais", "qual", "meus", "minhas",
                         "my", "any", "are", "there", "which"))
"""Words that may ask for them: "algum ticket atrasado?", "meus tickets atrasados"."""
UNASSIGNED = frozenset(("sem responsavel", "sem responsaveis", "sem dono", "livres",
                        "nao atribuidos", "nao assumidos", "ninguem assumiu", "unassigned"))
"""Words for the queue's tickets nobody has taken (R12), as the Resumo counts them."""
MINE = frozenset(("meus", "minhas", "my", "mine"))
"""An agent's "meus tickets", "my tickets": the tickets they have, not every ticket."""


def worklist_named(text: str) -> str | None:
    """The team's worklist words name alone (core.conversation.staff_worklists): "atrasados",
    "sem responsável", the tab "aguardando aprovação" alone, the scope "meus" alone; else
    None."""
    words = set(fold(without_command(text)).split())
    if " ".join(w for w in fold(without_command(text)).split() if w not in TICKET_WORDS | FILLER
                ) in UNASSIGNED:
        return "livres"
    if words & LATE_WORDS and words <= LATE_WORDS | FILLER | TICKET_WORDS | LATE_ASKING:
        return "atrasados"
    if words & MINE and intents.command(text, loose=False) == (Command.TICKETS, ""):
        return "meus"  # "meus tickets", "quero ver meus chamados", "meus tikets"
    named = filters_named(text)
    if named == {"tab": Tab.AWAITING_APPROVAL.value}:
        return "aprovacao"
    return "meus" if named == {"scope": "mine"} else None


def worklist(turn: Turn, text: str) -> bool:
    """An agent's words that name a worklist (or a colleague) show it, as Slack's /ticket
    does (R6, R12, R13, R19); a customer's "meus tickets atrasados" their open tickets, the
    late ones said so in their lines (R13); a customer's other words are searched for."""
    kind = worklist_named(text)
    if kind == "atrasados" and not turn.user.is_staff:
        turn.leave("list")
        filters(turn)["tab"] = OPEN
        turn.go("list.view")
        return True
    if not turn.user.is_staff:
        return False
    rest = without_command(text)
    month = listing_month.named(fold(rest), rest)  # "de março" is the month, not Marcos
    agent = listing_whose.agent_named(turn, rest) \
        if kind is None and (month is None or month[1]) else None
    if kind is None and agent is None:
        return False
    # "tickets da Bruno": the open tickets Bruno has, as Slack's /ticket agente Bruno
    turn.section("work").update(kind=kind or "meus", page=0,
                                agent_id=None if agent == turn.user.id else agent)
    turn.go("work.view")
    return True


def set_named(turn: Turn, f: dict[str, Any], named: dict[str, Any]) -> bool:
    """Set the tab, window (days or a month) and scope named (the search kept, R6, R8); True
    where the whole company is asked for, the scope still to widen."""
    f["page"], staff = 0, turn.user.is_staff
    f.update({key: named[key] for key in ("tab", "days", "billable") if key in named})
    if "days" in named:
        f["month"] = None
    elif "month" in named:
        set_month(turn, f, named["month"])
    scope = named.get("scope")
    if staff and scope is not None:
        f["assigned"] = scope == "mine"
    elif scope == "mine":
        f["whole"], f["company_id"] = False, None
    return not staff and scope == "whole"


def names_filters(text: str) -> bool:
    """Whether the words typed at a listing name only its filters (filters_named)."""
    return filters_named(text) is not None


def about_one(turn: Turn, f: dict[str, Any], query: TicketQuery) -> bool:
    """A listing's search of the open tickets that finds one shows its page (True); finding
    none open, the one not open it finds is shown (True), several are listed from every tab,
    and with none anywhere the search is said and dropped: the open ones are listed."""
    page = queries.list_tickets(turn.ctx, turn.user.id or 0, query, 0, 2)
    if page.total == 1 and page.tickets:
        show(turn, page.tickets[0].id or 0)
        return True
    if page.total:
        return False
    anywhere = query.model_copy(update={"tab": Tab.ALL, "statuses": []})
    found = queries.list_tickets(turn.ctx, turn.user.id or 0, anywhere, 0, 2)
    if found.total == 1 and found.tickets:  # closed or rejected: that one, said so
        turn.say("conv.list.about_not_open", text=f["text"])
        show(turn, found.tickets[0].id or 0)
        return True
    if found.total:  # those, from every tab
        turn.say("conv.list.about_not_open_many", text=f["text"])
        f["tab"] = Tab.ALL.value
        return False
    turn.say("conv.list.none_about", text=f["text"])
    f["text"] = None
    return False


Build = Callable[[Turn, dict[str, Any]], TicketQuery]
EVERY: dict[str, Any] = {"tab": Tab.ALL.value, "days": None, "month": None}
Wider = tuple[str, list[tuple[str, str]]]
"""Where a search that found nothing finds some: what to say, and the buttons that show them."""
COMPANIES_NAMED = 5
"""At most this many companies are named (each with a button) where a search found some."""


def wider(turn: Turn, f: dict[str, Any], build: Build) -> Wider | None:
    """A search that finds nothing with the listing's filters: where it finds some, in every
    tab and period, else among the whole company's (R8; each company of someone in several)."""
    for key, change in _wider(turn, f):
        page = queries.list_tickets(turn.ctx, turn.user.id or 0, build(turn, {**f, **change}),
                                    0, 1)
        if page.total:
            text = turn.t(key + ("_more" if page.more else ""), count=page.total)
            return text, [(turn.t("conv.list.widen"), "widen")]
    if not f["text"] or f["whole"] or turn.user.is_staff or len(turn.user.company_ids) < 2:
        return None
    return _in_companies(turn, build(turn, {**f, **EVERY}))


def _in_companies(turn: Turn, query: TicketQuery) -> Wider | None:
    """The search among each of the person's companies: each one named with what it found."""
    found = queries.in_companies(turn.ctx, turn.user.id or 0, query)
    if not found:
        return None
    named, choices = [], []
    for company_id, total, more in found[:COMPANIES_NAMED]:
        company = turn.ctx.uow.companies.get(company_id)
        name = company.name if company else "—"
        named.append(turn.t("conv.list.company_count" + ("_more" if more else ""),
                            company=name, count=total))
        choices.append((turn.t("conv.list.widen_company", company=name), f"widen:{company_id}"))
    text = turn.t("conv.list.found_in_companies", found="; ".join(named))
    if len(found) > COMPANIES_NAMED:
        text += " " + turn.t("conv.list.found_in_more_companies",
                             count=len(found) - COMPANIES_NAMED)
    return text, choices


def none_found(turn: Turn, f: dict[str, Any],
               wider: Wider | None) -> tuple[list[str], list[tuple[str, str]]]:
    """The lines and buttons of a listing that found nothing: where the search finds some,
    else a ticket to open with the words and the knowledge-base article they point to."""
    lines = [wider[0] if wider else turn.t("conv.list.empty")]
    choices = new_ticket(turn, f, wider) or ([] if wider else listing_said.choices(turn, f))
    article = None if wider or turn.user.is_staff or not f["text"] else \
        suggestion(load_articles(turn.ctx.uow), f["text"])
    if article is not None:  # "como emitir a nota fiscal?" asked at the listing (R9)
        lines.append(turn.t("conv.typed.article", title=article.title))
        choices.append((turn.t("conv.typed.read"), f"article:{article.slug}"))
    return lines, choices


def new_ticket(turn: Turn, f: dict[str, Any],
               wider: Wider | None) -> list[tuple[str, str]]:
    """A customer's words that no ticket is about, anywhere ("novo cadastro"): most likely a
    matter to open a ticket about, so that is offered (R2: for those who may open one)."""
    text = f["text"] or ""
    if wider or turn.user.is_staff or not turn.user.trained or NUMBER.search(ascii_digits(text)) \
            or not matter.is_matter(text):
        return []
    return [(turn.t("conv.list.open_ticket"), "open")]


def on_none(turn: Turn, f: dict[str, Any], build: Build, value: str) -> None:
    """Search more widely, open a ticket with the words searched as its descrição, or read
    the article they point to."""
    if value == "open" and f["text"]:
        intake.begin(turn, descricao=f["text"])
    elif value == "as_tramite" and f["text"]:  # an agent's reply typed at the menu (R7)
        listing_said.begin(turn, f)
    elif value.startswith("article:") and f["text"]:  # a ticket from it carries the words
        kb.read(turn, value.removeprefix("article:"), f["text"], f["text"])
    elif value.startswith("widen:"):
        _widen_to(turn, f, value.removeprefix("widen:"))
    else:
        widen(turn, f, build)


def widen(turn: Turn, f: dict[str, Any], build: Build) -> None:
    """Search every tab and period (and the whole company, if only there it finds some)."""
    for _key, change in _wider(turn, f):
        f.update(change, page=0)
        if queries.list_tickets(turn.ctx, turn.user.id or 0, build(turn, f), 0, 1).total:
            break
    turn.go("list.view")


def _widen_to(turn: Turn, f: dict[str, Any], company: str) -> None:
    """The search in every tab and period among the whole tickets of one of the person's
    companies (R8: one they belong to, checked again)."""
    if company.isdecimal() and int(company) in turn.user.company_ids:
        f.update(EVERY, whole=True, company_id=int(company), page=0)
    turn.go("list.view")


def _wider(turn: Turn, f: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The broader filters to try, each with the text that says where the tickets were."""
    if not f["text"]:
        return []
    tries = [] if f["tab"] == Tab.ALL.value and not f["days"] and not f["month"] else \
        [("conv.list.found_elsewhere", EVERY)]
    if not f["whole"] and not turn.user.is_staff and len(turn.user.company_ids) == 1:
        tries.append(("conv.list.found_in_company", {**EVERY, "whole": True}))
    return tries
