"""Abrir, pressed again: a card shown lately is pointed to, not posted once more.

From the App Home the card is a message in the bot's DM: a second Abrir within RECENT updates
it in place and links to it (chat.getPermalink). The press that posts it claims it first in
the database, so a second press handled by another instance at the same moment waits for that
card instead of posting its own. Below a /ticket listing the card is seen only by whoever
pressed it and cannot be edited or linked: a second Abrir says it is just above, unchanged,
once; the next one shows it again, in case it was dismissed."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.slack import buttons as b
from bots.slack import once
from bots.slack.lists import open_card
from bots.slack.people import first_time, language, registered, seen_before
from bots.slack.text import esc
from core.conversation.engine import error_text, language_of
from core.errors import HelpdeskError
from core.i18n import t
from core.models import Ticket
from core.services.context import Ctx
from core.services.take_next import take_next
from storage.extras import SlackOpenedCard

log = logging.getLogger(__name__)

RECENT = timedelta(minutes=30)
"""A card Abrir showed this long ago is pointed to; an older one is shown anew, at the end."""
POSTING = timedelta(seconds=10)
"""How long a press waits for the card another press is posting in the DM; a claim older
than this is taken over (its post failed, or its instance stopped)."""
Blocks = list[dict[str, Any]]
EVENT = "helpdesk_open"
"""The metadata event_type of the card Abrir posts in the bot's DM."""


@dataclass(frozen=True)
class Opened:
    """What Abrir shows: the card, or the words pointing to the one shown lately."""

    ticket_id: int
    number: str
    text: str
    card: Blocks
    pointer: str | None = None
    """Below a listing: the card shown just above is current; say so instead."""
    posted_ts: str | None = None
    """In the DM: the card posted there lately, to update and link to."""
    posting: bool = False
    """In the DM: another press is posting the card right now; point to that one."""
    left_since: datetime | None = None
    """In the DM: another press claimed the card then and never recorded it (its answer or
    its record lost, its instance stopped): it may be there, so it is looked for first."""


def digest(card: Blocks) -> str:
    """A short fingerprint of a card's blocks: equal when it shows the same."""
    return hashlib.sha256(json.dumps(card, sort_keys=True).encode()).hexdigest()[:32]


def _cards(ctx: Ctx) -> Any:
    return ctx.uow.slack_opened_cards  # type: ignore[attr-defined]


def press(ctx: Ctx, slack_id: str, value: str, channel: str, in_dm: bool) -> Opened:
    """Abrir in `channel` (the bot's DM, or a listing's channel/ts): the card, refused as
    /ticket NÚMERO refuses it (R8), and what was shown there lately."""
    ticket, text, card = open_card(ctx, slack_id, value)
    tid = ticket.id or 0
    cards = _cards(ctx)
    cards.forget(slack_id, ctx.now - RECENT)
    drawn = digest(card)
    shown = SlackOpenedCard(slack_id=slack_id, channel=channel, ticket_id=tid, drawn=drawn,
                            opened_at=ctx.now)
    if in_dm:
        return _in_dm_claimed(ctx, shown, Opened(tid, ticket.number, text, card))
    # Claimed (or locked), not read then written: a press on another instance at the same
    # moment (a double click) waits for this one's and finds its card just above.
    if cards.claim(shown) is None:
        return Opened(tid, ticket.number, text, card)
    before = cards.get(slack_id, channel, tid, lock=True)  # a press at this moment waits
    if before is not None and before.drawn == drawn and not before.pointed:
        before.pointed = True
        cards.put(before)
        words = t("slack.open.above", language_of(ctx, registered(ctx, slack_id)),
                  number=ticket.number)
        return Opened(tid, ticket.number, text, card, pointer=words)
    cards.put(shown)
    return Opened(tid, ticket.number, text, card)


def _in_dm_claimed(ctx: Ctx, claim: SlackOpenedCard, opened: Opened) -> Opened:
    """The card to update and link to, or another press posting it, or the claim to post it
    (recorded, so a press that comes meanwhile waits for this one's card)."""
    before = _cards(ctx).claim(claim)
    if before is None:
        return opened
    if before.ts is not None:
        return replace(opened, posted_ts=before.ts)
    if before.opened_at > ctx.now - POSTING:
        return replace(opened, posting=True)
    _cards(ctx).put(claim)  # a claim left behind: this press posts the card
    return replace(opened, left_since=before.opened_at)


def take_and_press(ctx: Ctx, slack_id: str, channel: str) -> Opened:
    """Assumir o próximo on the Home tab: the queue's next ticket nobody has, taken (R12),
    and its card opened in the bot's DM as Abrir opens one."""
    agent_id = registered(ctx, slack_id).id or 0
    taken = take_next(ctx, agent_id, took_by_press=lambda just: seen_before(
        ctx, _pressed(agent_id, just)))  # not by its card's Assumir
    first_time(ctx, _pressed(agent_id, taken))
    return press(ctx, slack_id, str(taken.id), channel, True)


def _pressed(agent_id: int, ticket: Ticket) -> str:
    """The key marking a ticket's take (its moment) as this agent's Assumir o próximo on the
    Home."""
    at = int(ticket.taken_at.timestamp()) if ticket.taken_at else ""  # as either store keeps it
    return f"take_next:{agent_id}:{ticket.id}:{at}"


def posted_ts(ctx: Ctx, slack_id: str, channel: str, ticket_id: int) -> str | None:
    """The ts of the card in the DM, once the press posting it has recorded it."""
    card = _cards(ctx).get(slack_id, channel, ticket_id)
    return card.ts if card is not None else None


