"""A customer's reply to a ticket's e-mail becomes a trâmite of theirs (R7), or is refused by
an e-mail in their language saying why, nothing added.

The e-mail side (bots) reads the message and checks the signed Reply-To token; here come the
new text, the files kept and the ticket and person the token names. Every refusal goes to the
sender only by e-mail, marked automatic by the sender, so an auto-reply never loops.
"""

from __future__ import annotations

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
REFUSALS = ("bad_token", "wrong_from", "inactive", "closed", "rejected", "empty", "refused")
"""The outcomes of a reply refused: each has its e-mail, notify.mail_reply.<outcome>."""
STRANGER = "stranger"
"""A made-up or altered address from someone not registered: not answered, since From is
easily forged and a refusal to it would be spam to whoever it names (backscatter)."""


@dataclass(frozen=True)
class MailReply:
    """What a reply brings: its sender (the From address), subject, new text and files."""

    sender: str
    subject: str
    text: str
    files: list[Attachment] = field(default_factory=list)
    may_answer: Callable[[Ctx], bool] = field(default=lambda ctx: True, compare=False)
    """Whether a refusal may still be mailed to this sender (the e-mail side's budget: an
    autoresponder that marks nothing automatic would otherwise loop with the refusals)."""


def receive(ctx: Ctx, ticket_id: int, user_id: int, reply: MailReply) -> str:
    """Add the reply as the user's public trâmite on the ticket, through the chat's own
    service (the team's notices, the Slack thread, the customer's chats); or refuse it, an
    e-mail to the sender saying why. The outcome: ADDED or one of REFUSALS."""
    why, user, ticket = _checked(ctx, ticket_id, user_id, reply.sender)
    if why == "bad_token" or user is None or ticket is None:
        return bad_token(ctx, reply)  # another company's ticket looks like none at all
    if why == "wrong_from":
        known = ctx.uow.users.by_email(reply.sender.strip().lower())
        return _refuse(ctx, reply, "wrong_from", (known or user).language, sender=reply.sender)
    if why == "inactive":
        return _refuse(ctx, reply, "inactive", user.language)
    if why is not None:
        return _refuse_closed(ctx, reply, user, ticket)
    if not reply.text.strip() and not reply.files:
        return _refuse(ctx, reply, "empty", user.language, ticket)
    tramites.add_tramite(ctx, user.id or 0, ticket.id or 0, reply.text, reply.files)
    return ADDED


def refusal(ctx: Ctx, ticket_id: int, user_id: int, sender: str) -> str | None:
    """The refusal awaiting a reply from `sender` whatever it brings, or None: the e-mail
    side keeps a reply's files only when it may be added (no stranger fills the disk)."""
    return _checked(ctx, ticket_id, user_id, sender)[0]


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
    return _refuse(ctx, reply, "bad_token", known.language)


def refused(ctx: Ctx, ticket_id: int, user_id: int, reply: MailReply,
            error: HelpdeskError) -> str:
    """A reply core refused as a chat message would be (too long, no words…): the reason
    said to the sender, in their language."""
    user = ctx.uow.users.get(user_id)
    ticket = ctx.uow.tickets.get(ticket_id)
    if user is None or ticket is None or not can_see(user, ticket):
        return bad_token(ctx, reply)
    return _refuse(ctx, reply, "refused", user.language, ticket,
                   error=t(error.key, user.language or ctx.policy.language, **error.params))


def _refuse_closed(ctx: Ctx, reply: MailReply, user: User, ticket: Ticket) -> str:
    if ticket.status == Status.CLOSED:
        return _refuse(ctx, reply, "closed", user.language, ticket)
    original = ctx.uow.tickets.get(ticket.duplicate_of_id) if ticket.duplicate_of_id else None
    lang = user.language or ctx.policy.language
    line = t("notify.mail_reply.original_line", lang, original=original.number) \
        if original is not None and can_see(user, original) else ""
    return _refuse(ctx, reply, "rejected", user.language, ticket, original_line=line)


def _refuse(ctx: Ctx, reply: MailReply, outcome: str, language: str | None,
            ticket: Ticket | None = None, **params: Any) -> str:
    """The refusal's e-mail to the sender; about a ticket (in its thread) only once the
    sender is known to be the person the ticket wrote to."""
    if not reply.may_answer(ctx):
        return outcome
    data = {**(base_params(ticket) if ticket else {}), "subject": reply.subject,
            "language": language or ctx.policy.language, **params}
    ctx.uow.outbox.add(OutboxMessage(
        channel=Channel.EMAIL, target=reply.sender.strip(), kind=f"mail_reply.{outcome}",
        params=data, ticket_id=ticket.id if ticket else None, created_at=ctx.now,
        next_attempt_at=ctx.now))
    return outcome
