"""A customer's reply to a ticket's e-mail becomes a trâmite of theirs (R7), or is refused by
an e-mail in their language saying why, nothing added.

The e-mail side (bots) reads the message and checks the signed Reply-To token; here come the
new text, the files kept and the ticket and person the token names. Every refusal goes by
e-mail only to a registered address (From is easily forged), marked automatic by the sender,
so an auto-reply never loops.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import HelpdeskError
from core.i18n import t
from core.models import Attachment, Status, Ticket, User
from core.outbox import Channel, OutboxMessage
from core.services import tramites
from core.services.access import can_see
from core.services.context import Ctx
from core.services.notify import base_params

ADDED = "added"
REFUSALS = ("bad_token", "wrong_from", "wrong_from_owner", "inactive", "closed", "rejected",
            "empty", "refused")
"""The outcomes of a reply refused: each has its e-mail, notify.mail_reply.<outcome>."""
STRANGER = "stranger"
"""A made-up or altered address from someone not registered: not answered, since From is
easily forged and a refusal to it would be spam to whoever it names (backscatter)."""
SUBJECT_QUOTED = 60
"""The most of a reply's Subject a refusal quotes: From and Subject are the sender's to
forge, so a refusal never carries a stranger's long text or links to a registered person."""
LINK = re.compile(r"\S*(://|www\.)\S*", re.IGNORECASE)


@dataclass(frozen=True)
class MailReply:
    """What a reply brings: its sender (the From address), subject, new text and files."""

    sender: str
    subject: str
    text: str
    files: list[Attachment] = field(default_factory=list)
    may_answer: Callable[[Ctx, str], bool] = field(default=lambda ctx, to: True, compare=False)
    """Whether a refusal may still be mailed to an address (the e-mail side's budget: an
    autoresponder that marks nothing automatic would otherwise loop with the refusals)."""


def receive(ctx: Ctx, ticket_id: int, user_id: int, reply: MailReply) -> str:
    """Add the reply as the user's public trâmite on the ticket, through the chat's own
    service (the team's notices, the Slack thread, the customer's chats); or refuse it, an
    e-mail to the sender saying why. The outcome: ADDED or one of REFUSALS."""
    why, user, ticket = _checked(ctx, ticket_id, user_id, reply.sender)
    if why is not None or user is None or ticket is None:
        return _refused_before(ctx, reply, why, user, ticket)
    if not reply.text.strip() and not reply.files:
        return _refuse(ctx, reply, "empty", user, ticket)
    tramites.add_tramite(ctx, user.id or 0, ticket.id or 0, reply.text, reply.files)
    return ADDED


def _refused_before(ctx: Ctx, reply: MailReply, why: str | None, user: User | None,
                    ticket: Ticket | None) -> str:
    """The refusal of a reply whatever it brings. Each goes to a registered address only: a
    From nobody registered (Carla's personal address, a colleague she forwarded to) is told
    nothing; the person the reply address belongs to is, at theirs."""
    if why == "bad_token" or user is None or ticket is None:
        return bad_token(ctx, reply)  # another company's ticket looks like none at all
    if why == "wrong_from":
        known = ctx.uow.users.by_email(reply.sender.strip().lower())
        if known is None:
            return _refuse(ctx, reply, "wrong_from_owner", user, sender=reply.sender.strip())
        return _refuse(ctx, reply, "wrong_from", known, sender=reply.sender.strip())
    if why == "inactive":
        return _refuse(ctx, reply, "inactive", user)
    return _refuse_closed(ctx, reply, user, ticket)


def refusal(ctx: Ctx, ticket_id: int, user_id: int, sender: str) -> str | None:
    """The refusal awaiting a reply from `sender` whatever it brings, or None: the e-mail
    side keeps a reply's files only when it may be added (no stranger fills the disk)."""
    return _checked(ctx, ticket_id, user_id, sender)[0]


