"""E-mail to the requester (R5, R7): pt-BR text and HTML, one thread per ticket, via SMTP."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib
from aiosmtplib import SMTPResponse

from bots.delivery import notice_files
from bots.delivery.render import render
from bots.delivery.results import SEND_DEADLINE, Permanent, Result, Sent, Transient
from bots.email_files import MailFiles, attach, load, sending_time, unattached
from bots.email_token import ReplyAddress
from bots.mailfrom import mail_domain, needs_smtputf8, recipient_header, sender_header
from bots.runtime import Desk
from bots.settings import SmtpConfig
from core.i18n import AGENT_TYPED, t
from core.markdown_text import Style, agent_blocks
from core.outbox import REPLY_USER, OutboxMessage

log = logging.getLogger(__name__)

ROOT_KIND = "ticket.registered"
"""The first message of a ticket's thread: its Message-ID is the one the rest reply to."""

TOO_BIG = 552
"""A server's refusal of a message for its size (RFC 5321: storage allocation exceeded)."""
AUTH_CODES = frozenset({530, 534, 535, 538})
"""Authentication problems: our configuration, not the address; retry once it is fixed."""
EHLO_CHECK_SECONDS = 10.0
"""How long `helpdesk run`'s start waits for each step of asking the server for SMTPUTF8."""
QUIT_SECONDS = 5.0
"""How long the QUIT ending a session is waited for after the server took the message (no
longer than the send's deadline): its answer changes nothing."""


async def _session(mail: EmailMessage, options: dict[str, Any]
                   ) -> tuple[dict[str, SMTPResponse], str]:
    """One SMTP session delivering `mail`: the server's answers to its recipients and its DATA.

    Once the DATA is answered the message is the server's: a QUIT answered late (or never) is
    given up at the send's deadline (SEND_DEADLINE) or after QUIT_SECONDS, and the e-mail is
    sent. aiosmtplib.send waited for it, so the dispatcher's cut landed there and the e-mail
    went again."""
    client = aiosmtplib.SMTP(**options)
    try:
        await client.connect()
        errors, answer = await client.send_message(mail)
    except BaseException:
        client.close()
        raise
    loop = asyncio.get_running_loop()
    deadline = SEND_DEADLINE.get()
    quit_by = loop.time() + QUIT_SECONDS
    try:
        async with asyncio.timeout_at(min(quit_by, deadline.at) if deadline else quit_by):
            await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        log.debug("SMTP QUIT not answered after the message was taken; closing", exc_info=True)
    finally:
        client.close()
    return errors, answer


def thread_root(ticket_id: int, domain: str) -> str:
    """The stable Message-ID of a ticket's first e-mail."""
    return f"<ticket-{ticket_id}@{domain}>"


def message_id(msg: OutboxMessage, domain: str) -> str:
    """The Message-ID of one outbox row: the thread root, or unique per row (a resend keeps it)."""
    if msg.ticket_id is None:
        return f"<outbox-{msg.id}@{domain}>"
    if msg.kind == ROOT_KIND:
        return thread_root(msg.ticket_id, domain)
    return f"<ticket-{msg.ticket_id}-{msg.id}@{domain}>"


ACTIONS = {"ticket.approval_requested": "email.action.approval",
           "ticket.approval_reminder": "email.action.approval",
           "ticket.billing_prompt": "email.action.charge"}
"""Notices that wait for the customer: their subject says what is asked (R19, R23)."""


def subject_for(msg: OutboxMessage, fallback: str, lang: str = "pt_BR") -> str:
    """'[Ticket 202611/0001] assunto' for ticket mail, the action asked before the assunto."""
    number = msg.params.get("number")
    if not number:
        return fallback
    assunto = " ".join(str(msg.params.get("assunto") or "").split())
    action = ACTIONS.get(msg.kind)
    if action and msg.params.get("charge_first"):
        action = "email.action.charge_and_approval"
    words = [t(action, lang) + (": " + assunto if assunto else "")] if action else [assunto]
    return " ".join([f"[Ticket {number}]", *filter(None, words)])


_URL = re.compile(r"https?://[^\s<>\"'\ue000]+")
_SPOT = "\ue000"
"""Where the words an agent typed go in a notice, before they are formatted."""


def _escape(text: str) -> str:
    return html.escape(text)


