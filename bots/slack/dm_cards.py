"""A ticket's card that Abrir (or Assumir o próximo) posted in a person's DM with the bot: a
reply in its thread is a reply on that ticket (R7), an agent's as in the card's thread in the
triage channel, a customer's her trâmite; never words to the chat."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack.buttons import as_id
from bots.slack.opened import EVENT
from bots.slack.people import registered
from core.errors import HelpdeskError
from core.models import Attachment, User
from core.services import tramites
from core.services.context import Ctx

log = logging.getLogger(__name__)


async def card_ticket(client: AsyncWebClient, event: dict[str, Any]) -> int | None:
    """The ticket whose card starts the thread a DM message was typed in; None for a message
    outside a thread or in another one (the bot's answers, the person's own messages)."""
    thread_ts = event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return None
    try:
        found = await client.conversations_replies(channel=event["channel"], ts=thread_ts,
                                                   limit=1, include_all_metadata=True)
    except SlackApiError as exc:  # not found, or Slack refused: read as the chat's words
        log.info("the DM thread's start was not read: %s", exc.response.get("error"))
        return None
    parent: dict[str, Any] = next(iter(found.get("messages") or []), {})
    meta = parent.get("metadata") or {}
    if parent.get("ts") != thread_ts or meta.get("event_type") != EVENT \
            or not parent.get("bot_id"):
        return None
    return as_id(str((meta.get("event_payload") or {}).get("ticket", "")))


def readers_card(ctx: Ctx, slack_id: str, ticket_id: int) -> bool:
    """Whether the writer is registered and the card's ticket is there."""
    try:
        registered(ctx, slack_id)
    except HelpdeskError:
        return False
    return ctx.uow.tickets.read(ticket_id) is not None


def customer_reply(ctx: Ctx, customer: User, ticket_id: int, text: str,
                   attachments: list[Attachment] | None) -> tuple[str, str]:
    """A customer's reply in the thread of her ticket's card: a trâmite on it, as her answer
    to an agent's message is (core refuses a ticket she may not write on, R8, or a closed
    one)."""
    tramites.add_tramite(ctx, customer.id or 0, ticket_id, text, attachments)
    ticket = ctx.uow.tickets.get(ticket_id)
    return "tramite", ticket.number if ticket else ""


async def agents_reply(client: AsyncWebClient, desk: Desk, message: dict[str, Any]) -> bool:
    """Whether a DM message (edited or deleted) was an agent's reply in a card's thread."""
    ticket_id = await card_ticket(client, message)
    if ticket_id is None:
        return False
    try:
        return bool((await desk.acall(registered, str(message.get("user") or ""))).is_staff)
    except HelpdeskError:
        return False
