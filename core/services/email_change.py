"""A new e-mail address replaces the old one only once the code mailed to it is typed (R11).

A typo would send every later ticket e-mail (R5, R7) nowhere, and anyone holding the chat
could point the mail elsewhere: the old address stays in use until the code sent to the new
one comes back, and it is told of the change afterwards. The CLI's `helpdesk user email`
stays a direct change (set_by_support), for when no e-mail can be sent.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from core.errors import Conflict, InvalidInput
from core.models import EmailChange, User
from core.outbox import Channel, OutboxMessage
from core.services.access import load_user
from core.services.context import Ctx
from core.services.users import normalize_email, update_profile

CODE_DIGITS = 6
CODE_TTL = timedelta(hours=24)
"""Long enough to come back to the chat later; wrong codes are limited, not time."""
RESEND_AFTER = timedelta(seconds=60)
"""No code goes out to a user sooner than this after the last one (no mail bombing)."""
MAX_FAILURES = 5
"""Wrong codes a change takes before it is dropped (a resend gives no more)."""
CODE_KIND = "profile.email_code"
CHANGED_KIND = "profile.email_changed"
ENDED = frozenset({"error.email_code_too_many", "error.email_code_expired",
                   "error.email_change_none", "error.email_exists"})
"""The refusals after which no change waits any more: the chat goes back to the profile."""


@dataclass
class Asked:
    """The change waiting for its code, and whether a code was mailed just now."""

    change: EmailChange
    sent: bool


def pending(ctx: Ctx, user_id: int) -> EmailChange | None:
    """The user's change waiting for its code, if any (not dropped nor expired)."""
    change = ctx.uow.email_changes.get(user_id)
    return change if change is not None and change.code and change.expires_at > ctx.now \
        else None


def request(ctx: Ctx, user_id: int, email: str) -> Asked:
    """Mail a code to the new address and keep the change until it is typed; the same
    address asked again while its code stands sends nothing new (Reenviar does)."""
    user = load_user(ctx, user_id)
    new = normalize_email(email)
    if new == user.email.lower():
        raise InvalidInput("error.email_same", email=new)
    _free(ctx, user, new)
    if not ctx.mails(new):
        raise InvalidInput("error.email_unconfirmable", email=new)
    current = pending(ctx, user.id or 0)
    if current is not None and current.email == new:
        return Asked(current, sent=False)
    _not_too_soon(ctx, ctx.uow.email_changes.get(user.id or 0))
    change = EmailChange(user_id=user.id or 0, email=new, code=_code(), sent_at=ctx.now,
                         expires_at=ctx.now + CODE_TTL)
    ctx.uow.email_changes.put(change)
    _mail_code(ctx, user, change)
    return Asked(change, sent=True)


def resend(ctx: Ctx, user_id: int) -> EmailChange:
    """A new code for the waiting change (the old one no longer works), its wrong codes
    still counted; not sooner than RESEND_AFTER after the last."""
    user = load_user(ctx, user_id)
    change = _waiting(ctx, user)
    _not_too_soon(ctx, change)
    _free(ctx, user, change.email, drop=True)
    change.code, change.sent_at, change.expires_at = _code(), ctx.now, ctx.now + CODE_TTL
    ctx.uow.email_changes.put(change)
    _mail_code(ctx, user, change)
    return change


def confirm(ctx: Ctx, user_id: int, typed: str) -> User:
    """The right code makes the new address the user's and tells the old one; a wrong one
    is counted (the MAX_FAILURES-th drops the change). Refusals are written before they are
    raised: callers commit them, as the chat engine does."""
    user = load_user(ctx, user_id)
    change = _waiting(ctx, user)
    digits = re.sub(r"\D", "", typed)
    if len(digits) != CODE_DIGITS:
        raise InvalidInput("error.email_code_format", digits=CODE_DIGITS)
    if not secrets.compare_digest(digits, change.code):
        change.failures += 1
        if change.failures >= MAX_FAILURES:
            change.code = ""
            ctx.uow.email_changes.put(change)
            raise InvalidInput("error.email_code_too_many")
        ctx.uow.email_changes.put(change)
        raise InvalidInput("error.email_code_wrong", left=MAX_FAILURES - change.failures)
    _free(ctx, user, change.email, drop=True)
    old, user.email = user.email, change.email
    ctx.uow.users.update(user)
    ctx.uow.email_changes.delete(user.id or 0)
    _mail(ctx, user, old, CHANGED_KIND, old=old, new=user.email)
    return user


def cancel(ctx: Ctx, user_id: int) -> bool:
    """Drop the waiting change (the old address stays); whether one was waiting. Its row
    stays for the resend interval."""
    change = pending(ctx, user_id)
    if change is None:
        return False
    change.code = ""
    ctx.uow.email_changes.put(change)
    return True


def set_by_support(ctx: Ctx, user_id: int, email: str) -> tuple[str, User]:
    """Support's direct change (`helpdesk user email`), for when no code can be mailed: no
    code asked, a change waiting in the chat dropped, the old address told. The old address
    and the user are returned."""
    old = load_user(ctx, user_id).email
    user = update_profile(ctx, user_id, email=email)
    ctx.uow.email_changes.delete(user_id)
    if user.email != old:
        _mail(ctx, user, old, CHANGED_KIND, old=old, new=user.email)
    return old, user


def _waiting(ctx: Ctx, user: User) -> EmailChange:
    """The change waiting for a code; an expired one is dropped and said so."""
    change = ctx.uow.email_changes.get(user.id or 0)
    if change is None or not change.code:
        raise InvalidInput("error.email_change_none")
    if change.expires_at <= ctx.now:
        ctx.uow.email_changes.delete(user.id or 0)
        raise InvalidInput("error.email_code_expired", email=change.email)
    return change


def _free(ctx: Ctx, user: User, email: str, drop: bool = False) -> None:
    """Refuse an address another user has (taken meanwhile: the change is dropped)."""
    other = ctx.uow.users.by_email(email)
    if other is not None and other.id != user.id:
        if drop:
            ctx.uow.email_changes.delete(user.id or 0)
        raise Conflict("error.email_exists", email=email)


def _not_too_soon(ctx: Ctx, change: EmailChange | None) -> None:
    if change is not None and ctx.now < change.sent_at + RESEND_AFTER:
        left = change.sent_at + RESEND_AFTER - ctx.now
        raise InvalidInput("error.email_code_wait", seconds=max(1, int(left.total_seconds())))


def _code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def _mail_code(ctx: Ctx, user: User, change: EmailChange) -> None:
    _mail(ctx, user, change.email, CODE_KIND, code=change.code, email=change.email,
          hours=int(CODE_TTL.total_seconds() // 3600))


def _mail(ctx: Ctx, user: User, address: str, kind: str, **params: object) -> None:
    """An e-mail to one address only, never the chat: the code proves the mailbox."""
    ctx.uow.outbox.add(OutboxMessage(
        channel=Channel.EMAIL, target=address, kind=kind, created_at=ctx.now,
        next_attempt_at=ctx.now, params={"name": user.name, "language": user.language,
                                         **params}))
