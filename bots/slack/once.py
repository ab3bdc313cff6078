"""Post an outbox row's message to Slack once, though an attempt's answer or record was lost.

Each post carries message metadata naming its row. A row claimed again after an attempt that
may have reached Slack (a lost answer, a failed database write, a crash before the row was
marked sent) first looks for its message in the channel or thread and adopts it. chat.update
needs none of this: drawing the same message again changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from core.outbox import OutboxMessage

log = logging.getLogger(__name__)

EVENT = "helpdesk_outbox"
"""The metadata event_type of every message the outbox posts."""
SKEW = 60.0
"""Seconds before the row's creation still searched: Slack's clock against ours."""
PAGE = 100
"""Messages asked for in the one lookup (Slack gives non-Marketplace apps at most 15)."""


class LookupLimited(Exception):
    """Slack limits the lookup (conversations.history/replies, not the channel's posts)."""

    def __init__(self, exc: SlackApiError) -> None:
        super().__init__(str(exc))
        self.error = exc


def tag(msg: OutboxMessage, part: str, **key: Any) -> dict[str, Any]:
    """The metadata of one message of a row (`part`: which of its messages)."""
    return {"event_type": EVENT, "event_payload": {"outbox": msg.id or 0, "part": part, **key}}


def maybe_posted(msg: OutboxMessage) -> bool:
    """Whether an earlier attempt of this row may have reached Slack: it was claimed before
    (a row handed back unsent gets its attempt back)."""
    return msg.attempts > 1


async def earlier(client: AsyncWebClient, msg: OutboxMessage, channel: str,
                  match: dict[str, Any], thread_ts: str | None = None) -> str | None:
    """The ts of the message an earlier attempt posted with this metadata, if one may have."""
    if not maybe_posted(msg):
        return None
    query: dict[str, Any] = {"channel": channel, "limit": PAGE, "include_all_metadata": True,
                             "oldest": f"{msg.created_at.timestamp() - SKEW:.6f}"}
    try:
        if thread_ts:
            resp = await client.conversations_replies(ts=thread_ts, **query)
        else:
            resp = await client.conversations_history(**query)
    except SlackApiError as exc:
        status = getattr(exc.response, "status_code", 200)
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        if status == 429 or data.get("error") == "ratelimited":
            raise LookupLimited(exc) from exc
        # Unable to look (a missing history scope, a channel given by name): post as before.
        log.warning("outbox %s: looking for its earlier post in %s failed (%s); posting",
                    msg.id, channel, data.get("error") or status)
        return None
    for message in resp.get("messages") or []:
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == EVENT and all(payload.get(k) == v for k, v in match.items()):
            log.info("outbox %s: its %s was posted by an earlier attempt (%s)", msg.id,
                     match.get("part"), message.get("ts"))
            return str(message["ts"])
    return None


async def post(client: AsyncWebClient, msg: OutboxMessage, part: str, *, channel: str,
               match: dict[str, Any] | None = None, thread_ts: str | None = None,
               key: dict[str, Any] | None = None, **kwargs: Any) -> tuple[str, str]:
    """Post one message of a row unless an earlier attempt did; its (channel, ts).

    `key` joins the metadata; an earlier post is one whose metadata holds `match` (by default
    this row's id and part)."""
    metadata = tag(msg, part, **(key or {}))
    wanted = match or {"outbox": msg.id or 0, "part": part}
    found = await earlier(client, msg, channel, wanted, thread_ts)
    if found is not None:
        return channel, found
    resp = await client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                         metadata=metadata, **kwargs)
    return str(resp["channel"]), str(resp["ts"])
