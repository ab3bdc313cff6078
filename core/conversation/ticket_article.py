"""An agent sends a knowledge-base article to the customer as a trâmite of the ticket shown
(R7, R9): picked from the articles, or found by words typed."""

from __future__ import annotations

from core import kb as search_kb
from core.conversation.fmt import preview
from core.conversation.replies import Expect
from core.conversation.ticket_tramite import send_article, shown_ticket_id
from core.conversation.turn import Step, Turn, register
from core.errors import InvalidInput
from core.services import queries
from core.services.access import require_staff
from core.services.knowledge import load_articles

SHOWN = 10
"""The most articles offered at once (a search narrows them)."""


def ask_article(turn: Turn) -> None:
    """The articles to send (those the words typed find, else every one by title)."""
    require_staff(turn.user)
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    query = turn.section("article").get("query") or ""
    found = search_kb.search(load_articles(turn.ctx.uow), query)[:SHOWN]
    text = turn.t("conv.staff.ask_article", number=ticket.number)
    if query and not found:
        text = turn.t("conv.kb.none_staff", query=preview(query, 60)) + "\n" + text
        found = search_kb.search(load_articles(turn.ctx.uow), "")[:SHOWN]
    # Expect.TEXT: words typed search, even the start of a title; a click sends
    turn.ask("ticket.article", text,
             [*((preview(a.title, 60), f"a:{a.slug}") for a in found),
              (turn.t("conv.tramite.back"), "back")], Expect.TEXT)


def on_article_text(turn: Turn, text: str) -> None:
    """Words typed: the articles they find."""
    turn.section("article")["query"] = " ".join(text.split())[:200]
    turn.go("ticket.article")


def on_article(turn: Turn, value: str) -> None:
    """Send the article picked as a public trâmite, or go back to the ticket."""
    turn.leave("article")
    if value == "back":
        turn.go("ticket.view")
        return
    slug = value.removeprefix("a:")
    if not any(a.slug == slug for a in load_articles(turn.ctx.uow)):
        raise InvalidInput("conv.kb.gone")  # removed meanwhile: nothing else is sent
    send_article(turn, shown_ticket_id(turn), slug)


register(
    Step("ticket.article", ask_article, on_choice=on_article, on_text=on_article_text,
         back="ticket.view", numbers_are_options=True),
)
