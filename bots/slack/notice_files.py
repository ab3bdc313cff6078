"""The files of a trâmite a Slack notice tells of (in a DM, in the card's thread), shared there
after its text; those a ticket was opened with, in its card's thread; a note's, in the team's
threads (the card's, the development post's). Which rows and files:
bots.delivery.notice_files, shared with Telegram and e-mail."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bots.blobs import MAX_FILE_BYTES
from bots.delivery.notice_files import entry_files, for_team, kept, stored, team_files, wanted
from bots.slack import once
from bots.slack.direct import upload
from bots.slack.text import verbatim
from core.conversation.fmt import name_shown
from core.conversation.replies import FilePayload
from core.i18n import t
from core.models import EntryKind
from core.outbox import OutboxMessage
from core.services.context import Ctx

__all__ = ["entry_files", "for_team", "not_shared", "opening", "opening_files", "refused",
           "share", "team_files", "wanted"]


def opening(msg: OutboxMessage) -> bool:
    """Whether the row posts a new ticket's card (its files, if any, shared in its thread)."""
    return msg.kind == "card" and msg.params.get("event") == "opened"


def opening_files(ctx: Ctx, msg: OutboxMessage) -> list[dict[str, Any]]:
    """The files the row's ticket was opened with: its first public entry, the requester's
    with no words (intake.open_ticket writes it with the ticket), not a later trâmite's."""
    ticket = ctx.uow.tickets.get(msg.ticket_id or 0)
    first = next((e for e in ctx.uow.entries.list(msg.ticket_id or 0, include_internal=False)
                  if e.kind == EntryKind.PUBLIC), None)
    if ticket is None or first is None or first.text or first.author_id != ticket.requester_id:
        return []
    return kept(first.attachments)


async def share(client: AsyncWebClient, msg: OutboxMessage, channel: str,
                item: dict[str, Any], files_dir: str, language: str,
                thread_ts: str | None = None) -> None:
    """Share one file in the DM (or the thread of `thread_ts`), once: `item` keeps the
    uploads asked for and when (kept with the row if this attempt fails, looked for by the
    next); a file gone from FILES_DIR or over the limit is a line saying so instead."""
    content = await asyncio.to_thread(stored, files_dir, item, MAX_FILE_BYTES)
    if not isinstance(content, bytes):
        key = "slack.notice_file.gone" if content is None else "slack.notice_file.too_big"
        await not_shared(client, msg, channel, item, t(
            key, language, name=verbatim(name_shown(str(item["filename"]))),
            number=msg.params.get("number"), max_mb=MAX_FILE_BYTES >> 20), thread_ts)
        return
    given: list[str] = item.setdefault("given", [])
    since = float(item.setdefault("since", time.time()))
    once.reached()  # an upload has no metadata: never known not to have gone
    file = FilePayload(filename=str(item["filename"]), content=content,
                       mime=str(item["content_type"]))
    await upload(client, channel, file, given, since, thread_ts)


async def refused(client: AsyncWebClient, msg: OutboxMessage, channel: str,
                  item: dict[str, Any], error: str, language: str,
                  thread_ts: str | None = None) -> None:
    """Say that Slack would not take the file (a workspace that refuses apps' uploads)."""
    await not_shared(client, msg, channel, item, t(
        "slack.notice_file.refused", language, name=verbatim(name_shown(str(item["filename"]))),
        number=msg.params.get("number"), error=error), thread_ts)


async def not_shared(client: AsyncWebClient, msg: OutboxMessage, channel: str,
                     item: dict[str, Any], text: str, thread_ts: str | None) -> None:
    """The line said in the file's place, posted once."""
    await once.post(client, msg, f"file.{item['n']}", channel=channel, thread_ts=thread_ts,
                    text=text)
