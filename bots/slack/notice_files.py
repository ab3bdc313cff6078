"""The files of a trâmite a Slack notice tells of (in a DM, in the card's thread), shared there
after its text; those a ticket was opened with, in its card's thread."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bots.blobs import MAX_FILE_BYTES, blob_path
from bots.slack import once
from bots.slack.direct import upload
from bots.slack.text import verbatim
from core.conversation.fmt import name_shown
from core.conversation.replies import FilePayload
from core.i18n import t
from core.models import Attachment, EntryKind
from core.outbox import OutboxMessage
from core.services.context import Ctx

KINDS = frozenset({"ticket.tramite", "agent.customer_replied"})
"""The notices that name a public trâmite's files (its entry_id): the customer's of an
agent's answer, the responsible agent's of a customer's message."""


def wanted(msg: OutboxMessage) -> bool:
    """Whether the row tells of a trâmite with files."""
    return msg.kind in KINDS and msg.ticket_id is not None \
        and isinstance(msg.params.get("entry_id"), int) and bool(msg.params.get("files"))


def opening(msg: OutboxMessage) -> bool:
    """Whether the row posts a new ticket's card (its files, if any, shared in its thread)."""
    return msg.kind == "card" and msg.params.get("event") == "opened"


def entry_files(ctx: Ctx, msg: OutboxMessage) -> list[dict[str, Any]]:
    """The files of the public entry the row tells of, in the order sent, as an outbox row
    keeps those still to share (core.outbox.UNSENT); none for an internal note."""
    entry = next((e for e in ctx.uow.entries.list(msg.ticket_id or 0, include_internal=False)
                  if e.id == msg.params.get("entry_id") and e.kind != EntryKind.INTERNAL),
                 None)
    return _kept(entry.attachments if entry else [])


def opening_files(ctx: Ctx, msg: OutboxMessage) -> list[dict[str, Any]]:
    """The files the row's ticket was opened with: its first public entry, the requester's
    with no words (intake.open_ticket writes it with the ticket), not a later trâmite's."""
    ticket = ctx.uow.tickets.get(msg.ticket_id or 0)
    first = next((e for e in ctx.uow.entries.list(msg.ticket_id or 0, include_internal=False)
                  if e.kind == EntryKind.PUBLIC), None)
    if ticket is None or first is None or first.text or first.author_id != ticket.requester_id:
        return []
    return _kept(first.attachments)


def _kept(files: list[Attachment]) -> list[dict[str, Any]]:
    return [{"n": n, "filename": a.filename, "content_type": a.content_type,
             "sha256": a.sha256} for n, a in enumerate(files)]


def _read(path: Path) -> bytes | None:
    """The stored bytes; None when the file is gone."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


async def share(client: AsyncWebClient, msg: OutboxMessage, channel: str,
                item: dict[str, Any], files_dir: str, language: str,
                thread_ts: str | None = None) -> None:
    """Share one file in the DM (or the thread of `thread_ts`), once: `item` keeps the
    uploads asked for and when (kept with the row if this attempt fails, looked for by the
    next); a file gone from FILES_DIR or over the limit is a line saying so instead."""
    path = blob_path(files_dir, str(item["sha256"]))
    size = await asyncio.to_thread(lambda: path.stat().st_size if path.exists() else None)
    content = await asyncio.to_thread(_read, path) if size is not None \
        and size <= MAX_FILE_BYTES else None
    if content is None:
        key = "slack.notice_file.gone" if size is None else "slack.notice_file.too_big"
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
