"""The /ticket slash command and the App Home tab."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack import blocks as b
from bots.slack.cards import card_data
from bots.slack.direct import Conversations
from bots.slack.people import Inactive, Unknown, registered, said
from bots.slack.typed import typed_text
from core.conversation.engine import error_text, language_of
from core.conversation.replies import Command, UserInput
from core.conversation.staff_queue import holder, waited
from core.errors import HelpdeskError
from core.i18n import t
from core.models import OPEN_STATUSES, Tab, Ticket, User
from core.ports import TicketQuery
from core.services import queries
from core.services.context import Ctx
from core.services.queries import Page

log = logging.getLogger(__name__)

LIST_SIZE = 20
ECHO = 100
"""At most this much of what was typed is repeated in an answer (Slack refuses long ones)."""
Blocks = list[dict[str, Any]]


def _lines(ctx: Ctx, tickets: list[Ticket], lang: str) -> list[str]:
    names: dict[int, str] = {}
    for ticket in tickets:
        if ticket.company_id not in names:
            company = ctx.uow.companies.get(ticket.company_id)
            names[ticket.company_id] = company.name if company else ""
    tz = ctx.policy.timezone
    return [b.ticket_line(ticket, names[ticket.company_id], tz, lang) for ticket in tickets]


def _queue(ctx: Ctx, uid: int, lang: str) -> tuple[list[str], int]:
    """The queue's lines as the chat's (R12, R14): how long each waited in business time, and
    who has it or that nobody has taken it yet; and how many tickets the whole queue holds."""
    tickets = queries.queue(ctx, uid, limit=LIST_SIZE)
    lines = [line + b.esc(f" — {waited(ctx, ticket, lang)}{holder(ctx, ticket, lang)}")
             for line, ticket in zip(_lines(ctx, tickets, lang), tickets, strict=True)]
    return lines, queries.queue_size(ctx, uid).total


def _mine(ctx: Ctx, user: User) -> Page:
    if user.is_staff:
        query = TicketQuery(assignee_id=user.id, statuses=sorted(OPEN_STATUSES))
    else:
        query = queries.scoped_query(user)
    return queries.list_tickets(ctx, user.id or 0, query, page_size=LIST_SIZE)


def _search(ctx: Ctx, user: User, text: str) -> Page:
    whole = not user.is_staff and len(user.company_ids) == 1
    query = queries.scoped_query(user, tab=Tab.ALL, whole_company=whole, text=text)
    return queries.list_tickets(ctx, user.id or 0, query, page_size=LIST_SIZE)


def ticket_command(ctx: Ctx, slack_id: str, text: str) -> Blocks | str:
    """Answer `/ticket …` for whoever is registered with this Slack id (R8 scoping by core)."""
    user = registered(ctx, slack_id)
    uid = user.id or 0
    lang = language_of(ctx, user)
    word, _, rest = text.strip().partition(" ")
    word = word.lower()
    if word in ("", "ajuda", "help"):
        return t("slack.cmd.help", lang)
    if word == "fila":
        lines, total = _queue(ctx, uid, lang)
        return b.ticket_list(t("slack.cmd.queue_title", lang), lines, lang, total)
    if word in ("meus", "busca"):
        page = _mine(ctx, user) if word == "meus" else _search(ctx, user, rest)
        title = t("slack.cmd.mine_title", lang) if word == "meus" \
            else t("slack.cmd.search_title", lang, text=b.esc(_echo(rest)))
        return b.ticket_list(title, _lines(ctx, page.tickets, lang), lang, page.total)
    if not any(ch.isdecimal() for ch in text):  # a word, not a number: say how to use it
        return t("slack.cmd.unknown", lang, word=b.esc(_echo(text.strip()))) + "\n" \
            + t("slack.cmd.help", lang)
    ticket = queries.ticket_by_number(ctx, uid, text.strip())
    data = card_data(ctx, ticket.id or 0)
    if user.is_staff:
        return b.ticket_card(data, ctx.policy.timezone, lang=lang)
    return b.customer_card(data, ctx.policy.timezone, lang)


def home(ctx: Ctx, slack_id: str) -> dict[str, Any]:
    """The App Home view of an agent (counts, own tickets, queue) or of a customer."""
    try:
        user = registered(ctx, slack_id)
    except (Unknown, Inactive) as err:
        return {"type": "home", "blocks": b.text_blocks(error_text(err, ctx.policy.language))}
    uid = user.id or 0
    lang = language_of(ctx, user)
    counts = queries.summary(ctx, uid)
    mine = _mine(ctx, user)
    lines = _lines(ctx, mine.tickets, lang)
    if user.is_staff:
        queue, total = _queue(ctx, uid, lang)
        return b.home_view(counts, queue, lines, lang=lang, totals=(mine.total, total))
    return b.home_view(counts, [], lines, customer=True, lang=lang, totals=(mine.total, 0))


def register(app: AsyncApp, desk: Desk, conversations: Conversations) -> None:
    """Wire /ticket and app_home_opened."""

    @app.command("/ticket")
    async def on_ticket(ack: Callable[..., Awaitable[Any]], command: dict[str, Any],
                        respond: Callable[..., Awaitable[Any]], client: AsyncWebClient) -> None:
        await ack()
        slack_id = command["user_id"]
        sent = command.get("text") or ""
        try:
            text = (await desk.acall(said, sent) if "<" in sent else typed_text(sent)).strip()
            if text.lower() in ("novo", "new", "abrir"):
                await _start_intake(client, conversations, slack_id, respond,
                                    desk.policy.language)
                return
            answer = await desk.acall(ticket_command, slack_id, text)
        except HelpdeskError as err:
            await respond(text=b.esc(error_text(err, desk.policy.language)),
                          response_type="ephemeral")
            return
        if isinstance(answer, str):
            await respond(text=answer, response_type="ephemeral")
        else:
            await respond(text=b.esc(_echo(text)) or "ticket", blocks=answer,
                          response_type="ephemeral")

    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        view = await desk.acall(home, event["user"])
        await client.views_publish(user_id=event["user"], view=view)


def _echo(typed: str) -> str:
    """What was typed, as an answer repeats it: cut after ECHO characters."""
    return typed if len(typed) <= ECHO else typed[:ECHO - 1] + "…"


async def _start_intake(client: AsyncWebClient, conversations: Conversations, slack_id: str,
                        respond: Callable[..., Awaitable[Any]], lang: str) -> None:
    """Open the DM and start the intake there (the engine checks who may open, R2)."""
    opened = await client.conversations_open(users=slack_id)
    channel = str(opened["channel"]["id"])
    await respond(text=t("slack.cmd.novo_dm", lang), response_type="ephemeral")
    await conversations.step(client, channel, slack_id, UserInput.of_command(Command.NEW))
