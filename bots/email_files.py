"""The files of a trâmite an e-mail notice tells of, attached to it up to a total."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from bots.delivery.notice_files import stored
from core.conversation.fmt import name_shown
from core.i18n import t

MAX_MAIL_FILES_BYTES = 15 * 1024 * 1024
"""The most one e-mail carries in files together: about 20 MB once encoded (base64), under
the 25 MB most mail servers take."""


SLOW_LINK_BYTES_PER_SECOND = 128 * 1024
"""The slowest link to the SMTP server allowed for (1 Mbit/s): a message's SMTP commands wait
for its files' encoded bytes at this rate beyond the timeout (15 MB of files: 160 s more)."""


@dataclass
class MailFiles:
    """The files to attach (each described as the outbox keeps it, with its bytes) and the
    line naming those that could not be, in the reader's language ('' when none)."""

    files: list[tuple[dict[str, Any], bytes]] = field(default_factory=list)
    note: str = ""


def sending_time(files: MailFiles) -> float:
    """The seconds the files' bytes, once encoded in the e-mail (base64: 4 for every 3, a line
    break every 76), take over a link of SLOW_LINK_BYTES_PER_SECOND."""
    encoded = sum(len(content) for _, content in files.files) * 4 / 3 * 78 / 76
    return encoded / SLOW_LINK_BYTES_PER_SECOND


def load(files_dir: str, items: list[dict[str, Any]], language: str) -> MailFiles:
    """Read the files in order while they fit the e-mail's total; name the rest, and those
    gone from FILES_DIR (blocking: run it in a thread)."""
    found = MailFiles()
    total = 0
    too_big: list[str] = []
    gone: list[str] = []
    for item in items:
        content = stored(files_dir, item, MAX_MAIL_FILES_BYTES - total)
        name = f"“{name_shown(str(item['filename']))}”"
        if content is None:
            gone.append(name)
        elif isinstance(content, int):
            too_big.append(name)
        else:
            found.files.append((item, content))
            total += len(content)
    lines = [t("email.files.too_big", language, names=", ".join(too_big),
               max_mb=MAX_MAIL_FILES_BYTES >> 20)] if too_big else []
    if gone:
        lines.append(t("email.files.gone", language, names=", ".join(gone)))
    found.note = "\n".join(lines)
    return found


def attach(mail: EmailMessage, files: MailFiles) -> None:
    """Add the files to the e-mail as attachments, in order."""
    for item, content in files.files:
        maintype, _, subtype = str(item.get("content_type") or "").partition("/")
        if not maintype or not subtype:
            maintype, subtype = "application", "octet-stream"
        mail.add_attachment(content, maintype=maintype, subtype=subtype,
                            filename=str(item["filename"]))


def unattached(files: MailFiles, language: str) -> MailFiles:
    """None of the files attached (the mail server refused the e-mail for its size): each
    named in a line, with those named already."""
    names = ", ".join(f"“{name_shown(str(item['filename']))}”" for item, _ in files.files)
    note = t("email.files.refused", language, names=names)
    return MailFiles(note="\n".join([note, files.note]) if files.note else note)
