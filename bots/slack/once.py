"""Post an outbox row's message to Slack once, though an attempt's answer or record was lost.

Each post carries message metadata naming its row. A row claimed again after an attempt that
may have reached Slack (a lost answer, a failed database write, a crash before the row was
marked sent) first looks for its messages in the channel or thread and adopts them. An attempt
Slack refused (a 429, an error it answered) posted nothing: the dispatcher counts it as
unposted, and a retry after only such attempts looks for nothing. chat.update needs none of
this: drawing the same message again changes nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.outbox import RESUME, OutboxMessage

log = logging.getLogger(__name__)

EVENT = "helpdesk_outbox"
"""The metadata event_type of every message the outbox posts."""
SKEW = 60.0
"""Seconds before the row's creation still searched: Slack's clock against ours."""
PAGE = 100
"""Messages asked for per page (Slack gives non-Marketplace apps at most 15)."""
PAGES = 40
"""Pages read at most for one lookup (600 messages at 15 a page): past them, it posts."""
LATEST = 15
"""A page of a DM's messages looked through for a post that may have gone."""
LIMITED_WAIT = 60.0
"""The longest a DM's lookup waits when Slack limits it (its Retry-After is cut to it)."""
LIMITED_TRIES = 2
"""Waits of a DM's lookup for Slack's limit; limited once more, it posts (a copy rather than
none)."""


class LookupLimited(Exception):
    """Slack limits the lookup (conversations.history/replies, not the channel's posts);
    `resume`: where the row's next attempt goes on (kept with the row: RetryAfter.resume)."""

    def __init__(self, exc: SlackApiError, resume: dict[str, Any]) -> None:
        super().__init__(str(exc))
        self.error = exc
        self.resume = resume


@dataclass
class Attempt:
    """What one send of a row did: whether a post of it may have reached Slack, and what of
    it is still to share once its notice went."""

    reached: bool = False
    left: list[dict[str, Any]] | None = None
    """The files still to share (the very list they are shared from): kept with the row when
    the send stops at its deadline (SlackSender.send), so the next attempt shares those only."""


_ATTEMPT: contextvars.ContextVar[Attempt | None] = contextvars.ContextVar(
    "slack_once_attempt", default=None)


def begin() -> Attempt:
    """Start counting one send's posts (SlackSender.send, in the send's own task)."""
    attempt = Attempt()
    _ATTEMPT.set(attempt)
    return attempt


def refused(exc: SlackApiError) -> bool:
    """Whether Slack answered that it did not do the call: a 429, or an error it answered
    (a 5xx or a page not its JSON may come after the work was done)."""
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    data = getattr(response, "data", None)
    return status == 429 or (status < 500 and isinstance(data, dict) and data.get("ok") is False)


def reached() -> None:
    """A post of this send may have reached Slack."""
    attempt = _ATTEMPT.get()
    if attempt is not None:
        attempt.reached = True


def to_share(left: list[dict[str, Any]]) -> None:
    """The files this send still has to share, its notice posted (emptied as they go)."""
    attempt = _ATTEMPT.get()
    if attempt is not None:
        attempt.left = left


def tag(msg: OutboxMessage, part: str, **key: Any) -> dict[str, Any]:
    """The metadata of one message of a row (`part`: which of its messages)."""
    return {"event_type": EVENT, "event_payload": {"outbox": msg.id or 0, "part": part, **key}}


def maybe_posted(msg: OutboxMessage) -> bool:
    """Whether an earlier attempt of this row may have reached Slack: it was claimed before
    (a row handed back unsent gets its attempt back), and not every earlier attempt was
    refused by Slack."""
    return msg.attempts - 1 > msg.unposted


async def find(client: AsyncWebClient, msg: OutboxMessage, channel: str,
               wanted: Mapping[str, Mapping[str, Any]], thread_ts: str | None = None
               ) -> dict[str, str]:
    """The ts of each wanted message (name: the metadata it holds) an earlier attempt posted,
    when one may have: the channel's (or thread's) messages since the row was made, page by
    page until all are found. A lookup Slack limits (1 page a minute for apps outside the
    Marketplace) goes on at the next attempt from the page it reached, with what it found,
    kept with the row (results.RESUME): from the newest page each time, on whichever
    instance, it would never get past the first."""
    if not maybe_posted(msg):
        return {}
    where = [channel, thread_ts or ""]
    kept = msg.params.get(RESUME)
    cursor, found = "", {}
    if isinstance(kept, dict) and kept.get("lookup") == where:
        cursor, found = str(kept.get("cursor") or ""), dict(kept.get("found") or {})
    query: dict[str, Any] = {"channel": channel, "limit": PAGE, "include_all_metadata": True,
                             "oldest": f"{msg.created_at.timestamp() - SKEW:.6f}"}
    for _ in range(PAGES):
        try:
            if thread_ts:
                resp = await client.conversations_replies(ts=thread_ts, cursor=cursor or None,
                                                          **query)
            else:
                resp = await client.conversations_history(cursor=cursor or None, **query)
        except SlackApiError as exc:
            status = getattr(exc.response, "status_code", 200)
            data = exc.response.data if isinstance(exc.response.data, dict) else {}
            if status == 429 or data.get("error") == "ratelimited":
                raise LookupLimited(exc, {"lookup": where, "cursor": cursor,
                                          "found": found}) from exc
            # Unable to look (a missing history scope, a channel given by name): post as before.
            log.warning("outbox %s: looking for its earlier post in %s failed (%s); posting",
                        msg.id, channel, data.get("error") or status)
            return found
        for message in resp.get("messages") or []:
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") != EVENT:
                continue
            for name, match in wanted.items():
                if name not in found and all(payload.get(k) == v for k, v in match.items()):
                    log.info("outbox %s: its %s was posted by an earlier attempt (%s)",
                             msg.id, name, message.get("ts"))
                    found[name] = str(message["ts"])
        cursor = str((resp.get("response_metadata") or {}).get("next_cursor") or "")
        if len(found) == len(wanted) or not cursor:
            return found
    log.warning("outbox %s: its earlier post not found in %d pages of %s; posting", msg.id,
                PAGES, channel)
    return found