def _address(url: str) -> str:
    """A web address as a link (a trailing period or parenthesis stays outside)."""
    bare = url.rstrip(".,;:!?)")
    return f'<a href="{html.escape(bare)}">{_escape(bare)}</a>{_escape(url[len(bare):])}'


def _line(text: str) -> str:
    """One line escaped, its web addresses as links."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(_escape(text[last:match.start()]))
        out.append(_address(match.group(0)))
        last = match.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _link(words: str, href: str) -> str:
    return f'<a href="{html.escape(href)}">{words}</a>'


EMAIL_STYLE = Style(escape=_escape, bold=("<strong>", "</strong>"), italic=("<em>", "</em>"),
                    code=("<code>", "</code>"), link=_link, url=_line)
"""An agent's **bold**, `code` and [links](…) as HTML (``` blocks and items: _typed_html)."""


def _list_html(items: list[tuple[int, str]]) -> str:
    """Items (indent width, words) as nested lists: a deeper item opens a <ul> inside the item
    above it, a shallower one closes the lists deeper than itself."""
    out: list[str] = []
    levels: list[int] = []  # the indent of each open list, outermost first
    words_last = False  # whether the last line is an item's words (its </li> goes on it)

    def close_item() -> None:
        nonlocal words_last
        if words_last:
            out[-1] += "</li>"
        else:
            out.append("</li>")
        words_last = False

    for width, words in items:
        while len(levels) > 1 and width < levels[-1]:
            close_item()
            out.append("</ul>")
            levels.pop()
        if not levels or width > levels[-1]:
            out.append("<ul>")
            levels.append(width)
        else:
            close_item()
        out.append(f"<li>{words}")
        words_last = True
    for _ in levels:
        close_item()
        out.append("</ul>")
    return "\n".join(out)


def _typed_html(typed: str) -> list[str]:
    """An agent's words as HTML blocks: paragraphs, lists (nested by indent), preformatted
    code, all escaped."""
    out: list[str] = []
    lines: list[str] = []
    items: list[tuple[int, str]] = []

    def flush() -> None:
        if lines:
            out.append("<p>" + "<br>\n".join(lines) + "</p>")
        if items:
            out.append(_list_html(items))
        lines.clear()
        items.clear()

    for kind, indent, words in agent_blocks(typed, EMAIL_STYLE):
        if kind == "pre":
            flush()
            out.append(f"<pre>{words}</pre>")
        elif kind == "item":
            if lines:
                flush()
            items.append((len(indent.expandtabs(4)), words))
        elif not words.strip():
            flush()
        else:
            if items:
                flush()
            lines.append(words)
    flush()
    return out


def html_body(text: str, subject: str, lang: str = "pt_BR", typed: str | None = None) -> str:
    """The HTML part: the same text, escaped, paragraphs and line breaks kept, links live; the
    words an agent typed (at the line that is _SPOT alone) with their bold, code and lists."""
    blocks: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines: list[str] = []
        for line in paragraph.split("\n"):
            if line == _SPOT and typed is not None:
                blocks.append("<p>" + "<br>\n".join(lines) + "</p>" if lines else "")
                blocks.extend(_typed_html(typed))
                lines = []
            else:
                lines.append(_line(line))
        if any(line.strip() for line in lines):
            blocks.append("<p>" + "<br>\n".join(lines) + "</p>")
    body = "\n".join(block for block in blocks if block)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang.replace("_", "-")}">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def footer(msg: OutboxMessage, lang: str, telegram_bot: str | None = None,
           replied: bool = False) -> str:
    """Where to answer: a reply to the e-mail reaches no ticket (the help desk reads none),
    unless it carries a Reply-To the desk reads (`replied`); with the bot's username known, a
    link that opens the ticket in the bot (R8's deep link)."""
    number = msg.params.get("number")
    if not number:
        return t("email.footer", lang)
    said = t("email.footer_ticket_reply" if replied else "email.footer_ticket", lang,
             number=number)
    if not telegram_bot:
        return said
    # '/' as '_': a payload takes no '/' (core.conversation.deep_link reads it back)
    link = f"https://t.me/{telegram_bot}?start={str(number).replace('/', '_')}"
    return said + "\n" + t("email.ticket_link", lang, number=number, link=link)