def each_ticket(ctx: Ctx, named: list[tuple[int, int]], sender: str
                ) -> list[tuple[int, int, str | None]]:
    """The (ticket, user) pairs of the reply addresses a message went to, one per ticket (the
    sender's own where two name the same ticket), each with its refusal (`refusal`)."""
    chosen: dict[int, tuple[int, int, str | None]] = {}
    for ticket_id, user_id in named:
        why = refusal(ctx, ticket_id, user_id, sender)
        if ticket_id not in chosen or (chosen[ticket_id][2] in ("bad_token", "wrong_from")
                                       and why not in ("bad_token", "wrong_from")):
            chosen[ticket_id] = (ticket_id, user_id, why)
    return list(chosen.values())


def _checked(ctx: Ctx, ticket_id: int, user_id: int, sender: str
             ) -> tuple[str | None, User | None, Ticket | None]:
    user = ctx.uow.users.get(user_id)
    ticket = ctx.uow.tickets.get(ticket_id)
    if user is None or ticket is None or not can_see(user, ticket):
        return "bad_token", user, ticket
    if sender.strip().lower() != (user.email or "").strip().lower():
        return "wrong_from", user, ticket
    if not user.active:
        return "inactive", user, ticket
    if ticket.status in (Status.CLOSED, Status.REJECTED):
        return "closed" if ticket.status == Status.CLOSED else "rejected", user, ticket
    return None, user, ticket


def bad_token(ctx: Ctx, reply: MailReply) -> str:
    """A reply to an address naming no ticket (made up, altered, another company's): said in
    the registered sender's language; to anyone else, nothing (STRANGER)."""
    known = ctx.uow.users.by_email(reply.sender.strip().lower())
    if known is None:
        return STRANGER
    return _refuse(ctx, reply, "bad_token", known)


def refused(ctx: Ctx, ticket_id: int, user_id: int, reply: MailReply,
            error: HelpdeskError) -> str:
    """A reply core refused as a chat message would be (too long, no words…): the reason
    said to the sender, in their language; a reply refused whatever it brings (another From,
    a closed ticket) is told that instead, never the ticket to a stranger."""
    why, user, ticket = _checked(ctx, ticket_id, user_id, reply.sender)
    if why is not None or user is None or ticket is None:
        return _refused_before(ctx, reply, why, user, ticket)
    return _refuse(ctx, reply, "refused", user, ticket,
                   error=t(error.key, user.language or ctx.policy.language, **error.params))


def _refuse_closed(ctx: Ctx, reply: MailReply, user: User, ticket: Ticket) -> str:
    if ticket.status == Status.CLOSED:
        return _refuse(ctx, reply, "closed", user, ticket)
    original = ctx.uow.tickets.get(ticket.duplicate_of_id) if ticket.duplicate_of_id else None
    lang = user.language or ctx.policy.language
    line = t("notify.mail_reply.original_line", lang, original=original.number) \
        if original is not None and can_see(user, original) else ""
    return _refuse(ctx, reply, "rejected", user, ticket, original_line=line)


def _refuse(ctx: Ctx, reply: MailReply, outcome: str, person: User,
            ticket: Ticket | None = None, **params: Any) -> str:
    """The refusal's e-mail to the person's registered address, in their language; about a
    ticket (in its thread) only once the sender is known to be the person it wrote to."""
    target = (person.email or "").strip()
    if not target or not reply.may_answer(ctx, target):
        return outcome
    data = {**(base_params(ticket) if ticket else {}), "subject": quoted(reply.subject),
            "language": person.language or ctx.policy.language, **params}
    ctx.uow.outbox.add(OutboxMessage(
        channel=Channel.EMAIL, target=target, kind=f"mail_reply.{outcome}",
        params=data, ticket_id=ticket.id if ticket else None, created_at=ctx.now,
        next_attempt_at=ctx.now))
    return outcome


def quoted(subject: str) -> str:
    """A Subject as a refusal may quote it: one line of printable characters, links cut,
    SUBJECT_QUOTED characters at most."""
    shown = "".join(ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else " "
                    for ch in subject)
    shown = " ".join(LINK.sub("…", shown).split())
    return shown if len(shown) <= SUBJECT_QUOTED else shown[:SUBJECT_QUOTED - 1].rstrip() + "…"
