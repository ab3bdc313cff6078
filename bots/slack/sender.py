"""Deliver outbox rows to Slack: the ticket card and its thread, direct messages."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bots.delivery.results import (
    SEND_DEADLINE,
    Permanent,
    Result,
    RetryAfter,
    Sent,
    Transient,
)
from bots.runtime import Desk
from bots.slack import development, home, notice_files, once
from bots.slack.card_blocks import card_summary, ticket_card
from bots.slack.cards import CardData, card_data
from bots.slack.development import card_and_posts, post_body, record
from bots.slack.direct import UploadFailed, slack_messages, ticket_prompt, upload
from bots.slack.notices import card_line, slack_text, thread_text
from bots.slack.people import seen_before
from bots.slack.text import cut
from bots.slack.threads import written_here
from core.conversation.replies import Reply
from core.conversation.ticket_prompts import TICKET_PROMPTS
from core.errors import NotFound
from core.i18n import AGENT_TYPED, t
from core.outbox import SLACK_CARDS, SLACK_HOME, SLACK_TRIAGE, UNSENT, OutboxMessage
from core.services.context import Ctx
from storage.extras import SlackCard, SlackDevPost

log = logging.getLogger(__name__)

CHANNEL_GONE = frozenset({"channel_not_found", "not_in_channel", "is_archived",
                          "restricted_action", "ekm_access_denied"})
CHANNEL_HINT = "the app cannot post there: invite it; check SLACK_TRIAGE_CHANNEL/SLACK_DEV_CHANNEL"
PERSON_GONE = frozenset({"user_not_found", "user_disabled", "cannot_dm_bot",
                         "user_not_visible", "account_inactive_user"})
OUR_CONFIG = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired",
                        "account_inactive", "missing_scope", "no_permission"})
SERVER_SIDE = frozenset({"internal_error", "fatal_error", "service_unavailable",
                         "request_timeout", "ratelimited"})
BROADCAST = frozenset({"ticket.overdue", "ticket.first_response_overdue"})


def classify(exc: SlackApiError) -> Result:
    """Turn a Web API failure into a delivery result."""
    response = exc.response
    status = getattr(response, "status_code", 200)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    error = str(data.get("error") or f"http {status}")
    if status == 429 or error == "ratelimited":
        headers = getattr(response, "headers", {}) or {}
        raw = headers.get("Retry-After") or headers.get("retry-after") or "1"
        try:
            seconds = float(raw)
        except ValueError:
            seconds = 1.0
        return RetryAfter(max(seconds, 0.0), f"slack rate limited ({error})")
    if status >= 500 or error in SERVER_SIDE:
        return Transient(f"slack {error}")
    if error in OUR_CONFIG:
        # Our token or scopes are wrong, not the message: keep it until they are fixed.
        return Transient(f"slack {error}: check SLACK_BOT_TOKEN and the app's scopes")
    if error in PERSON_GONE:
        return Permanent(f"slack {error}", unreachable=True)
    hint = f": {CHANNEL_HINT}" if error in CHANNEL_GONE else ""
    return Permanent(f"slack {error}{hint}")


def classify_upload(exc: SlackRequestError) -> Result:
    """Turn a file's bytes not taken at Slack's upload URL into a delivery result: a refusal
    (a 4xx) is final, the rest (a 5xx, no answer) a failure of the moment."""
    if isinstance(exc, UploadFailed) and exc.refused:
        return Permanent(f"slack upload refused (http {exc.status})")
    if isinstance(exc, UploadFailed):
        return Transient(f"slack upload http {exc.status}")
    return Transient(f"{type(exc).__name__}: {exc}")


def _refused_file(exc: SlackApiError) -> str | None:
    """Slack's error when it will not take this file for good (a workspace refusing apps'
    uploads), not the channel nor the person: the file is said not sent, the rest go on."""
    result = classify(exc)
    error = str((exc.response.data if isinstance(exc.response.data, dict) else {})
                .get("error") or "")
    if not isinstance(result, Permanent) or result.unreachable or error in CHANNEL_GONE:
        return None
    return error or result.error


def _get_card(ctx: Ctx, ticket_id: int) -> SlackCard | None:
    return ctx.uow.slack_cards.get(ticket_id)  # type: ignore[attr-defined]


def _put_card(ctx: Ctx, card: SlackCard) -> None:
    ctx.uow.slack_cards.put(card)  # type: ignore[attr-defined]


class SlackSender:
    """Sends Slack outbox rows; every failure becomes a Result, none raises."""

    def __init__(self, client: AsyncWebClient, desk: Desk, *, triage_channel: str | None,
                 dev_channel: str | None = None, tz: str = "America/Sao_Paulo",
                 language: str = "pt_BR", home_delay: timedelta = home.DELAY,
                 files_dir: str = "files") -> None:
        self.client = client
        self.files_dir = files_dir
        self.home_delay = home_delay
        self.desk = desk
        self.triage_channel = triage_channel
        self.dev_channel = dev_channel
        self.tz = tz
        self.language = language
        self._dm_channels: dict[str, str] = {}

    def uploads(self, msg: OutboxMessage) -> bool:
        """Whether the row may share files (a trâmite's, a note's, a new ticket's): given
        longer to send."""
        return notice_files.wanted(msg) or notice_files.opening(msg) \
            or notice_files.for_team(msg)

    async def send(self, msg: OutboxMessage) -> Result:
        """Deliver one row and classify the outcome; a failure of an attempt none of whose
        posts may have reached Slack is known not delivered (unposted).

        It stops at the dispatcher's deadline (SEND_DEADLINE) itself, before the dispatcher
        cuts it: a trâmite's files not shared by then are kept with the row (its notice and
        the files shared are not posted again); cut, the next attempt shared them all again."""
        attempt = once.begin()
        deadline = SEND_DEADLINE.get()
        try:
            async with asyncio.timeout_at(deadline.at if deadline else None):
                result = await self._send(msg)
        except TimeoutError:
            if deadline is None:  # never: only the deadline's timeout reaches here
                raise
            result = Transient(t("delivery.no_answer", self.language,
                                 seconds=f"{deadline.seconds:g}"), unsent=attempt.left)
        if isinstance(result, Sent) or attempt.reached:
            return result
        return dataclasses.replace(result, unposted=True)

    async def _send(self, msg: OutboxMessage) -> Result:
        try:
            if msg.target == SLACK_TRIAGE:
                if msg.kind in home.REDRAWN_AFTER:  # before the card: its retries queue no more
                    await self.desk.acall(home.refresh, self.home_delay)
                return await self._triage(msg)
            if msg.target == SLACK_CARDS:
                return await self._redraw(msg)
            if msg.target.startswith(SLACK_HOME):
                return await self._home(msg.target.removeprefix(SLACK_HOME))
            if msg.target.startswith("user:"):
                return await self._direct(msg, msg.target.removeprefix("user:"))
            if msg.target.startswith("channel:"):
                return await self._post(msg.target.removeprefix("channel:"), msg)
            return Permanent(f"unknown slack target {msg.target!r}")
        except once.LookupLimited as exc:  # the lookup's own limit: only this row waits
            limited = classify(exc.error)
            if not isinstance(limited, RetryAfter):  # never: raised for a 429 alone
                return limited
            return RetryAfter(limited.seconds, t("delivery.slack_lookup_limited", self.language,
                                                 error=limited.error), channel_wide=False,
                              resume=exc.resume)
        except SlackApiError as exc:
            return classify(exc)
        except SlackRequestError as exc:  # a prompt's file (_prompt's upload)
            return classify_upload(exc)
        except NotFound as exc:
            return Permanent(f"ticket gone: {exc}")
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return Transient(f"{type(exc).__name__}: {exc}")

    async def aclose(self) -> None:
        """Nothing to close: the client opens a session per call."""

    # --- the triage channel ----------------------------------------------------------------
    async def _triage(self, msg: OutboxMessage) -> Result:
        if msg.ticket_id is None:
            return Permanent("triage message without a ticket")
        if msg.kind in development.LINES:
            return await self._dev_line(msg, msg.ticket_id)
        if not self.triage_channel:
            return Permanent("SLACK_TRIAGE_CHANNEL is not set")
        data, posts = await self.desk.acall(card_and_posts, msg.ticket_id)
        # A trâmite's or note's files join the card's 📎 line, though the status stays.
        update = msg.kind == "card" or (msg.kind in ("ticket.tramite", "ticket.internal_note")
                                        and bool(msg.params.get("files")))
        card, _ = await self._ensure_card(msg, data, update)
        if isinstance(card, Transient):
            return card
        if update:  # before the thread's line, so a retry of this row does not repeat it
            held = await self._redraw_dev(data, posts)
            if held is not None:
                return held
        if notice_files.opening(msg) and data.public_attachments:  # for the team to open
            return await self._noticed(msg, lambda: self._card_log(msg, card), card.channel,
                                       card.ts, notice_files.opening_files)
        if msg.kind == "card":
            return await self._card_log(msg, card)
        if msg.kind == "dev.forwarded":
            return await self._dev(msg, data)
        if msg.kind == "ticket.tramite" and msg.params.get("staff") and await self.desk.acall(
                seen_before, written_here(msg.params.get("entry_id"))):
            return Sent("already in the thread")  # asked, not recorded: a retry gets the same
        text = thread_text(msg, self.language, self.tz)
        if text is None:
            return Sent("skipped")
        if notice_files.wanted(msg):  # a customer's, or an agent's written elsewhere
            return await self._noticed(msg, lambda: self._reply(msg, card, text), card.channel,
                                       card.ts)
        if notice_files.for_team(msg) and not msg.params.get("files_there"):  # a note's
            return await self._noticed(msg, lambda: self._reply(msg, card, text), card.channel,
                                       card.ts, notice_files.team_files)
        return await self._reply(msg, card, text, broadcast=msg.kind in BROADCAST)

    async def _ensure_card(self, msg: OutboxMessage, data: CardData, update: bool
                           ) -> tuple[SlackCard | Transient, bool]:
        """Post the card the first time (retried, never skipped); update it when asked."""
        tid = data.ticket.id or 0
        card = await self.desk.acall(_get_card, tid)
        text, body = card_summary(data, self.language), \
            ticket_card(data, self.tz, lang=self.language)
        if card is not None and update:
            try:
                await self.client.chat_update(channel=card.channel, ts=card.ts, text=text,
                                              blocks=body)
                return card, False
            except SlackApiError as exc:
                answer = exc.response.data if isinstance(exc.response.data, dict) else {}
                if answer.get("error") != "message_not_found":
                    raise
                log.warning("card of ticket %s was deleted; posting it again", tid)
                card = None
        if card is not None:
            return card, False
        try:
            # Found by its ticket: any row may post the card whose record was lost.
            channel, ts = await once.post(self.client, msg, "card",
                                          channel=self.triage_channel or "",
                                          match={"part": "card", "ticket": tid},
                                          key={"ticket": tid},
                                          text=text, blocks=body)
        except SlackApiError as exc:
            result = classify(exc)
            if isinstance(result, Permanent):
                # A card is never skipped: the channel can be fixed, the row waits for it.
                return Transient(f"card not posted: {result.error}"), False
            raise
        card = SlackCard(ticket_id=tid, channel=channel, ts=ts)
        await self.desk.acall(_put_card, card)
        return card, True

    async def _redraw(self, msg: OutboxMessage) -> Result:
        """Redraw a posted card as it stands, no line in its thread; one not posted yet is
        posted current by its ticket's own rows. A change drawn meanwhile by the triage queue
        (which runs alongside) is drawn again, so this older picture never stays."""
        tid = msg.ticket_id or 0
        card = await self.desk.acall(_get_card, tid)
        if card is None:
            return Sent("no card yet")
        drawn = None
        for _ in range(3):
            data = await self.desk.acall(card_data, tid)
            body = ticket_card(data, self.tz, lang=self.language)
            if body == drawn:
                break
            try:
                await self.client.chat_update(channel=card.channel, ts=card.ts, blocks=body,
                                              text=card_summary(data, self.language))
            except SlackApiError as exc:
                result = classify(exc)
                if isinstance(result, RetryAfter):  # these wait alone, not the live posts
                    return RetryAfter(result.seconds, result.error, channel_wide=False)
                if isinstance(result, Permanent):
                    return Sent(f"card not redrawn: {result.error}")  # deleted: reposted later
                return result
            drawn = body
        return Sent(card.ts)

    async def _card_log(self, msg: OutboxMessage, card: SlackCard) -> Result:
        event = str(msg.params.get("event") or "")
        if event == "opened":
            return Sent(card.ts)
        return await self._reply(msg, card, card_line(msg.params, self.language))

    async def _dev(self, msg: OutboxMessage, data: CardData) -> Result:
        if not self.dev_channel:
            return Sent("no dev channel")
        note = str(msg.params.get("note") or "") or None
        actor = str(msg.params.get("actor") or "")
        text, body = post_body(data, actor, note, self.tz, self.language)
        channel, ts = await once.post(self.client, msg, "dev", channel=self.dev_channel,
                                      text=text, blocks=body)
        await self.desk.acall(record, SlackDevPost(
            ticket_id=data.ticket.id or 0, channel=channel, ts=ts, actor=actor, note=note))
        return Sent(ts)

    async def _dev_line(self, msg: OutboxMessage, ticket_id: int) -> Result:
        """A line in the thread of the ticket's latest development post (R15); a note written
        in a development thread is already there."""
        if not self.dev_channel:
            return Sent("no dev channel")
        if msg.kind == "dev.note" and await self.desk.acall(
                seen_before, development.from_development(msg.params.get("entry_id"))):
            return Sent("written in the development thread")
        post = await self.desk.acall(development.latest_post, ticket_id)
        if post is None:
            return Sent("never posted in the development channel")
        text = development.line(msg.kind, msg.params, self.language)

        async def line() -> Result:
            _, ts = await once.post(self.client, msg, "line", channel=post.channel,
                                    thread_ts=post.ts, text=cut(text))
            return Sent(ts)

        if notice_files.for_team(msg):  # the developers open them there
            return await self._noticed(msg, line, post.channel, post.ts,
                                       notice_files.team_files)
        return await line()

    async def _redraw_dev(self, data: CardData, posts: list[SlackDevPost]) -> Result | None:
        """Show the ticket as it is now in its development posts (R15); a post deleted or a
        channel gone is left alone, a passing failure holds the row to be tried again."""
        for post in posts:
            text, body = post_body(data, post.actor, post.note, self.tz, self.language)
            try:
                await self.client.chat_update(channel=post.channel, ts=post.ts, text=text,
                                              blocks=body)
            except SlackApiError as exc:
                result = classify(exc)
                if not isinstance(result, Permanent):
                    return result
                log.warning("development post of ticket %s not updated: %s", data.ticket.id,
                            result.error)
        return None

    async def _reply(self, msg: OutboxMessage, card: SlackCard, text: str,
                     broadcast: bool = False) -> Result:
        _, ts = await once.post(self.client, msg, "line", channel=card.channel,
                                thread_ts=card.ts, text=cut(text),
                                reply_broadcast=broadcast)
        return Sent(ts)

    # --- the App Home ----------------------------------------------------------------------
    async def _home(self, slack_id: str) -> Result:
        """Redraw a person's Home as it is now; Slack limiting views.publish holds this Home
        alone (the method's own limit, not the channel's)."""
        view = await self.desk.acall(home.view, slack_id)
        try:
            await self.client.views_publish(user_id=slack_id, view=view)
        except SlackApiError as exc:
            result = classify(exc)
            if isinstance(result, RetryAfter):
                return RetryAfter(result.seconds, result.error, channel_wide=False)
            return result
        return Sent(slack_id)

    # --- direct messages -------------------------------------------------------------------
    async def _direct(self, msg: OutboxMessage, slack_id: str) -> Result:
        channel = self._dm_channels.get(slack_id)
        if channel is None:
            resp = await self.client.conversations_open(users=slack_id)
            channel = str(resp["channel"]["id"])
            self._dm_channels[slack_id] = channel
        if msg.ticket_id is not None and msg.kind in TICKET_PROMPTS:
            replies = await self.desk.acall(ticket_prompt, channel, slack_id, msg.ticket_id,
                                            msg.kind)
            if replies:
                await self._prompt(msg, channel, replies)
                return Sent(channel)
        if notice_files.wanted(msg):
            return await self._noticed(msg, lambda: self._post(channel, msg), channel)
        return await self._post(channel, msg)

    async def _noticed(self, msg: OutboxMessage, post: Callable[[], Awaitable[Result]],
                       channel: str, thread_ts: str | None = None,
                       files: Callable[[Ctx, OutboxMessage], list[dict[str, Any]]] =
                       notice_files.entry_files) -> Result:
        """A trâmite's notice (post()), then its files (those `files` finds) shared after it
        (in the thread of `thread_ts`), in order, each once: an attempt that fails keeps
        with the row those it did not share (and the uploads it asked for), which its next
        attempt shares, the notice not posted again."""
        kept = msg.params.get(UNSENT)
        if isinstance(kept, list):
            left = [dict(item) for item in kept]
        else:
            left = await self.desk.acall(files, msg)
            await post()
        once.to_share(left)
        language = msg.params.get("language") or self.language
        try:
            while left:
                try:
                    await notice_files.share(self.client, msg, channel, left[0],
                                             self.files_dir, language, thread_ts)
                except (SlackApiError, UploadFailed) as exc:
                    error = _refused_file(exc) if isinstance(exc, SlackApiError) \
                        else f"http {exc.status}" if exc.refused else None
                    if error is None:
                        raise
                    await notice_files.refused(self.client, msg, channel, left[0], error,
                                               language, thread_ts)
                left.pop(0)
        except SlackApiError as exc:
            result = classify(exc)
        except SlackRequestError as exc:
            result = classify_upload(exc)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            result = Transient(f"{type(exc).__name__}: {exc}")
        else:
            return Sent(channel)
        if isinstance(result, RetryAfter | Transient):
            return dataclasses.replace(result, unsent=left)
        return result

    async def _prompt(self, msg: OutboxMessage, channel: str, replies: list[Reply]) -> None:
        """A ticket's prompt in the customer's DM, in one or several messages: those an
        earlier attempt posted (one lookup for all) are not posted again. A file goes unless a
        message after it is found: then it went before it."""
        out = slack_messages(replies)
        parts = {f"prompt.{n}": {"outbox": msg.id or 0, "part": f"prompt.{n}"}
                 for n, m in enumerate(out) if isinstance(m, dict)}
        found = await once.find(self.client, msg, channel, parts)
        for n, message in enumerate(out):
            if isinstance(message, dict):
                await once.post(self.client, msg, f"prompt.{n}", channel=channel, found=found,
                                **message)
            elif not any(int(p.removeprefix("prompt.")) > n for p in found):
                once.reached()  # an upload has no metadata: never known not to have gone
                await upload(self.client, channel, message)

    async def _post(self, channel: str, msg: OutboxMessage) -> Result:
        text = slack_text(msg.kind, msg.params, msg.params.get("language") or self.language,
                          typed=AGENT_TYPED.get(msg.kind, ""))
        _, ts = await once.post(self.client, msg, "message", channel=channel,
                                text=text)
        return Sent(ts)
