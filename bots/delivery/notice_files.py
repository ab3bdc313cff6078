"""The files of a public trâmite a notice tells of, sent after its text (Telegram, Slack,
e-mail): which rows, which files, their stored bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bots.blobs import blob_path
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


def entry_files(ctx: Ctx, msg: OutboxMessage) -> list[dict[str, Any]]:
    """The files of the public entry the row tells of, in the order sent, as an outbox row
    keeps those still to send (core.outbox.UNSENT); none for an internal note."""
    entry = next((e for e in ctx.uow.entries.list(msg.ticket_id or 0, include_internal=False)
                  if e.id == msg.params.get("entry_id") and e.kind != EntryKind.INTERNAL),
                 None)
    return kept(entry.attachments if entry else [])


NOTE_KINDS = frozenset({"ticket.internal_note", "dev.note", "dev.customer"})
"""The team's lines of a trâmite or a note (the card's thread, the development post's): its
files are shared there for the team (Slack), never to a customer."""


def for_team(msg: OutboxMessage) -> bool:
    """Whether the row is a team thread's line of an entry with files."""
    return msg.kind in NOTE_KINDS and msg.ticket_id is not None \
        and isinstance(msg.params.get("entry_id"), int) and bool(msg.params.get("files"))


def team_files(ctx: Ctx, msg: OutboxMessage) -> list[dict[str, Any]]:
    """The files of the entry (a note included) a team thread's line tells of."""
    entry = next((e for e in ctx.uow.entries.list(msg.ticket_id or 0, include_internal=True)
                  if e.id == msg.params.get("entry_id")), None)
    return kept(entry.attachments if entry else [])


def kept(files: list[Attachment]) -> list[dict[str, Any]]:
    """Files as an outbox row keeps those still to send, numbered in order."""
    return [{"n": n, "filename": a.filename, "content_type": a.content_type,
             "sha256": a.sha256} for n, a in enumerate(files)]


def read(path: Path) -> bytes | None:
    """The stored bytes; None when the file is gone."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def stored(files_dir: str, item: dict[str, Any], limit: int) -> bytes | int | None:
    """A file's bytes from FILES_DIR; its size when over `limit`; None when it is gone."""
    path = blob_path(files_dir, str(item["sha256"]))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    return size if size > limit else read(path)
