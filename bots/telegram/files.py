"""Files users send: found in a message, downloaded via getFile, stored by content hash."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from telegram import Message
from telegram import error as tg

from bots.blobs import fit_name, write_blob
from bots.telegram.courier import Courier
from core.conversation.fmt import name_shown
from core.i18n import t
from core.models import Attachment

log = logging.getLogger(__name__)

GET_FILE_LIMIT = 20 * 1024 * 1024
"""The cloud Bot API lets bots download files up to 20 MB."""
MB = 1024 * 1024
EXTENSIONS = {"application/xml": ".xml"}
"""Where mimetypes' first guess is not the usual one (an NF-e's XML is no '.xsl')."""


@dataclass(frozen=True)
class FileRef:
    """A file in a message, before download."""

    file_id: str
    unique_id: str
    size: int | None
    filename: str
    mime: str


def _stamp(message: Message, unique_id: str) -> str:
    return f"{message.date:%Y%m%d-%H%M%S}-{unique_id[-6:]}"


def _clean_name(name: str | None, fallback: str, mime: str | None = None) -> str:
    """A file name safe to show and store: no path, at most 255 characters; none (or dots
    only): the fallback, with the extension of its type when it has none."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if not base.strip("."):
        ext = EXTENSIONS.get(mime or "") or mimetypes.guess_extension(mime or "") or ""
        return fallback if "." in fallback or ext == ".bin" else fallback + ext
    return fit_name(base)


def file_refs(message: Message) -> list[FileRef]:
    """The files of a message: the largest photo size, documents, videos, voice notes, audio."""
    refs: list[FileRef] = []
    if message.photo:
        photo = message.photo[-1]
        name = t("telegram.photo_name", stamp=_stamp(message, photo.file_unique_id))
        refs.append(FileRef(photo.file_id, photo.file_unique_id, photo.file_size, name,
                            "image/jpeg"))
    media = [
        (message.document, "telegram.document_name", "application/octet-stream"),
        (message.video, "telegram.video_name", "video/mp4"),
        (message.animation, "telegram.video_name", "video/mp4"),
        (message.voice, "telegram.voice_name", "audio/ogg"),
        (message.audio, "telegram.audio_name", "audio/mpeg"),
        (message.video_note, "telegram.video_note_name", "video/mp4"),
    ]
    for item, name_key, default_mime in media:
        if item is None or (item is message.document and message.animation is not None):
            continue
        fallback = t(name_key, stamp=_stamp(message, item.file_unique_id))
        given = getattr(item, "mime_type", None)
        name = _clean_name(getattr(item, "file_name", None), fallback, given)
        mime = given or mimetypes.guess_type(name)[0] or default_mime
        refs.append(FileRef(item.file_id, item.file_unique_id, item.file_size, name, mime))
    return refs


class FileStore:
    """Files under FILES_DIR, named by their sha256 (two-level fan-out): a repeat is free."""

    def __init__(self, root: str | Path, limit: int = GET_FILE_LIMIT) -> None:
        self.root = Path(root)
        self.limit = limit

    def path_of(self, sha256: str) -> Path:
        """Where the content with this hash lives."""
        return self.root / sha256[:2] / sha256

    def put(self, content: bytes, ref: FileRef) -> Attachment:
        """Store the bytes (atomically, once) and describe them for core."""
        digest = hashlib.sha256(content).hexdigest()
        write_blob(self.path_of(digest), content)
        return Attachment(filename=ref.filename, content_type=ref.mime, size=len(content),
                          sha256=digest)

    def too_big(self, ref: FileRef, lang: str | None = None) -> str:
        """The notice for a file over the download limit."""
        size = f"{(ref.size or self.limit + 1) / MB:.1f}".replace(".", ",")
        return t("telegram.file.too_big", lang, name=name_shown(ref.filename), size=size,
                 limit=self.limit // MB)

    async def fetch(self, courier: Courier, ref: FileRef, lang: str | None = None
                    ) -> Attachment | str:
        """Download and store one file; a notice for the user when it cannot be done."""
        if ref.size is not None and ref.size > self.limit:
            return self.too_big(ref, lang)
        try:
            found = await courier.call(lambda: courier.bot.get_file(ref.file_id))
            if found.file_size is not None and found.file_size > self.limit:
                return self.too_big(ref, lang)
            content = bytes(await courier.call(found.download_as_bytearray))
        except tg.BadRequest as exc:
            if "too big" in exc.message.lower():
                return self.too_big(ref, lang)
            log.warning("getFile %s failed: %s", ref.file_id, exc)
            return t("telegram.file.failed", lang, name=name_shown(ref.filename))
        except tg.TelegramError as exc:
            log.warning("downloading %s failed: %s", ref.file_id, exc)
            return t("telegram.file.failed", lang, name=name_shown(ref.filename))
        if not content:  # nothing in it for the team to read
            return t("error.file_empty", lang, name=name_shown(ref.filename))
        return await asyncio.to_thread(self.put, content, ref)
