"""Messages: a reply in a card's thread is a trâmite (or, with !nota, an internal note); one in
a development post's thread is always an internal note."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack import dm_cards, thread_words
from bots.slack.actions import tell
from bots.slack.card_clicks import refuse_if_closed
from bots.slack.development import from_development, post_at
from bots.slack.files import SlackFiles
from bots.slack.people import (
    NotAgent,
    agent,
    first_time,
    language,
    refused,
    registered,
    said,
    with_names,
)
from core.conversation.engine import error_text, language_of
from core.errors import HelpdeskError, InvalidInput, InvalidTransition, NotAllowed
from core.i18n import label, t
from core.models import Attachment, User
from core.services import articles_sent, handling, tramites
from core.services.context import Ctx
from storage.extras import SlackDevPost

log = logging.getLogger(__name__)

JUSTIFICATIVA_MARKER = re.compile(r"^\s*!(justificativa|justification|just)\b[:\s]*",
                                  re.IGNORECASE)
"""A reply "!justificativa Em análise e Simulação" (an English-speaking agent's
"!justification") sets the text shown beside the status in the customers' listings (R6);
"!justificativa" alone clears it."""
ADDRESSED = re.compile(
    r"^\s*<(@[A-Z0-9]+|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+)(?:\|[^>]*)?>")
"""A reply that starts by mentioning someone, as Slack sends it: "<@U123> pode olhar?", or by
calling the channel or a user group ("<!here> …", "<!subteam^S1|@fiscal> …"): the team's."""
FOR_CUSTOMER = re.compile(r"^\s*!(cliente|customer)\b[:\s]*", re.IGNORECASE)
"""A reply "!cliente ok" goes to the customer as typed after the marker, whatever it says: the
agent's way to send what alone reads as the team's talk ("ok", "vou ver", a colleague's name,
"assumo") (R7)."""
ANY_MARKER = tramites.MARKER_LIKE
DirectHandler = Callable[[dict[str, Any], str, AsyncWebClient], Awaitable[None]]


def event_key(body: dict[str, Any], event: dict[str, Any]) -> str:
    """The idempotency key of an event: Slack repeats the event_id on every retry."""
    return f"event:{body.get('event_id') or event.get('client_msg_id') or event.get('ts')}"


def thread_reply(ctx: Ctx, key: str, slack_id: str, channel: str, thread_ts: str, sent: str,
                 attachments: list[Attachment] | None = None, addressed: str | None = None,
                 in_dm: int | None = None) -> tuple[str, str] | None:
    """Record an agent's thread reply (the text as Slack sent it) on the card's ticket, or on
    a development post's, once per event; `in_dm`, the ticket of the card Abrir posted in the
    writer's DM that the thread starts at (a customer's reply there is her trâmite).

    None when the thread is neither's or the event was already handled.
    """
    card = None if in_dm is not None else \
        ctx.uow.slack_cards.by_ts(channel, thread_ts)  # type: ignore[attr-defined]
    if card is None and in_dm is None:
        post = post_at(ctx, channel, thread_ts)
        if post is None or not first_time(ctx, key):
            return None
        return dev_note(ctx, slack_id, post, sent, attachments)
    if not first_time(ctx, key):
        return None
    ticket_id = card.ticket_id if card is not None else in_dm or 0
    if in_dm is not None and not (writer := registered(ctx, slack_id)).is_staff:
        return dm_cards.customer_reply(ctx, writer, ticket_id, said(ctx, sent), attachments)
    actor = agent(ctx, slack_id)
    text = said(ctx, sent)
    ticket = ctx.uow.tickets.get(ticket_id)
    number = ticket.number if ticket else ""
    justificativa = JUSTIFICATIVA_MARKER.match(text or "")
    if justificativa:
        try:
            handling.set_justificativa(ctx, actor.id or 0, ticket_id,
                                       text[justificativa.end():])
        except InvalidTransition:  # which action, and the status: the agent's language
            raise InvalidTransition("slack.refuse.justificativa_status", number=number,
                                    status=label("status", ticket.status if ticket else "",
                                                 language_of(ctx, actor))) from None
        return "justificativa", number
    article = articles_sent.MARKER.match(text or "")  # "!artigo nfe": that article (R9)
    if article:
        refuse_if_closed(ctx, actor, ticket)
        articles_sent.send_article(ctx, actor.id or 0, ticket_id,
                                   articles_sent.article_named(ctx, text[article.end():]))
        return "tramite", number  # echoed into the thread: the team sees what went
    internal, body = tramites.split_note(text)
    if internal:
        tramites.add_internal_note(ctx, actor.id or 0, ticket_id, body, attachments,
                                   in_card_thread=card is not None)
        return "note", number
    for_customer = FOR_CUSTOMER.match(text or "")
    if for_customer:
        return _to_customer(ctx, actor, ticket_id, card is not None,
                            text[for_customer.end():], attachments)
    mistyped = ANY_MARKER.match(text or "")
    if mistyped:
        raise InvalidInput("slack.refuse.unknown_marker", marker=mistyped.group(1))
    requester = ctx.uow.users.get(ticket.requester_id) if ticket else None
    if addressed and (requester is None or requester.slack_id != addressed):
        raise InvalidInput("slack.refuse.mention")  # talk within the team, not a trâmite
    thread_words.refuse_if_colleague_called(ctx, text, requester)
    lang = language_of(ctx, actor)
    if not attachments:  # files are for the customer
        thread_words.refuse_reopen(ticket, text, lang)
    refuse_if_closed(ctx, actor, ticket)
    acted = thread_words.act(ctx, actor, ticket, text, lang) \
        if ticket is not None and not attachments else None
    if acted is not None:  # "assumo", "repassa pro Bruno": done, never sent to the customer
        return acted, number
    if not attachments:  # "ok", "vou ver": a colleague's, not the customer's (!cliente ok)
        thread_words.refuse_acknowledgement(text)
    return _to_customer(ctx, actor, ticket_id, card is not None, body, attachments)


