"""A ticket's card that Abrir (or Assumir o próximo) posted in an agent's DM with the bot: a
reply in its thread is a reply on that ticket, as in the card's thread in the triage channel
(R7), never words to the chat."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack.buttons import as_id
from bots.slack.opened import EVENT
from bots.slack.people import NotAgent, agent
from core.errors import HelpdeskError
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


def agents_card(ctx: Ctx, slack_id: str, ticket_id: int) -> bool:
    """Whether the writer is an agent and the card's ticket is there (a customer's card in
    their DM stays the chat's)."""
    try:
        agent(ctx, slack_id)
    except (NotAgent, HelpdeskError):
        return False
    return ctx.uow.tickets.read(ticket_id) is not None
