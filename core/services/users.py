"""Companies, users, invite codes (R2), accounts deactivated and back, and the profile (R11)."""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from core.conversation_state import ConversationKey
from core.errors import Conflict, InvalidInput, NotFound
from core.i18n import normalize_language
from core.models import Company, Invite, Role, Ticket, User
from core.ports import TicketQuery
from core.services import handling, notify
from core.services.access import load_user
from core.services.context import Ctx
from core.services.intake import plain

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
PHONE_DIGITS = re.compile(r"\D")
EXTENSION = re.compile(r"[\s,;]*\b(?:ramal|ram\.|r\.|ext\.?|extens[aã]o|extension|x)\s*(\d{1,6})$",
                       re.IGNORECASE)
"""A business line's extension after its number: "ramal 21", "r. 21", "ext. 21", "x21"."""
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REASON_MAX = 200
NAME_MAX = 200
SLACK_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,31}$")  # a member ID: U0123ABCD (W… on Grid)


def normalize_email(text: str) -> str:
    """Validate an e-mail address and return it trimmed and lower-cased (R11)."""
    email = text.strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise InvalidInput("error.email_invalid")
    return email


def normalize_phone(text: str) -> str:
    """Validate a Brazilian or international phone number; keep digits with a leading +, and
    an extension ("ramal 21", "ext. 21") after ";ext=" as RFC 3966 writes it (R11)."""
    raw = text.strip()
    ext = EXTENSION.search(raw)
    raw = raw[:ext.start()].strip() if ext else raw
    digits = PHONE_DIGITS.sub("", raw)
    if not 10 <= len(digits) <= 15 or re.search(r"[^\d\s()+.-]", raw):
        raise InvalidInput("error.phone_invalid")
    if not raw.startswith("+") and len(digits) in (10, 11):
        digits = "55" + digits
    return "+" + digits + (f";ext={ext.group(1)}" if ext else "")


def checked_name(text: str, empty: str = "error.name_empty",
                 too_long: str = "error.name_too_long") -> str:
    """A name with its spaces folded; empty or over NAME_MAX says which."""
    name = " ".join(text.split())
    if not name:
        raise InvalidInput(empty)
    if len(name) > NAME_MAX:
        raise InvalidInput(too_long, length=len(name), limit=NAME_MAX)
    return name


def normalize_slack_id(text: str) -> str:
    """A Slack member ID as Slack writes it (upper case); anything else is refused."""
    slack_id = text.strip().upper()
    if not SLACK_ID_RE.match(slack_id):
        raise InvalidInput("error.slack_id_invalid", slack_id=text)
    return slack_id


def add_company(ctx: Ctx, name: str) -> Company:
    """Register a client company; the name must be new."""
    name = checked_name(name, "error.company_name_empty", "error.company_name_too_long")
    existing = ctx.uow.companies.by_name(name)
    if existing:
        raise Conflict("error.company_exists", name=existing.name)
    return ctx.uow.companies.add(Company(name=name))


def add_user(ctx: Ctx, *, name: str, email: str, company_names: list[str] | None = None,
             role: Role = Role.CUSTOMER, trained: bool = False, slack_id: str | None = None,
             phone: str | None = None, language: str | None = None) -> User:
    """Register a user of one or more companies (customers) or of the support team; with a
    language, they read it from the start (else the desk's, until they choose in `perfil`)."""
    name = checked_name(name)
    slack_id = normalize_slack_id(slack_id) if slack_id else None
    email = normalize_email(email)
    if ctx.uow.users.by_email(email):
        raise Conflict("error.email_exists", email=email)
    company_ids = []
    for cname in company_names or []:
        company = ctx.uow.companies.by_name(cname)
        if company is None:
            raise NotFound("error.company_not_found", name=cname)
        company_ids.append(company.id)
    if role == Role.CUSTOMER and not company_ids:
        raise InvalidInput("error.customer_needs_company")
    if slack_id and ctx.uow.users.by_slack(slack_id):
        raise Conflict("error.slack_id_exists", slack_id=slack_id)
    user = User(name=name, email=email, role=role, trained=trained, slack_id=slack_id,
                company_ids=[i for i in company_ids if i is not None],
                phone=normalize_phone(phone) if phone else None,
                language=normalize_language(language) if language else None)
    return ctx.uow.users.add(user)


