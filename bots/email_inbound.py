"""Replies by e-mail (MAIL_INBOUND_LISTEN): an SMTP receiver the organisation's mail server
forwards MAIL_REPLY_TO's mail to. A reply to a ticket's e-mail becomes the person's trâmite;
one refused is answered; auto-replies and bounces never are (mail loops). Each message counts
once by its Message-ID (inbound_events), so a redelivery or a second instance adds nothing."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import ssl
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from bots.blobs import MAX_FILE_BYTES, check_bytes, store_bytes
from bots.email_quotes import html_text, new_text
from bots.email_token import ReplyAddress
from bots.runtime import Desk
from bots.settings import EMAIL
from core.errors import HelpdeskError
from core.models import Attachment
from core.programs import refuse_program
from core.services import mail_replies
from core.services.context import Ctx
from core.services.mail_replies import MailReply

log = logging.getLogger(__name__)

SOURCE = "email"
"""inbound_events' source of the replies' Message-IDs (kept OUTBOX_KEEP_DAYS-like, 7 days:
longer than a mail server retries)."""
MAX_FILES = 10
"""Files one reply keeps, as a Slack message's (the rest are left out)."""
DATA_LIMIT = 2 * MAX_FILE_BYTES
"""A message larger than this is refused in the SMTP session (552): its sender is told by
their own mail server. A 20 MB file takes some 27 MB in base64."""
REFUSALS_PER_HOUR = 3
"""Refusals mailed to one address in an hour at most: the rest are only logged. An
autoresponder that marks nothing automatic, answering a refusal, cannot loop for long."""
MAX_RECIPIENTS = 100
"""Recipients of one message at most (the least RFC 5321 lets a server take): the rest are
told 452, so no session piles up addresses without end."""
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


def answer_budget(sender: str) -> Callable[[Ctx], bool]:
    """Whether a refusal may still be mailed to `sender` this hour (REFUSALS_PER_HOUR),
    counted in inbound_events with the replies, by every instance alike."""
    def may_answer(ctx: Ctx) -> bool:
        hour = ctx.now.strftime("%Y%m%d%H")
        digest = hashlib.sha256(sender.strip().lower().encode()).hexdigest()[:40]
        inbound: Any = ctx.uow.inbound  # type: ignore[attr-defined]
        return any(inbound.record(SOURCE, f"answer:{digest}:{hour}:{n}", ctx.now)
                   for n in range(REFUSALS_PER_HOUR))
    return may_answer


def kept(ctx: Ctx, key: str, named: tuple[int, int] | None, reply: MailReply,
         error: HelpdeskError | None = None) -> str:
    """Count the message once, then add it or refuse it (its answer e-mailed)."""
    if not ctx.uow.inbound.record(SOURCE, key, ctx.now):  # type: ignore[attr-defined]
        return "duplicate"
    if named is None:
        return mail_replies.bad_token(ctx, reply)
    if error is not None:
        return mail_replies.refused(ctx, *named, reply, error)
    return mail_replies.receive(ctx, *named, reply)


@dataclass
class Read:
    """A message read: why it is ignored, or its sender, subject, new text, files and key."""

    why: str | None
    sender: str = ""
    subject: str = ""
    text: str = ""
    found: list[tuple[str, bytes, str]] = field(default_factory=list)
    key: str = ""


