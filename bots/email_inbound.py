"""Replies by e-mail (MAIL_INBOUND_LISTEN): an SMTP receiver the organisation's mail server
forwards MAIL_REPLY_TO's mail to. A reply to a ticket's e-mail becomes the person's trâmite;
one refused is answered; auto-replies and bounces never are (mail loops). Each message counts
once by its Message-ID and by what it says (inbound_events), so a redelivery or a second
instance adds nothing."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import ssl
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from aiosmtpd.smtp import CALL_LIMIT_DEFAULT, SMTP, Envelope, Session

from bots.blobs import MAX_FILE_BYTES, check_bytes
from bots.email_inbound_files import Staged, stage
from bots.email_inbound_read import Read, addresses, read
from bots.email_token import ReplyAddress
from bots.runtime import Desk
from core.errors import HelpdeskError
from core.programs import refuse_program
from core.services import mail_replies
from core.services.context import Ctx
from core.services.mail_replies import MailReply

log = logging.getLogger(__name__)

SOURCE = "email"
"""inbound_events' source of the replies' Message-IDs (kept OUTBOX_KEEP_DAYS-like, 7 days:
longer than a mail server retries)."""
DATA_LIMIT = 2 * MAX_FILE_BYTES
"""A message larger than this is refused in the SMTP session (552): its sender is told by
their own mail server. A 20 MB file takes some 27 MB in base64."""
REFUSALS_PER_HOUR = 3
"""Refusals mailed to one address in an hour at most: the rest are only logged. An
autoresponder that marks nothing automatic, answering a refusal, cannot loop for long."""
SAME_REPLY = timedelta(minutes=30)
"""The same words and files from the same sender on the same reply address again within
this time are one reply: a mail server may rewrite the Message-ID when it delivers again, and
a message without one differs by its Date or Received lines."""
MAX_RECIPIENTS = 100
"""Recipients of one message at most (the least RFC 5321 lets a server take): the rest are
told 452, so no session piles up addresses without end."""
MAX_MESSAGES = 100
"""Messages one SMTP session sends at most: the next MAIL (RSET and NOOP alike) is told 421
and the connection closed, so no session loops without end; its mail server opens another."""
CALLS = {"MAIL": MAX_MESSAGES, "DATA": MAX_MESSAGES, "RSET": MAX_MESSAGES,
         "NOOP": MAX_MESSAGES, "RCPT": MAX_MESSAGES * MAX_RECIPIENTS, "*": CALL_LIMIT_DEFAULT}
"""aiosmtpd's limits of each command in a session (EHLO, STARTTLS, VRFY…: 20)."""


def may_answer(ctx: Ctx, to: str) -> bool:
    """Whether a refusal may still be mailed to address `to` this hour (REFUSALS_PER_HOUR),
    counted in inbound_events with the replies, by every instance alike."""
    hour = ctx.now.strftime("%Y%m%d%H")
    digest = hashlib.sha256(to.strip().lower().encode()).hexdigest()[:40]
    inbound: Any = ctx.uow.inbound  # type: ignore[attr-defined]
    return any(inbound.record(SOURCE, f"answer:{digest}:{hour}:{n}", ctx.now)
               for n in range(REFUSALS_PER_HOUR))


def kept(ctx: Ctx, keys: tuple[str, str], named: tuple[int, int] | None, reply: MailReply,
         error: HelpdeskError | None = None, publish: Callable[[], None] = lambda: None) -> str:
    """Count the message once, by its Message-ID and by what it says (once_said), then add
    it, its files published into the store, or refuse it (its answer e-mailed)."""
    inbound: Any = ctx.uow.inbound  # type: ignore[attr-defined]
    if not inbound.record(SOURCE, keys[0], ctx.now) or not once_said(ctx, keys[1]):
        return "duplicate"
    if named is None:
        return mail_replies.bad_token(ctx, reply)
    if error is not None:
        return mail_replies.refused(ctx, *named, reply, error)
    outcome = mail_replies.receive(ctx, *named, reply)
    if outcome == mail_replies.ADDED:
        publish()
    return outcome


