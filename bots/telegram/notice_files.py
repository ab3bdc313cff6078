"""The files of a trâmite a Telegram notice tells of, sent as documents after its text."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import InputFile
from telegram import error as tg

from bots.delivery.notice_files import stored
from bots.delivery.results import Permanent
from bots.telegram.courier import Courier, upload_wait
from bots.telegram.errors import classify
from bots.telegram.render import Outgoing, escape
from core.conversation.fmt import name_shown
from core.i18n import t

SEND_DOCUMENT_LIMIT = 50 * 1024 * 1024
"""The largest file a bot may send with sendDocument (the cloud Bot API)."""


def documents(items: list[dict[str, Any]], ticket_id: int | None, number: Any,
              language: str) -> list[Outgoing]:
    """A message per file, by reference to FILES_DIR (an outbox row keeps the unsent ones,
    core.outbox.UNSENT, without their bytes); a reply to one reaches the ticket."""
    return [Outgoing(stored={**item, "number": number, "language": language},
                     ticket_id=ticket_id) for item in items]


async def send(courier: Courier, chat_id: int, message: Outgoing, files_dir: str) -> int:
    """Send one stored file as a document; a file gone from FILES_DIR, over the limit or
    refused by Telegram for good is a line saying so instead. The message's id."""
    item = message.stored or {}
    language = str(item.get("language") or "pt_BR")
    said = {"name": name_shown(str(item.get("filename"))), "number": item.get("number")}
    found = await asyncio.to_thread(stored, files_dir, item, SEND_DOCUMENT_LIMIT)
    if isinstance(found, bytes):
        document = InputFile(found, filename=str(item["filename"]))
        try:
            sent = await courier.call(lambda: courier.bot.send_document(
                chat_id=chat_id, document=document, read_timeout=upload_wait(None)))
            return int(sent.message_id)
        except tg.BadRequest as exc:
            result = classify(exc)
            if not isinstance(result, Permanent) or result.unreachable:  # the chat, not the file
                raise
            line = t("telegram.notice_file.refused", language, error=exc.message, **said)
    elif found is None:
        line = t("telegram.notice_file.gone", language, **said)
    else:
        line = t("telegram.notice_file.too_big", language, max_mb=SEND_DOCUMENT_LIMIT >> 20,
                 **said)
    return await courier.send(chat_id, Outgoing(html=escape(line), ticket_id=message.ticket_id))