class ReplyReceiver:
    """The SMTP server (aiosmtpd) in `helpdesk run`'s event loop, and its message handler."""

    def __init__(self, desk: Desk, replies: ReplyAddress, files_dir: str,
                 ours: Iterable[str] = (), on_notifications: Callable[[], Any] | None = None
                 ) -> None:
        self.desk = desk
        self.on_notifications = on_notifications
        """Told once a reply's notices are committed (the dispatcher sends them at once)."""
        self.replies = replies
        self.files_dir = files_dir
        self.ours = {a.lower() for a in addresses(ours)} | {replies.address.lower()}
        self._server: asyncio.AbstractServer | None = None
        self.outcomes: Counter[str] = Counter()
        """The messages taken since the start, by outcome ('added', 'closed', 'ignored: list'…:
        GET /healthz shows them, so an admin sees why a reply did not arrive)."""

    async def start(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> int:
        """Listen; the port bound (port 0 picks one). OSError when it cannot. With `tls`,
        STARTTLS is offered and required before a message (MAIL_INBOUND_TLS_CERT)."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname=self.replies.domain, ident="helpdesk",
                         data_size_limit=DATA_LIMIT, enable_SMTPUTF8=True,
                         tls_context=tls, require_starttls=tls is not None),
            host, port)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening; sessions in flight are dropped (their mail server retries)."""
        if self._server is not None:
            self._server.close()
            close_clients = getattr(self._server, "close_clients", None)  # Python 3.13+
            if close_clients is not None:
                close_clients()
            await self._server.wait_closed()
            self._server = None

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        """Only MAIL_REPLY_TO's addresses are taken: no mail is ever relayed."""
        if not self.replies.is_ours(address):
            return "550 5.1.1 not a reply address of this help desk"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Take the message; a failure of ours answers 451 (its mail server tries again)."""
        try:
            outcome = await self.take(envelope)
            self.outcomes[outcome] += 1
            if outcome == "unreadable":  # for good: read again it would fail again
                return "554 5.6.0 message not readable"
        except Exception:
            self.outcomes["failed"] += 1
            log.exception("a reply by e-mail could not be taken; its mail server will retry")
            return "451 4.3.0 try again later"
        return "250 OK"

    async def take(self, envelope: Envelope) -> str:
        """The outcome of one message: ignored, unreadable, duplicate, added or a refusal."""
        raw = envelope.original_content or b""
        if isinstance(envelope.content, bytes) and not raw:
            raw = envelope.content
        try:  # off the event loop: 40 MB take a second or two to read
            got = await asyncio.to_thread(self._read, raw, envelope.mail_from)
        except Exception:  # a message the parser cannot read (multiparts nested past reason…)
            log.warning("e-mail from %s to %s not readable: refused for good (554)",
                        envelope.mail_from, ", ".join(envelope.rcpt_tos), exc_info=True)
            return "unreadable"
        if got.why is not None:
            log.info("e-mail from %s to %s ignored, not answered: %s", envelope.mail_from,
                     ", ".join(envelope.rcpt_tos), got.why)
            return f"ignored: {got.why}"
        token = next((t for t in map(self.replies.token_in, envelope.rcpt_tos) if t), None)
        named = self.replies.read(token) if token else None
        error: HelpdeskError | None = None
        files: list[Attachment] = []
        ahead = await self.desk.acall(mail_replies.refusal, *named, got.sender) \
            if named is not None else "bad_token"
        try:
            for name, content, _ in got.found:
                check_bytes(name, content)  # one over the limit: none of them is kept
                refuse_program(name)  # nor with a program among them (R4)
            if ahead is None:  # a reply refused keeps no file (no stranger fills the disk)
                files = await asyncio.to_thread(self._store, got.found)
        except HelpdeskError as exc:  # a file over the size limit
            error, got.text = exc, ""
        reply = MailReply(sender=got.sender, subject=got.subject, text=got.text, files=files,
                          may_answer=answer_budget(got.sender))
        try:
            outcome = await self.desk.acall(kept, got.key, named, reply, error)
        except HelpdeskError as exc:  # core refused it as it would a chat message
            outcome = await self.desk.acall(kept, got.key, named, reply, exc)
        log.info("reply by e-mail from %s: %s", got.sender, outcome)
        if outcome == "wrong_from" and named is not None:
            log.warning("reply by e-mail from %s on the reply address of user %s (ticket id %s):"
                        " refused, its From is not theirs", got.sender, named[1], named[0])
        if outcome != "duplicate" and self.on_notifications is not None:
            self.on_notifications()
        return outcome

    def _read(self, raw: bytes, envelope_from: str | None) -> Read:
        mail: Any = BytesParser(policy=policy.default).parsebytes(raw)
        why = automatic(mail, envelope_from, self.ours, self.replies)
        senders = addresses(mail.get_all("From", []))
        if why is None and (len(senders) != 1 or not EMAIL.fullmatch(senders[0])):
            why = "not one From address"  # nobody to add it for, nobody to answer
        if why is not None:
            return Read(why)
        return Read(None, senders[0], str(mail.get("Subject") or ""), reply_text(mail),
                    files_of(mail), message_key(mail, raw))

    def _store(self, files: list[tuple[str, bytes, str]]) -> list[Attachment]:
        return [store_bytes(self.files_dir, name, content, kind) for name, content, kind in files]