def set_trained(ctx: Ctx, user_id: int, trained: bool = True) -> AccountChange:
    """Mark a user as trained (or not) by the vendor (R2); one who already was so is left
    as is (changed False)."""
    user = load_user(ctx, user_id)
    if user.trained == trained:
        return AccountChange(user, changed=False)
    user.trained = trained
    ctx.uow.users.update(user)
    return AccountChange(user, changed=True)


def create_invite(ctx: Ctx, email: str) -> Invite:
    """Issue a one-time code that links a chat account to this user (R2)."""
    user = ctx.uow.users.by_email(normalize_email(email))
    if user is None or not user.active:
        raise NotFound("error.user_not_found")
    code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(10))
    invite = Invite(code=code, user_id=user.id or 0, created_at=ctx.now,
                    expires_at=ctx.now + timedelta(hours=ctx.policy.invite_ttl_hours))
    ctx.uow.invites.add(invite)
    return invite


def redeem_invite(ctx: Ctx, code: str, *, telegram_id: int | None = None,
                  slack_id: str | None = None) -> User:
    """Link a Telegram or Slack account with a one-time code; a used or expired code fails."""
    cleaned = re.sub(r"[^A-Za-z0-9]", "", code or "").upper()
    invite = ctx.uow.invites.get(cleaned) if 0 < len(cleaned) <= 32 else None
    if invite is None:
        raise InvalidInput("error.invite_unknown")
    if invite.used_at is not None:
        raise InvalidInput("error.invite_used")
    if invite.expires_at <= ctx.now:
        raise InvalidInput("error.invite_expired")
    user = load_user(ctx, invite.user_id)
    if telegram_id is not None:
        other = ctx.uow.users.by_telegram(telegram_id)
        if other and other.id != user.id:
            other.telegram_id = None
            ctx.uow.users.update(other)
        user.telegram_id = telegram_id
    if slack_id is not None:
        # One account per Slack id, as per Telegram id: lookups find the first one.
        other = ctx.uow.users.by_slack(slack_id)
        while other is not None and other.id != user.id:
            other.slack_id = None
            ctx.uow.users.update(other)
            other = ctx.uow.users.by_slack(slack_id)
        user.slack_id = slack_id
    invite.used_at = ctx.now
    ctx.uow.invites.update(invite)
    ctx.uow.users.update(user)
    return user


def redeem_in_chat(ctx: Ctx, key: ConversationKey, code: str, *,
                   telegram_id: int | None = None, slack_id: str | None = None) -> User:
    """redeem_invite for a chat conversation, refused while it failed too many codes lately.

    A failure is counted in ctx.uow before the refusal is raised: callers commit refusals."""
    wait = link_wait(ctx, key)
    if wait:
        raise InvalidInput("error.invite_locked", minutes=wait)
    try:
        return redeem_invite(ctx, code, telegram_id=telegram_id, slack_id=slack_id)
    except InvalidInput:
        ctx.uow.link_failures.add(key, ctx.now)
        raise


def link_wait(ctx: Ctx, key: ConversationKey) -> int:
    """The minutes before the conversation may try an invite code again (0: it may now)."""
    window = link_window(ctx)
    failures, oldest = ctx.uow.link_failures.recent(key, ctx.now - window)
    if failures < ctx.policy.invite_max_failures or oldest is None:
        return 0
    return max(1, math.ceil((oldest + window - ctx.now).total_seconds() / 60))


def link_window(ctx: Ctx) -> timedelta:
    """How long a failed invite code counts against its conversation (R2)."""
    return timedelta(minutes=ctx.policy.invite_failure_minutes)