def posted(ctx: Ctx, slack_id: str, channel: str, ticket_id: int, ts: str, card: Blocks
           ) -> None:
    """Remember the card just posted in the DM, so the next Abrir points to it."""
    _cards(ctx).put(SlackOpenedCard(slack_id=slack_id, channel=channel, ticket_id=ticket_id,
                                    ts=ts, drawn=digest(card), opened_at=ctx.now))


def pointer_in_dm(ctx: Ctx, slack_id: str, number: str, link: str) -> str:
    """The words linking to the card updated in the DM (the link is Slack's own)."""
    return t("slack.open.in_dm", language_of(ctx, registered(ctx, slack_id)), number=number,
             link=link)


def register(app: AsyncApp, desk: Desk) -> None:
    """Wire the listings' and the Home's Abrir button."""

    @app.action(b.OPEN)
    async def on_open(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                      action: dict[str, Any], client: AsyncWebClient,
                      respond: Callable[..., Awaitable[Any]]) -> None:
        await ack()
        user = body["user"]["id"]
        value = str(action.get("value") or "")
        listing = bool(body.get("response_url"))  # an answer to /ticket; else the Home tab
        channel = str((body.get("channel") or {}).get("id") or "") if listing \
            else await _dm(client, user)
        # Below a listing, each answer to /ticket is its own place: a card opened under an
        # older list is not "just above" a newer one.
        where = f"{channel}/{(body.get('container') or {}).get('message_ts') or ''}"[:50] \
            if listing else channel
        try:
            opened = await desk.acall(press, user, value, where, not listing)
        except HelpdeskError as err:
            text = esc(error_text(err, await language(desk, user)))
            if listing:
                await respond(response_type="ephemeral", replace_original=False, text=text)
            else:
                await _only_to(client, user, channel, text)
            return
        if listing:  # a new message below it: the list stays
            message = {"text": opened.pointer} if opened.pointer \
                else {"text": opened.text, "blocks": opened.card}
            await respond(response_type="ephemeral", replace_original=False, **message)
        else:
            await _in_dm(client, desk, user, channel, opened)


    @app.action(b.TAKE_NEXT)
    async def on_take_next(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                           client: AsyncWebClient) -> None:
        await ack()
        user = body["user"]["id"]
        channel = await _dm(client, user)
        lang = await language(desk, user)
        try:
            opened = await desk.acall(take_and_press, user, channel)
        except HelpdeskError as err:
            await _only_to(client, user, channel, esc(error_text(err, lang)))
            return
        await _in_dm(client, desk, user, channel, opened)
        await _only_to(client, user, channel, t("slack.cmd.took_next", lang,
                                                 number=opened.number))


async def _in_dm(client: AsyncWebClient, desk: Desk, user: str, channel: str,
                 opened: Opened) -> None:
    """From the Home tab: the card as a message in the bot's DM (only the agent and the bot
    are there); the one posted lately, or being posted by another press, is updated and
    linked to instead."""
    ts = opened.posted_ts
    since = opened.left_since
    if opened.posting:
        ts = await _posted_meanwhile(desk, user, channel, opened.ticket_id)
        since = None if ts is not None else datetime.now(UTC) - POSTING
    if ts is None and since is not None:
        # a press posted it since, its record lost: found by its metadata in the DM
        ts = await once.in_dm(client, channel, _tag(opened.ticket_id), since.timestamp())
        if ts is not None:
            await desk.acall(posted, user, channel, opened.ticket_id, ts, opened.card)
    if ts is not None:
        try:
            await client.chat_update(channel=channel, ts=ts, text=opened.text,
                                     blocks=opened.card)
            link = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as exc:  # deleted meanwhile, say: post it again
            log.info("card in the DM not updated (%s); posting it again", exc)
        else:
            words = await desk.acall(pointer_in_dm, user, opened.number, str(link["permalink"]))
            await _only_to(client, user, channel, words)
            return
    sent = await client.chat_postMessage(channel=channel, text=opened.text, blocks=opened.card,
                                         metadata=_tag(opened.ticket_id))
    await desk.acall(posted, user, channel, opened.ticket_id, str(sent["ts"]), opened.card)


def _tag(ticket_id: int) -> dict[str, Any]:
    """The metadata of a card Abrir posts in the DM: found by it when its record was lost."""
    return {"event_type": EVENT, "event_payload": {"ticket": ticket_id}}


async def _posted_meanwhile(desk: Desk, user: str, channel: str, ticket_id: int
                            ) -> str | None:
    """The ts of the card another press is posting, once recorded (None: not within POSTING,
    so this press posts one)."""
    deadline = asyncio.get_running_loop().time() + POSTING.total_seconds()
    while asyncio.get_running_loop().time() < deadline:
        ts = await desk.acall(posted_ts, user, channel, ticket_id)
        if ts is not None:
            return ts
        await asyncio.sleep(0.05)
    log.info("card of ticket %s not recorded by the other press in time; posting it",
             ticket_id)
    return None


async def _dm(client: AsyncWebClient, user: str) -> str:
    """The bot's DM with the person (its id; their own id, which Slack also takes, if the
    conversation cannot be opened)."""
    try:
        return str((await client.conversations_open(users=user))["channel"]["id"])
    except SlackApiError as exc:
        log.info("DM with %s not opened (%s); posting to the user id", user, exc)
        return user


async def _only_to(client: AsyncWebClient, user: str, channel: str, text: str) -> None:
    """Words only this person sees in the DM (a plain message there if Slack refuses)."""
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.info("ephemeral refused (%s); posting it in the DM", exc)
        await client.chat_postMessage(channel=channel, text=text)
