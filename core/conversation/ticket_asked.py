"""A question about the ticket shown ("quando vai ficar pronto?", "quem está cuidando?",
"quanto vai custar?") answered from the ticket itself, before the words are offered as its
trâmite."""

from __future__ import annotations

import re

from core.conversation import intents
from core.conversation.fmt import at, due_text
from core.conversation.listing_words import OPEN
from core.conversation.replies import Command
from core.conversation.ticket_charge import origin_line
from core.conversation.turn import Turn
from core.i18n import label
from core.models import EntryKind, Status
from core.services import queries
from core.services.queries import TicketView

_NUMBERS = re.compile(r"[#\d][\d/.-]*")
"""A ticket's number or its end in the words ("quanto vai custar o 202612/0004?"), left out
to read the question."""


def news_asked(text: str) -> bool:
    """Whether the words ask for news, as at the menu ("já resolveram?", "alguma novidade?")."""
    return intents.command(text) == (Command.TICKETS, OPEN)


def answer(turn: Turn, text: str, ticket_id: int, view: TicketView | None = None,
           ending: str = "conv.ticket.asked_send") -> None:
    """Say the prazo, the responsible, the charge or the news a customer's question about an
    open ticket asks for, ended by how to ask the team anyway (ending, a catalog key)."""
    aspect = None if turn.user.is_staff else intents.aspect_asked(text) or \
        ("news" if news_asked(text) else None)  # the team's words at a page are the
    if aspect is None:  # customer's to read
        return
    view = view or queries.detail(turn.ctx, turn.user.id or 0, ticket_id)
    ticket = view.ticket
    if not ticket.is_open:
        return
    said = {"number": ticket.number, "ending": turn.t(ending)}
    if aspect == "cost":  # a charge only with its prior authorization (R23)
        charge = origin_line(turn, ticket) if ticket.billable else None
        turn.say("conv.ticket.asked_charge", charge=charge, **said) if charge \
            else turn.say("conv.ticket.asked_no_charge", **said)
    elif aspect == "who":
        turn.say("conv.ticket.asked_who", assignee=view.assignee or turn.t("conv.ticket.nobody"),
                 **said)
    elif ticket.status == Status.AWAITING_APPROVAL:
        turn.say("conv.ticket.asked_awaiting", **said)
    elif aspect == "news":
        _news(turn, view, said)
    else:
        turn.say("conv.ticket.asked_due", due=due_text(turn, ticket), **said)


def _news(turn: Turn, view: TicketView, said: dict[str, str]) -> None:
    """How the ticket stands: its tab, who has it, when the team last wrote in it (R6, R7)."""
    answers = [e for e in view.entries if e.kind == EntryKind.PUBLIC and e.author_id in view.staff]
    latest = turn.t("conv.ticket.news_latest", when=at(turn, answers[-1].created_at)) \
        if answers else turn.t("conv.ticket.news_none")
    who = turn.t("conv.ticket.news_with", assignee=view.assignee) if view.assignee \
        else turn.t("conv.ticket.news_nobody")
    turn.say("conv.ticket.asked_news", who=who, latest=latest,
             status=label("status", view.ticket.status, turn.lang), **said)


def named(turn: Turn, at: int) -> None:
    """A question that named the ticket now shown by its number ("quanto vai custar o 0004?",
    "o chamado 4 vai ser cobrado?"): answered as at its page, before it (the replies from at),
    saying to add a trâmite, as no message is kept here to send."""
    if turn.state.step != "ticket.view" or not isinstance(turn.section("ticket").get("id"), int):
        return
    page = turn.replies[at:]
    del turn.replies[at:]
    answer(turn, _NUMBERS.sub(" ", turn.said), turn.section("ticket")["id"],
           ending="conv.ticket.asked_add")
    turn.replies += page