def once_said(ctx: Ctx, said: str) -> bool:
    """Whether nothing the same was said in the last SAME_REPLY (at least; at most twice
    that): each reply claims its window and the next, in inbound_events."""
    inbound: Any = ctx.uow.inbound  # type: ignore[attr-defined]
    window = int(ctx.now.timestamp() // SAME_REPLY.total_seconds())
    if not inbound.record(SOURCE, f"said:{said}:{window}", ctx.now):
        return False
    inbound.record(SOURCE, f"said:{said}:{window + 1}", ctx.now)
    return True


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
                         tls_context=tls, require_starttls=tls is not None,
                         command_call_limit=CALLS),
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
            outcomes = await self.take(envelope)
            self.outcomes.update(outcomes)
            if outcomes == ["unreadable"]:  # for good: read again it would fail again
                return "554 5.6.0 message not readable"
        except Exception:
            self.outcomes["failed"] += 1
            log.exception("a reply by e-mail could not be taken; its mail server will retry")
            return "451 4.3.0 try again later"
        return "250 OK"

    async def take(self, envelope: Envelope) -> list[str]:
        """The outcomes of one message, one per ticket it went to: ignored, unreadable,
        duplicate, added or a refusal."""
        raw = envelope.original_content or b""
        if isinstance(envelope.content, bytes) and not raw:
            raw = envelope.content
        try:  # off the event loop: 40 MB take a second or two to read
            got = await asyncio.to_thread(read, raw, envelope.mail_from, self.ours,
                                          self.replies)
        except Exception:  # a message the parser cannot read (multiparts nested past reason…)
            log.warning("e-mail from %s to %s not readable: refused for good (554)",
                        envelope.mail_from, ", ".join(envelope.rcpt_tos), exc_info=True)
            return ["unreadable"]
        if got.why is not None:
            log.info("e-mail from %s to %s ignored, not answered: %s", envelope.mail_from,
                     ", ".join(envelope.rcpt_tos), got.why)
            return [f"ignored: {got.why}"]
        tokens = dict.fromkeys(t for t in map(self.replies.token_in, envelope.rcpt_tos) if t)
        named = [n for n in map(self.replies.read, tokens) if n is not None]
        plan: list[tuple[int, int, str | None]] = await self.desk.acall(
            mail_replies.each_ticket, named, got.sender) if named else []
        if named and len(named) < len(tokens):
            log.info("e-mail from %s: reply addresses naming no ticket left out, beside %d"
                     " that do", got.sender, len(named))
        error: HelpdeskError | None = None
        staged = Staged()
        try:
            for name, content, _ in got.found:
                check_bytes(name, content)  # one over the limit: none of them is kept
                refuse_program(name)  # nor with a program among them (R4)
            if any(why is None for *_, why in plan):  # a refused reply writes no file
                staged = await asyncio.to_thread(stage, self.files_dir, got.found)
        except HelpdeskError as exc:  # a file over the size limit
            error, got.text = exc, ""
        reply = MailReply(sender=got.sender, subject=got.subject, text=got.text,
                          files=staged.attachments, may_answer=may_answer)
        outcomes = []
        try:  # the files kept only if added: a refusal, a duplicate or a failure leaves none
            each: list[tuple[tuple[int, int] | None, str]] = [
                ((t, u), f"{t}:{u}") for t, u, _ in plan] or [(None, " ".join(tokens))]
            for pair, where in each:
                outcomes.append(await self._kept(got, pair, where, reply, error, staged))
        finally:
            staged.discard()
        if any(o != "duplicate" for o in outcomes) and self.on_notifications is not None:
            self.on_notifications()
        return outcomes

    async def _kept(self, got: Read, pair: tuple[int, int] | None, where: str,
                    reply: MailReply, error: HelpdeskError | None, staged: Staged) -> str:
        """The outcome on one ticket (None: no reply address naming one, `where` the
        addresses), counted apart."""
        keys = got.key + (f":{pair[0]}" if pair else ""), \
            hashlib.sha256(f"{got.said}:{where}".encode()).hexdigest()
        try:
            outcome = await self.desk.acall(kept, keys, pair, reply, error, staged.publish)
        except HelpdeskError as exc:  # core refused it as it would a chat message
            outcome = await self.desk.acall(kept, keys, pair, reply, exc)
        log.info("reply by e-mail from %s: %s", got.sender, outcome)
        if outcome.startswith("wrong_from") and pair is not None:
            log.warning("reply by e-mail from %s on the reply address of user %s (ticket id %s):"
                        " refused, its From is not theirs", got.sender, pair[1], pair[0])
        return outcome
