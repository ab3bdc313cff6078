"""The /ticket listings and the App Home's: each line has an Abrir button that shows the
ticket's card as /ticket NÚMERO does, only to whoever pressed it (bots.slack.opened)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from bots.slack import buttons as b
from bots.slack.card_blocks import card_summary, customer_card, ticket_card
from bots.slack.cards import card_data
from bots.slack.list_blocks import ticket_line, ticket_list
from bots.slack.people import mentioned, registered
from bots.slack.text import esc, verbatim
from core import kb
from core.conversation import staff_worklists
from core.conversation.engine import language_of
from core.conversation.fmt import Names, held_by, page_names
from core.conversation.staff_queue import holder, waited
from core.errors import HelpdeskError, NotFound
from core.i18n import t
from core.models import Ticket, User
from core.ports import TicketQuery
from core.services import queries, worklists
from core.services.access import require_staff, ticket_for
from core.services.company_names import company_named
from core.services.context import Ctx
from core.services.customer_names import customer_named
from core.services.knowledge import load_articles
from core.services.queries import Page
from core.textmatch import words

log = logging.getLogger(__name__)

LIST_SIZE = 20
ECHO = 100
"""At most this much of what was typed is repeated in an answer (Slack refuses long ones)."""
NAMES_SHOWN = 10
"""At most this many agents are named when the name typed matches none or several."""
MAX_PAGE_ASKED = 10_000
"""A page number past this is read as this one (past the end of any listing): the database
is never asked for an offset it cannot hold."""
Blocks = list[dict[str, Any]]
Line = tuple[int, str]


def echo(typed: str) -> str:
    """What was typed, as an answer repeats it: cut after ECHO characters."""
    return typed if len(typed) <= ECHO else typed[:ECHO - 1] + "…"


def lines(ctx: Ctx, reader: User, tickets: list[Ticket], lang: str,
          after: Callable[[Ticket, Names], str] | None = None, held: bool = True
          ) -> list[Line]:
    """Each ticket's id and line, with who handles it as the chat's listing says it (`held`:
    " · com Bruno Suporte", the reader's own " · com você") and what the view says after it
    (escaped here); the page's companies and people read at once."""
    names = page_names(ctx, reader, tickets, with_companies=True)
    tz = ctx.policy.timezone
    found = []
    for ticket in tickets:
        handled = verbatim(held_by(names, reader, ticket, lang)) if held else ""
        line = ticket_line(ticket, names.companies.get(ticket.company_id, ""), tz, lang,
                           handled, None if after else ctx.now)  # atrasados says how late
        said = verbatim(" — " + after(ticket, names)) if after else ""
        found.append((ticket.id or 0, line + said))
    return found


def queue(ctx: Ctx, user: User, lang: str, page: int = 0) -> tuple[list[Line], int]:
    """The queue's lines as the chat's (R12, R14: waited in business time, who has it), from
    page `page` (0 the first), and how many tickets the whole queue holds."""
    uid = user.id or 0
    tickets = worklists.queue(ctx, uid, limit=LIST_SIZE, offset=page * LIST_SIZE)
    found = lines(ctx, user, tickets, lang,
                  lambda k, names: waited(ctx, k, lang) + holder(names, k, lang), held=False)
    return found, worklists.queue_size(ctx, uid).total


def mine(ctx: Ctx, user: User, page: int = 0) -> Page:
    """An agent's open tickets; a customer's own tickets (page `page`, 0 the first)."""
    if user.is_staff:
        return worklists.assigned_to(ctx, user.id or 0, user.id or 0, LIST_SIZE, page)
    return queries.list_tickets(ctx, user.id or 0, queries.scoped_query(user), page,
                                page_size=LIST_SIZE)


def _page(word: str, rest: str, lang: str) -> int | str:
    """The page `/ticket WORD rest` asks for (1 the first), or what to say when rest is not
    a page number."""
    extra = rest.strip()
    if not extra:
        return 1
    if not (extra.isascii() and extra.isdecimal()) or int(extra) < 1:
        return t("slack.cmd.page_only", lang, word=word, extra=esc(echo(extra)))
    return int(extra)


def _said(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _paged(title: str, found: list[Line], word: str, page: int, total: int, lang: str
           ) -> Blocks | str:
    """Page `page` of a listing of `total` tickets: where it is and how to see the next; a
    page past the end is said, not shown empty."""
    pages = max(1, -(-total // LIST_SIZE))
    if page > pages:
        return t("slack.cmd.no_page", lang, word=word, page=echo(str(page)), pages=pages)
    if page == 1:
        shown = ticket_list(title, found, lang, total)
    else:
        first = (page - 1) * LIST_SIZE + 1
        shown = ticket_list(title, found, lang) + [_said(t(
            "slack.cmd.page", lang, page=page, pages=pages, first=first,
            last=first + len(found) - 1, total=total))]
    if page < pages:
        shown.append(_said(t("slack.cmd.next_page", lang, word=word, page=page + 1)))
    return shown



def _agent(ctx: Ctx, typed: str, mentions: Sequence[str], lang: str) -> User | str:
    """The agent named or mentioned, or what to say when none or several are."""
    staff = sorted(ctx.uow.users.staff(), key=lambda u: u.name.casefold())
    people = list(dict.fromkeys(mentions))
    if len(people) > 1:  # one agent's list at a time: whom it was given, by name
        said = sorted((mentioned(ctx, p) for p in people), key=str.casefold)
        return t("slack.cmd.agent_one", lang, names=_names(said))
    if mentions:
        found = [u for u in staff if u.slack_id in mentions]
        extra = " ".join(typed.replace("@" + mentioned(ctx, people[0]), " ").split())
        if extra:  # words besides the person: not silently dropped
            return t("slack.cmd.agent_extra", lang, name=esc(mentioned(ctx, people[0])),
                     extra=esc(echo(extra)))
    elif not words(typed):
        return t("slack.cmd.agent_missing", lang)
    else:
        wanted = words(typed)
        found = [u for u in staff
                 if all(any(w.startswith(x) for w in words(u.name)) for x in wanted)]
        found = [u for u in found if words(u.name) == wanted] or found
    if len(found) == 1:
        return found[0]
    key = "slack.cmd.agent_many" if found else "slack.cmd.agent_unknown"
    return t(key, lang, name=esc(echo(typed)), names=_names([u.name for u in found or staff]))


def _names(named: list[str]) -> str:
    """People's names as an answer lists them: the first NAMES_SHOWN, escaped."""
    return esc(", ".join(named[:NAMES_SHOWN]) + (", …" if len(named) > NAMES_SHOWN else ""))


PAGED = ("fila", "meus", "aprovacao", "aprovação", "atrasados")
"""The listings whose word a page number may follow (`agente`'s follows the name)."""
ENGLISH = {"queue": "fila", "mine": "meus", "approval": "aprovacao", "overdue": "atrasados",
           "search": "busca", "agent": "agente", "customer": "cliente", "company": "empresa",
           "articles": "artigos"}
"""The listings' English words (`/ticket queue`): as their Portuguese ones, the next page and
a page past the end said with the word typed."""
ARTICLES_SHOWN = 30
"""The most articles `/ticket artigos` names (words narrow them)."""
NAME_AND_PAGE = re.compile(r"(.*\S)\s+(\S+)", re.S)
"""`/ticket agente NOME N`: the name (or mention) and the last word, a page if a number."""


def _listed(ctx: Ctx, user: User, word: str, at: int, lang: str
            ) -> tuple[str, list[Line], int]:
    """A paged listing's title, its page `at` (0 the first) and how many tickets it holds."""
    uid = user.id or 0
    if word == "fila":
        found, total = queue(ctx, user, lang, at)
        return t("slack.cmd.queue_title", lang), found, total
    if word == "meus":  # an agent's are all theirs; a customer's name who handles each
        page = mine(ctx, user, at)
        return (t("slack.cmd.mine_title", lang),
                lines(ctx, user, page.tickets, lang, held=not user.is_staff), page.total)
    # The chat's worklists are these (core.conversation.staff_worklists): the same lines.
    kind = "atrasados" if word == "atrasados" else "aprovacao"
    page = staff_worklists.page_of(ctx, uid, kind, at, LIST_SIZE)
    title = t("slack.cmd.overdue_title" if kind == "atrasados" else "slack.cmd.approval_title",
              lang, days=ctx.policy.autoclose_days)
    return title, lines(ctx, user, page.tickets, lang, lambda k, names: staff_worklists.after(
        ctx, kind, k, lang, names), held=kind != "atrasados"), page.total


def _agents(ctx: Ctx, user: User, rest: str, lang: str, mentions: Sequence[str],
            typed: str = "agente") -> Blocks | str:
    """`/ticket agente NOME [N]`: page N of the agent's open tickets; its next page is asked
    with the word `typed` (agente, agent) and the agent's name."""
    require_staff(user)  # before any name is said
    split = NAME_AND_PAGE.fullmatch(rest.strip())
    name, asked = split.groups() if split and split[2].isdecimal() else (rest, "")
    agent = _agent(ctx, name, mentions, lang)
    if isinstance(agent, str):
        return agent
    word = f"{typed} {esc(agent.name)}"
    number = _page(word, asked, lang)
    if isinstance(number, str):
        return number
    page = worklists.assigned_to(ctx, user.id or 0, agent.id or 0, LIST_SIZE,
                                 min(number, MAX_PAGE_ASKED) - 1)
    title = t("slack.cmd.agent_title", lang, name=esc(agent.name))
    shown = lines(ctx, user, page.tickets, lang, held=False)  # all the agent's: the title says
    return _paged(title, shown, word, number, page.total, lang)


def _whose(ctx: Ctx, user: User, name: str, rest: str, lang: str, typed: str
           ) -> Blocks | str:
    """`/ticket cliente NOME [N]`, `/ticket empresa NOME [N]`: page N of one customer's or
    client company's tickets, newest first, every status (R8); the next page is asked with
    the word `typed` and the name found."""
    require_staff(user)  # before any name is said
    split = NAME_AND_PAGE.fullmatch(rest.strip())
    said, asked = split.groups() if split and split[2].isdecimal() else (rest, "")
    if not words(said):
        return t(f"slack.cmd.{name}_missing", lang)
    try:
        if name == "cliente":
            person = customer_named(ctx, said)
            query = TicketQuery(requester_id=person.id)
            found, title = person.name, t("slack.cmd.customer_title", lang, name=esc(person.name))
        else:
            company = company_named(ctx, said)
            query = TicketQuery(company_id=company.id)
            found, title = company.name, t("slack.cmd.company_title", lang,
                                           company=esc(company.name))
    except HelpdeskError as err:
        return t(err.key, lang, **{k: esc(echo(str(v))) for k, v in err.params.items()})
    word = f"{typed} {esc(found)}"
    number = _page(word, asked, lang)
    if isinstance(number, str):
        return number
    page = queries.list_tickets(ctx, user.id or 0, query, min(number, MAX_PAGE_ASKED) - 1,
                                LIST_SIZE)
    return _paged(title, lines(ctx, user, page.tickets, lang), word, number, page.total, lang)


def listing(ctx: Ctx, user: User, word: str, rest: str, lang: str,
            mentions: Sequence[str] = ()) -> Blocks | str | None:
    """The listing `/ticket WORD rest` asks for; None when the word names none."""
    name = ENGLISH.get(word, word)
    if name in PAGED:
        number = _page(word, rest, lang)
        if isinstance(number, str):
            return number
        at = min(number, MAX_PAGE_ASKED) - 1  # past the end either way: said by _paged
        title, found, total = _listed(ctx, user, name, at, lang)
        return _paged(title, found, word, number, total, lang)
    if name == "busca" and not words(rest):  # no words (or signs only): nothing to look for
        return t("slack.cmd.search_missing", lang)
    if name == "busca":
        page = queries.search(ctx, user.id or 0, rest, LIST_SIZE)
        title = t("slack.cmd.search_title", lang, text=esc(echo(rest)))
        return ticket_list(title, lines(ctx, user, page.tickets, lang), lang, page.total,
                           page.more)
    if name == "agente":
        return _agents(ctx, user, rest, lang, mentions, word)
    if name in ("cliente", "empresa"):
        return _whose(ctx, user, name, rest, lang, word)
    if name == "artigos":
        return _articles(ctx, user, rest, lang)
    return None


def _articles(ctx: Ctx, user: User, rest: str, lang: str) -> str:
    """`/ticket artigos [PALAVRAS]`: the knowledge base's articles (those the words find) with
    the id `!artigo` takes in a card's thread (R9)."""
    require_staff(user)
    found = kb.search(load_articles(ctx.uow), " ".join(rest.split())[:200])
    if not found:
        return t("error.article_none", lang, words=esc(echo(rest)))
    shown = "\n".join(f"• {esc(a.title)} — `{a.slug}`" for a in found[:ARTICLES_SHOWN])
    more = len(found) - ARTICLES_SHOWN
    return t("slack.cmd.articles_title", lang) + "\n" + shown + (
        "\n" + t("slack.cmd.articles_more", lang, count=more) if more > 0 else "")


def private_card(ctx: Ctx, user: User, ticket: Ticket, lang: str) -> tuple[str, Blocks]:
    """The card /ticket NÚMERO shows (a customer's has no buttons), with its message text."""
    data = card_data(ctx, ticket.id or 0)
    if user.is_staff:
        return card_summary(data, lang), ticket_card(data, ctx.policy.timezone, lang=lang)
    return card_summary(data, lang), customer_card(data, ctx.policy.timezone, lang)


def open_card(ctx: Ctx, slack_id: str, value: str) -> tuple[Ticket, str, Blocks]:
    """Abrir: the ticket named and its card, if whoever pressed it may see it (R8)."""
    user = registered(ctx, slack_id)
    tid = b.as_id(value.strip())
    if tid is None:
        raise NotFound("error.ticket_not_found")
    ticket = ticket_for(ctx, user, tid, to_change=False)
    return ticket, *private_card(ctx, user, ticket, language_of(ctx, user))