def build_email(msg: OutboxMessage, mail_from: str, *, language: str | None = None,
                telegram_bot: str | None = None, reply_to: str | None = None,
                files_note: str = "") -> EmailMessage:
    """The whole e-mail for one outbox row: headers, text/plain and text/html parts;
    `telegram_bot`: the bot's username, for the link that opens the ticket there; `reply_to`:
    the signed address a reply goes to (MAIL_REPLY_TO), which the footer then invites;
    `files_note`: the line naming the trâmite's files not attached."""
    domain = mail_domain(mail_from)
    lang = language or msg.params.get("language") or "pt_BR"
    title, text = render(msg.kind, msg.params, lang)
    tail = "\n\n" + files_note if files_note else ""
    tail += "\n\n" + t("email.charge_first", lang, number=msg.params.get("number")) \
        if msg.params.get("charge_first") else ""
    tail += "\n\n-- \n" + footer(msg, lang, telegram_bot, replied=reply_to is not None)
    text += tail
    marked, typed = _marked(msg, lang)
    subject = subject_for(msg, title, lang)
    mail = EmailMessage()
    mail["From"] = sender_header(mail_from)
    mail["To"] = recipient_header(msg.target)
    if reply_to is not None:
        mail["Reply-To"] = reply_to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(msg.created_at)
    mail["Message-ID"] = message_id(msg, domain)
    if msg.ticket_id is not None and msg.kind != ROOT_KIND:
        root = thread_root(msg.ticket_id, domain)
        mail["In-Reply-To"] = root
        mail["References"] = root
    mail["Auto-Submitted"] = "auto-generated"
    mail["Content-Language"] = lang.replace("_", "-")
    mail.set_content(text, subtype="plain", charset="utf-8")
    rich = marked + tail if typed is not None and marked.count(_SPOT) == 1 else None
    mail.add_alternative(html_body(rich or text, subject, lang, typed if rich else None),
                         subtype="html", charset="utf-8")
    return mail


def _marked(msg: OutboxMessage, lang: str) -> tuple[str, str | None]:
    """The notice with _SPOT where the words an agent typed go, and those words (if any)."""
    name = AGENT_TYPED.get(msg.kind)
    typed = msg.params.get(name) if name else None
    if name is None or not isinstance(typed, str):
        return "", None
    return render(msg.kind, {**msg.params, name: _SPOT}, lang)[1], typed