def update_profile(ctx: Ctx, user_id: int, *, email: str | None = None,
                   phone: str | None = None) -> User:
    """Change the contact data a user keeps current (R11)."""
    user = load_user(ctx, user_id)
    if email is not None:
        new_email = normalize_email(email)
        other = ctx.uow.users.by_email(new_email)
        if other and other.id != user.id:
            raise Conflict("error.email_exists", email=new_email)
        user.email = new_email
    if phone is not None:
        user.phone = normalize_phone(phone) if phone.strip() else None
    ctx.uow.users.update(user)
    return user


@dataclass
class AccountChange:
    """What deactivate, reactivate, set_language or set_trained did; changed is False when
    the account already was so."""

    user: User
    changed: bool
    invites_revoked: int = 0
    returned: list[Ticket] = field(default_factory=list)


def _registered(ctx: Ctx, email: str) -> User:
    user = ctx.uow.users.by_email((email or "").strip().lower())
    if user is None:
        raise NotFound("error.no_user_with_email", email=(email or "").strip()[:320])
    return user


def set_language(ctx: Ctx, email: str, language: str) -> AccountChange:
    """The language a person reads what only they see in (as `perfil` → Idioma sets it)."""
    user = _registered(ctx, email)
    return AccountChange(user, changed=change_language(ctx, user, language))


def change_language(ctx: Ctx, user: User, language: str) -> bool:
    """Keep a person's language, and whether it changed; a linked agent's team menu in
    Telegram follows it (R12: its commands are worded in their language)."""
    value = normalize_language(language)
    if user.language == value:
        return False
    user.language = value
    ctx.uow.users.update(user)
    if user.active:
        notify.telegram_menu(ctx, user, team=True)
    return True


def deactivate(ctx: Ctx, email: str, reason: str | None = None) -> AccountChange:
    """Close a person's access and delete nothing (R2): their tickets stay with the company
    and their name in the history; chat links stay for a reactivation; pending invites are
    revoked; an agent's open tickets go back to the queue (handling.release)."""
    user = _registered(ctx, email)
    why = " ".join(plain(reason or "").split()) or None
    if why and len(why) > REASON_MAX:
        raise InvalidInput("error.too_long", field="motivo", length=len(why), max=REASON_MAX)
    if not user.active:
        return AccountChange(user, changed=False)
    others = [u for u in ctx.uow.users.staff() if u.role == Role.COORDINATOR and u.id != user.id]
    if user.role == Role.COORDINATOR and not others:  # nobody left to reactivate or train
        raise Conflict("error.last_coordinator", name=user.name)
    user.active, user.deactivated_at, user.deactivation_reason = False, ctx.now, why
    ctx.uow.users.update(user)
    revoked = ctx.uow.invites.revoke_for_user(user.id or 0, ctx.now)
    returned = handling.release(ctx, user) if user.is_staff else []
    notify.telegram_menu(ctx, user, team=False)
    _redraw_team_lists(ctx, user, {t.id for t in returned})  # those are redrawn already
    return AccountChange(user, True, revoked, returned)


def reactivate(ctx: Ctx, email: str) -> AccountChange:
    """Give a deactivated person their access back; their linked chats recognise them again."""
    user = _registered(ctx, email)
    if user.active:
        return AccountChange(user, changed=False)
    user.active, user.deactivated_at, user.deactivation_reason = True, None, None
    ctx.uow.users.update(user)
    notify.telegram_menu(ctx, user, team=True)
    _redraw_team_lists(ctx, user, set())
    return AccountChange(user, changed=True)


def _redraw_team_lists(ctx: Ctx, user: User, done: set[int | None]) -> None:
    """Redraw the open Slack cards whose "Repassar para…" lists the team, after a staff
    member left it or came back (R6): a card drawn before still offered them."""
    if not user.is_staff:
        return
    query = TicketQuery(statuses=list(handling.WORKABLE), limit=200)
    while batch := ctx.uow.tickets.list(query):
        notify.cards_redrawn(ctx, [t for t in batch if t.id not in done])
        query = query.model_copy(update={"offset": query.offset + len(batch)})