def _to_customer(ctx: Ctx, actor: User, ticket_id: int, on_card: bool, body: str,
                 attachments: list[Attachment] | None) -> tuple[str, str]:
    """The agent's trâmite, which the customer reads."""
    ticket = ctx.uow.tickets.get(ticket_id)
    if not body.strip() and not attachments:
        raise InvalidInput("slack.refuse.for_customer_empty")
    refuse_if_closed(ctx, actor, ticket)
    entry = tramites.add_tramite(ctx, actor.id or 0, ticket_id, body, attachments)
    if on_card:  # the sender will not echo it into the thread; typed in a DM, it will
        first_time(ctx, written_here(entry.id))
    return "tramite", ticket.number if ticket else ""


def dev_note(ctx: Ctx, slack_id: str, post: SlackDevPost, sent: str,
             attachments: list[Attachment] | None) -> tuple[str, str]:
    """A reply in a development post's thread (R15): an internal note on its ticket whatever it
    starts with ("!nota" is dropped), never a trâmite nor the justificativa customers see."""
    actor = _developer(ctx, slack_id)
    text = said(ctx, sent)
    if JUSTIFICATIVA_MARKER.match(text):
        raise InvalidInput("slack.refuse.dev_justificativa")
    _, body = tramites.split_note(text)
    entry = tramites.add_internal_note(ctx, actor.id or 0, post.ticket_id, body, attachments)
    first_time(ctx, from_development(entry.id))  # the developers have it: not copied back
    ticket = ctx.uow.tickets.get(post.ticket_id)
    return "note", ticket.number if ticket else ""


def _developer(ctx: Ctx, slack_id: str) -> User:
    """Who writes in a development thread: a registered agent (developers are registered so)."""
    try:
        return agent(ctx, slack_id)
    except NotAgent:
        raise NotAllowed("slack.refuse.dev_not_agent") from None


def written_here(entry_id: int | None) -> str:
    """The key marking a trâmite as typed in a Slack thread."""
    return f"entry:{entry_id}"


def agent_on_card(ctx: Ctx, slack_id: str, channel: str, thread_ts: str) -> bool:
    """Whether the thread is a card's or a development post's and the author an agent (before
    downloading files)."""
    card = ctx.uow.slack_cards.by_ts(channel, thread_ts)  # type: ignore[attr-defined]
    if card is not None:
        agent(ctx, slack_id)
        return True
    if post_at(ctx, channel, thread_ts) is None:
        return False
    _developer(ctx, slack_id)
    return True