async def in_dm(client: AsyncWebClient, channel: str, metadata: dict[str, Any],
                since: float) -> str | None:
    """The ts of the message so tagged in a DM since `since` (a Unix time, less SKEW), page by
    page back to then (at most PAGES); None when not there or Slack would not show them (the
    caller posts: a copy rather than none). Slack limiting the lookup (1 page a minute for
    apps outside the Marketplace): it waits as Slack says, up to LIMITED_WAIT, and goes on at
    the page it reached. Posts of a DM, not of an outbox row."""
    cursor = ""
    waits = 0
    for _ in range(PAGES):
        try:
            resp = await client.conversations_history(channel=channel, limit=LATEST,
                                                      include_all_metadata=True,
                                                      oldest=f"{since - SKEW:.6f}",
                                                      cursor=cursor or None)
        except SlackApiError as exc:
            seconds = limited_for(exc)
            if seconds is not None and waits < LIMITED_TRIES:
                waits += 1
                log.info("looking in %s for a %s maybe posted: Slack limits it; again in "
                         "%.0f s", channel, metadata["event_type"], seconds)
                await asyncio.sleep(seconds)
                continue
            log.info("could not look in %s for a %s maybe posted (%s); posting it", channel,
                     metadata["event_type"], exc)
            return None
        for message in resp.get("messages") or []:
            meta = message.get("metadata") or {}
            if meta.get("event_type") == metadata["event_type"] and \
                    meta.get("event_payload") == metadata["event_payload"]:
                return str(message["ts"])
        cursor = str((resp.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor:
            return None
    return None


def limited_for(exc: SlackApiError) -> float | None:
    """How long Slack asks to wait before the next lookup (its Retry-After, at most
    LIMITED_WAIT), None when it did not limit the call."""
    response = exc.response
    status = getattr(response, "status_code", 200)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    if status != 429 and data.get("error") != "ratelimited":
        return None
    headers = getattr(response, "headers", None) or {}
    try:
        seconds = float(headers.get("Retry-After") or headers.get("retry-after") or 1)
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.0), LIMITED_WAIT)


async def file_in(client: AsyncWebClient, channel: str, file_ids: Collection[str],
                  since: float) -> bool:
    """Whether one of these uploads (Slack's file ids) was shared in a DM since `since` (a Unix
    time, less SKEW): an upload whose share's answer was lost (files.list, the files:read
    scope; an upload takes no metadata, its id is exact). False when Slack would not list
    them (the caller uploads: a copy rather than none)."""
    try:
        resp = await client.files_list(channel=channel, ts_from=str(int(since - SKEW)),
                                       count=PAGE)
    except SlackApiError as exc:
        log.info("could not look in %s for a file maybe shared (%s); uploading it", channel,
                 exc)
        return False
    return any(f.get("id") in file_ids for f in resp.get("files") or [])


async def earlier(client: AsyncWebClient, msg: OutboxMessage, channel: str,
                  match: dict[str, Any], thread_ts: str | None = None) -> str | None:
    """The ts of the message an earlier attempt posted with this metadata, if one may have."""
    found = await find(client, msg, channel, {"it": match}, thread_ts)
    return found.get("it")


async def post(client: AsyncWebClient, msg: OutboxMessage, part: str, *, channel: str,
               match: dict[str, Any] | None = None, thread_ts: str | None = None,
               key: dict[str, Any] | None = None, found: Mapping[str, str] | None = None,
               **kwargs: Any) -> tuple[str, str]:
    """Post one message of a row unless an earlier attempt did; its (channel, ts).

    `key` joins the metadata; an earlier post is one whose metadata holds `match` (by default
    this row's id and part). `found`: the row's parts already looked for (find), by part."""
    metadata = tag(msg, part, **(key or {}))
    if found is not None:
        ts = found.get(part)
    else:
        wanted = match or {"outbox": msg.id or 0, "part": part}
        ts = await earlier(client, msg, channel, wanted, thread_ts)
    if ts is not None:
        return channel, ts
    try:
        resp = await client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                             metadata=metadata, **kwargs)
    except SlackApiError as exc:
        if not refused(exc):
            reached()
        raise
    except BaseException:
        reached()
        raise
    reached()
    return str(resp["channel"]), str(resp["ts"])