def classify(exc: Exception, language: str = "pt_BR") -> Result:
    """Turn an SMTP failure into a delivery result: 5xx refusals are permanent; the reason of
    a refused address in `language` (operators read it, agents on the ticket)."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        if codes and all(c >= 500 for c in codes):
            return Permanent(t("email.address_refused", language,
                               reason=exc.recipients[0].message), unreachable=True)
        return Transient(str(exc))
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        if exc.code >= 500 and exc.code not in AUTH_CODES:
            return Permanent(f"SMTP {exc.code}: {exc.message}",
                             unreachable=isinstance(exc, aiosmtplib.SMTPRecipientRefused))
        return Transient(f"SMTP {exc.code}: {exc.message}")
    return Transient(f"{type(exc).__name__}: {exc}")


class EmailSender:
    """Sends outbox rows of the e-mail channel through one SMTP server."""

    def __init__(self, config: SmtpConfig, mail_from: str, *, timeout: float = 30.0,
                 language: str = "pt_BR", telegram_bot: str | None = None,
                 replies: ReplyAddress | None = None, desk: Desk | None = None,
                 files_dir: str = "files") -> None:
        self.config = config
        self.desk = desk
        """Reads a trâmite's files to attach (none without it: the notice names them)."""
        self.files_dir = files_dir
        self.replies = replies
        """MAIL_REPLY_TO: a requester's ticket mail carries their signed reply address."""
        self.mail_from = mail_from
        self.timeout = timeout
        self.language = language
        self.telegram_bot = telegram_bot
        """The bot's username (TELEGRAM_BOT_USERNAME, or getMe's): ticket mail links to it."""

    def link_telegram_bot(self, username: str) -> None:
        """Link ticket mail to this bot (getMe's username outranks TELEGRAM_BOT_USERNAME)."""
        self.telegram_bot = username

    def uploads(self, msg: OutboxMessage) -> bool:
        """Whether the row attaches a trâmite's files: given longer to send."""
        return self.desk is not None and notice_files.wanted(msg)

    async def send(self, msg: OutboxMessage) -> Result:
        """Deliver one message in its own SMTP session; one the server refuses for its size
        with a trâmite's files goes again without them, naming them."""
        lang = msg.params.get("language") or self.language
        files = await self._files(msg, lang)
        result = await self._send(msg, lang, files)
        if result is None:
            result = await self._send(msg, lang, unattached(files, lang))
        return result or Permanent("SMTP 552")  # never None: the retry carries no files

    async def _send(self, msg: OutboxMessage, lang: str, files: MailFiles) -> Result | None:
        """One SMTP session; None when the server refused the e-mail's files for their size."""
        try:
            mail = build_email(msg, self.mail_from, telegram_bot=self.telegram_bot,
                               language=lang, reply_to=self._reply_to(msg),
                               files_note=files.note)
        except (ValueError, TypeError) as exc:
            return Permanent(t("email.invalid_message", self.language, error=exc))
        attach(mail, files)
        options: dict[str, Any] = {
            "hostname": self.config.host,
            "port": self.config.port,
            "username": self.config.username,
            "password": self.config.password,
            "use_tls": self.config.use_tls,
            # aiosmtplib would upgrade on its own when the server offers STARTTLS: only on request.
            "start_tls": self.config.start_tls,
            # Each command's, DATA's the longest: a big message's bytes on a slow link (the
            # dispatcher still cuts the send at its upload timeout, 10 minutes).
            "timeout": self.timeout + sending_time(files),
        }
        try:
            errors, answer = await _session(mail, options)
        except aiosmtplib.SMTPNotSupported as exc:
            return self._without_smtputf8(exc, msg.target)
        except aiosmtplib.SMTPResponseException as exc:
            return None if exc.code == TOO_BIG and files.files else classify(exc, self.language)
        except (aiosmtplib.SMTPException, OSError) as exc:
            return classify(exc, self.language)
        if errors:
            refused = [aiosmtplib.SMTPRecipientRefused(r.code, r.message, to)
                       for to, r in errors.items()]
            return classify(aiosmtplib.SMTPRecipientsRefused(refused), self.language)
        return Sent(answer)

    async def _files(self, msg: OutboxMessage, language: str) -> MailFiles:
        """The trâmite's files to attach, read from FILES_DIR, and the line naming the rest."""
        if self.desk is None or not notice_files.wanted(msg):
            return MailFiles()
        items = await self.desk.acall(notice_files.entry_files, msg)
        return await asyncio.to_thread(load, self.files_dir, items, language)

    def _reply_to(self, msg: OutboxMessage) -> str | None:
        """The requester's signed reply address on their ticket's mail, with MAIL_REPLY_TO."""
        user = msg.params.get(REPLY_USER)
        if self.replies is None or msg.ticket_id is None or not isinstance(user, int):
            return None
        return self.replies.for_reply(msg.ticket_id, user)

    def _without_smtputf8(self, exc: aiosmtplib.SMTPNotSupported, target: str) -> Result:
        """The server lacks SMTPUTF8: with MAIL_FROM needing it no e-mail goes, retrying or not;
        with the recipient's mailbox needing it, that one's cannot."""
        if "SMTPUTF8" not in str(exc):
            return classify(exc, self.language)
        if needs_smtputf8(self.mail_from):
            return Permanent(t("email.smtputf8_sender", self.language, mail_from=self.mail_from))
        if not target.rpartition("@")[0].isascii():
            return Permanent(t("email.smtputf8_recipient", self.language, target=target),
                             unreachable=True)
        return classify(exc, self.language)



async def offers_smtputf8(config: SmtpConfig) -> bool:
    """Whether the server's EHLO offers SMTPUTF8 (after STARTTLS when SMTP_URL asks for it): one
    session, no login, no message, each step waiting at most EHLO_CHECK_SECONDS.
    SMTPException or OSError when it cannot be asked."""
    client = aiosmtplib.SMTP(hostname=config.host, port=config.port, use_tls=config.use_tls,
                             start_tls=config.start_tls, timeout=EHLO_CHECK_SECONDS)
    await client.connect()
    try:
        if client.is_ehlo_or_helo_needed:
            await client.ehlo()
        offered = client.supports_extension("smtputf8")
    except aiosmtplib.SMTPHeloError:  # a server without EHLO has no extensions
        offered = False
    except BaseException:
        client.close()
        raise
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()
    return offered