def is_ours(event: dict[str, Any]) -> bool:
    """Only human messages (with or without files, or a thread reply also sent to the
    channel): no bots, no edits, joins or other subtypes."""
    subtype = event.get("subtype")
    return subtype in (None, "file_share", "thread_broadcast") and not event.get("bot_id") \
        and bool(event.get("user"))


def change_of(event: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """("edited" | "deleted", the message) when a person changed the text of a message or
    deleted it; a link preview added or a bot's own update is no change."""
    message, previous = event.get("message") or {}, event.get("previous_message") or {}
    subtype = event.get("subtype")
    if subtype == "message_changed" and _by_person(message) and message.get("edited") \
            and message.get("text") != previous.get("text"):
        return "edited", message
    if subtype == "message_deleted" and _by_person(previous):
        return "deleted", previous
    return None


def _by_person(message: dict[str, Any]) -> bool:
    return bool(message.get("user")) and not message.get("bot_id")


def register(app: AsyncApp, desk: Desk, direct: DirectHandler | None = None,
             files: SlackFiles | None = None) -> None:
    """Wire message events: threads in channels, and direct messages to `direct`. What only
    the writer sees (a refusal, an edit not taken) is in their language."""

    async def on_change(channel: str, kind: str, message: dict[str, Any],
                        channel_type: str | None, client: AsyncWebClient, key: str) -> None:
        """An edit or a deletion never reaches the ticket: say so to whoever made it, once
        (Slack delivers the event again when our answer was late)."""
        user, thread_ts = message["user"], message.get("thread_ts")
        on_dm_card = channel_type == "im" and direct is not None \
            and await dm_cards.agents_reply(client, desk, {**message, "channel": channel})
        if channel_type == "im" and not on_dm_card:  # else an agent's reply, as in a channel
            if direct is not None and kind == "edited" and await desk.acall(first_time, key):
                await client.chat_postMessage(channel=channel, text=t(
                    "conv.edited", await language(desk, user)))
            return
        if not thread_ts or thread_ts == message.get("ts"):
            return
        try:
            if not on_dm_card and not await desk.acall(agent_on_card, user, channel,
                                                       thread_ts):
                return
        except HelpdeskError:
            return
        if not await desk.acall(first_time, key):
            return
        said_key = "slack.edited_reply" if kind == "edited" else "slack.deleted_reply"
        await tell(client, user, t(said_key, await language(desk, user)), channel, thread_ts)

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any],
                         client: AsyncWebClient) -> None:
        change = change_of(event)
        if change is not None:
            await on_change(event["channel"], *change, event.get("channel_type"), client,
                            event_key(body, event))
            return
        if not is_ours(event):
            return
        key = event_key(body, event)
        in_dm = None
        if event.get("channel_type") == "im":
            if direct is None:
                return
            in_dm = await dm_cards.card_ticket(client, event)
            if in_dm is None or not await desk.acall(dm_cards.readers_card, event["user"],
                                                     in_dm):
                sent = event.get("text") or ""
                if "<@" in sent or "<#" in sent:  # the conversation reads people by name
                    event = {**event, "text": await desk.acall(with_names, sent)}
                await direct(event, key, client)
                return
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return
        user, channel = event["user"], event["channel"]
        try:
            attachments = None
            if event.get("files") and files is not None:
                if in_dm is None and not await desk.acall(agent_on_card, user, channel,
                                                          thread_ts):
                    return
                attachments = await files.fetch(event["files"])
            addressed = ADDRESSED.match(event.get("text") or "")
            done = await desk.acall(thread_reply, key, user, channel, thread_ts,
                                    event.get("text") or "", attachments,
                                    addressed.group(1).removeprefix("@") if addressed
                                    else None, in_dm)
        except NotAgent:
            if await desk.acall(first_time, refused(key)):  # Slack's retry: said already
                await tell(client, user, t("slack.refuse.reply_not_sent",
                                           await language(desk, user)), channel, thread_ts)
            return
        except HelpdeskError as err:
            if await desk.acall(first_time, refused(key)):
                await tell(client, user, error_text(err, await language(desk, user)), channel,
                           thread_ts)
            return
        if done is None:
            return
        emoji = {"note": "lock", "justificativa": "label"}.get(done[0], "white_check_mark")
        try:
            await client.reactions_add(channel=channel, timestamp=event["ts"], name=emoji)
        except SlackApiError as exc:
            log.info("could not react to the reply: %s", exc.response.get("error"))
