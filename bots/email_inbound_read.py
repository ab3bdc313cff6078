"""Reading a reply by e-mail (bots.email_inbound): whether it is automatic, its sender, its
new words and its files, and its key for duplicates."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any

from bots.email_quotes import html_text, new_text
from bots.email_token import ReplyAddress
from bots.settings import EMAIL

MAX_FILES = 10
"""Files one reply keeps, as a Slack message's (the rest are left out)."""
AUTOMATIC_PRECEDENCE = frozenset({"bulk", "auto_reply", "list", "junk"})
ROBOTS = ("mailer-daemon", "postmaster", "noreply", "no-reply")


def addresses(values: Iterable[str | None]) -> list[str]:
    """The bare addresses of header values or envelope addresses."""
    return [a.strip().lower() for _, a in getaddresses([v for v in values if v]) if a.strip()]


def automatic(mail: EmailMessage, envelope_from: str | None, ours: set[str],
              replies: ReplyAddress) -> str | None:
    """Why a message is an auto-reply, a bounce, a list's or our own (never answered, never
    added: a reply to it could loop), or None."""
    if not envelope_from or envelope_from.strip() in ("<>", ""):
        return "bounce"  # RFC 5321: the null reverse path
    auto = str(mail.get("Auto-Submitted") or "no").split(";")[0].strip().lower()
    if auto != "no":
        return "auto-submitted"
    precedence = str(mail.get("Precedence") or "").strip().lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"precedence {precedence}"
    if mail.get("List-Id"):
        return "list"
    if any(mail.get(h) for h in ("X-Autoreply", "X-Autorespond")):
        return "auto-reply"
    if mail.get_content_type() == "multipart/report":
        return "delivery report"
    senders = addresses([envelope_from, *mail.get_all("From", [])])
    if any(a in ours or replies.is_ours(a) for a in senders):
        return "our own address"
    if any(a.partition("@")[0] in ROBOTS for a in senders):
        return "a robot's address"
    return None


def message_key(mail: EmailMessage, raw: bytes) -> str:
    """The message's Message-ID as a key (hashed: any length fits), or its bytes' digest."""
    mid = str(mail.get("Message-ID") or "").strip()
    return hashlib.sha256(mid.encode() if mid else raw).hexdigest()


def reply_text(mail: EmailMessage) -> str:
    """The new words of the reply: text/plain preferred, else the HTML's text."""
    body = mail.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = decoded(body)
    return new_text(html_text(content) if body.get_content_type() == "text/html" else content)


LOOSE_CHARSETS = frozenset({"", "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "iso_8859-1",
                            "latin-1", "latin1", "l1", "windows-1252", "cp1252"})
"""Labels that say little: Outlook's iso-8859-1 is Windows' cp1252 (its “quotes” and €, as
browsers read it), and a client sending UTF-8 may label it us-ascii or nothing."""


def decoded(part: MIMEPart) -> str:
    """A text part's words: in its declared charset when the bytes are that; else UTF-8 when
    they are, else cp1252 (never a line of replacement marks for a wrong or unknown label)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = (part.get_content_charset() or "").strip().lower()
    if charset not in LOOSE_CHARSETS:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", "replace")


def files_of(mail: EmailMessage) -> list[tuple[str, bytes, str]]:
    """The attached files (name, bytes, type), up to MAX_FILES: a part with a file name not
    shown inside the HTML (a signature's logo is)."""
    body = mail.get_body(preferencelist=("plain", "html"))
    found: list[tuple[str, bytes, str]] = []
    for part in mail.walk():
        if part.is_multipart() or part is body or part.get_content_maintype() == "message":
            continue
        name = part.get_filename()
        disposition = part.get_content_disposition()
        if not name or (disposition != "attachment" and part.get("Content-ID")):
            continue
        content = part.get_payload(decode=True)
        if isinstance(content, bytes) and content:  # an empty file has nothing for the team to read
            found.append((name, content, part.get_content_type()))
    return found[:MAX_FILES]



@dataclass
class Read:
    """A message read: why it is ignored, or its sender, subject, new text, files, key and
    what it says (`said`: the same words and files again is the same reply)."""

    why: str | None
    sender: str = ""
    subject: str = ""
    text: str = ""
    found: list[tuple[str, bytes, str]] = field(default_factory=list)
    key: str = ""
    said: str = ""


def read(raw: bytes, envelope_from: str | None, ours: set[str], replies: ReplyAddress) -> Read:
    """The message read, or why it is ignored (automatic, or not one From address)."""
    mail: Any = BytesParser(policy=policy.default).parsebytes(raw)
    why = automatic(mail, envelope_from, ours, replies)
    senders = addresses(mail.get_all("From", []))
    if why is None and (len(senders) != 1 or not EMAIL.fullmatch(senders[0])):
        why = "not one From address"  # nobody to add it for, nobody to answer
    if why is not None:
        return Read(why)
    text, found = reply_text(mail), files_of(mail)
    return Read(None, senders[0], str(mail.get("Subject") or ""), text, found,
                message_key(mail, raw), said_key(senders[0], text, found))


def said_key(sender: str, text: str, found: list[tuple[str, bytes, str]]) -> str:
    """A digest of the sender, the new words and the files (names and contents)."""
    digest = hashlib.sha256(f"{sender}\n{' '.join(text.split())}".encode())
    for name, content, _ in found:
        digest.update(f"\n{name}\n{hashlib.sha256(content).hexdigest()}".encode())
    return digest.hexdigest()
