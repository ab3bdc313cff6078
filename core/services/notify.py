"""Turn what happened to a ticket into outbox rows, in the same transaction."""

from __future__ import annotations

from typing import Any

from core.conversation_state import terminal_key
from core.models import Ticket, User
from core.outbox import (
    REPLY_USER,
    SLACK_CARDS,
    SLACK_TRIAGE,
    TELEGRAM_MENU,
    Channel,
    OutboxMessage,
)
from core.services.context import Ctx


def _message(ctx: Ctx, channel: Channel, target: str, kind: str, ticket: Ticket | None,
             params: dict[str, Any]) -> OutboxMessage:
    return OutboxMessage(channel=channel, target=target, kind=kind, params=params,
                         ticket_id=ticket.id if ticket else None, created_at=ctx.now,
                         next_attempt_at=ctx.now)


def _add(ctx: Ctx, channel: Channel, target: str, kind: str, ticket: Ticket | None,
         params: dict[str, Any]) -> None:
    ctx.uow.outbox.add(_message(ctx, channel, target, kind, ticket, params))


def base_params(ticket: Ticket) -> dict[str, Any]:
    """What every message about a ticket quotes."""
    return {"number": ticket.number, "assunto": ticket.assunto, "status": ticket.status.value}


def for_user(ctx: Ctx, user: User, kind: str, ticket: Ticket | None, email: bool = True,
             besides: Channel | None = None, **params: Any) -> list[OutboxMessage]:
    """The messages that reach a person on every linked channel, plus e-mail (R5, R7);
    `besides`: the chat they are reading it in already, left out."""
    data = {**(base_params(ticket) if ticket else {}), **params, "language": user.language}
    targets = []
    if user.telegram_id is not None and besides != Channel.TELEGRAM:
        targets.append((Channel.TELEGRAM, str(user.telegram_id)))
    if user.slack_id and besides != Channel.SLACK:
        targets.append((Channel.SLACK, f"user:{user.slack_id}"))
    if _in_the_terminal(ctx, user) and besides != Channel.TERMINAL:
        targets.append((Channel.TERMINAL, str(user.id)))
    if email and user.email:
        targets.append((Channel.EMAIL, user.email))
    return [_message(ctx, channel, target, kind, ticket, data) for channel, target in targets]


def _in_the_terminal(ctx: Ctx, user: User) -> bool:
    """Whether a person on no chat platform has talked in the terminal chat: their notices
    wait there for their next turn (one lookup, only for people on neither platform)."""
    return user.telegram_id is None and not user.slack_id and user.id is not None and \
        ctx.uow.conversations.get(terminal_key(user.id)) is not None


def to_user(ctx: Ctx, user: User, kind: str, ticket: Ticket | None, email: bool = True,
            **params: Any) -> None:
    """Reach a person on every channel they are linked to, plus e-mail (R5, R7)."""
    ctx.uow.outbox.add_many(for_user(ctx, user, kind, ticket, email, **params))


ASKS_APPROVAL = ("ticket.approval_requested", "ticket.approval_reminder")


def to_requester(ctx: Ctx, ticket: Ticket, kind: str, **params: Any) -> None:
    """Tell the ticket's requester (the customer side) about it; an approval asked while the
    charge is unanswered says the charge comes first (R23)."""
    if kind in ASKS_APPROVAL and ticket.billable and ticket.billing_authorized is None:
        params["charge_first"] = True
    requester = ctx.uow.users.get(ticket.requester_id)
    if requester is not None and requester.active:
        to_user(ctx, requester, kind, ticket, **{REPLY_USER: requester.id, **params})


def answered_for_requester(ctx: Ctx, ticket: Ticket, actor: User | None, event: str,
                           **params: Any) -> None:
    """Tell the requester that a colleague answered their ticket's approval or charge (R19,
    R23): their own chat may still be asking them."""
    if actor is not None and not actor.is_staff and actor.id != ticket.requester_id:
        to_requester(ctx, ticket, "ticket.status", event=event, actor=actor.name, **params)


def for_triage(ctx: Ctx, ticket: Ticket, kind: str, **params: Any) -> OutboxMessage:
    """The post to the agents' triage channel, in the ticket's thread."""
    return _message(ctx, Channel.SLACK, SLACK_TRIAGE, kind, ticket,
                    {**base_params(ticket), **params})


def to_triage(ctx: Ctx, ticket: Ticket, kind: str, **params: Any) -> None:
    """Post to the agents' triage channel, in the ticket's thread (card updates and logs)."""
    ctx.uow.outbox.add(for_triage(ctx, ticket, kind, **params))


def to_agent(ctx: Ctx, agent_id: int | None, ticket: Ticket, kind: str, **params: Any) -> None:
    """Direct message the responsible agent (Slack DM, else e-mail), in their language; not one
    who left the team (deactivated): the triage card and thread still tell the team."""
    agent = ctx.uow.users.get(agent_id) if agent_id else None
    if agent is None or not agent.active:
        return
    data = {**base_params(ticket), **params, "language": agent.language}
    if agent.slack_id:
        _add(ctx, Channel.SLACK, f"user:{agent.slack_id}", kind, ticket, data)
    elif agent.email:
        _add(ctx, Channel.EMAIL, agent.email, kind, ticket, data)


def to_services(ctx: Ctx, ticket: Ticket, **params: Any) -> bool:
    """E-mail the vendor's services area about a ticket, when one is set (§12, R23): whether
    it was told."""
    address = ctx.policy.services_email.strip()
    if address:
        _add(ctx, Channel.EMAIL, address, "services.authorized", ticket,
             {**base_params(ticket), **params, "language": ctx.policy.language})
    return bool(address)


def card(ctx: Ctx, ticket: Ticket, log: str, actor: User | None = None,
         **params: Any) -> OutboxMessage:
    """The message that refreshes the ticket's Slack card and logs what happened, and who."""
    return for_triage(ctx, ticket, "card", event=log, actor=actor.name if actor else None,
                      **params)


def card_changed(ctx: Ctx, ticket: Ticket, log: str, actor: User | None = None,
                 **params: Any) -> None:
    """Refresh the ticket's card in Slack and log in its thread what happened and who did it."""
    ctx.uow.outbox.add(card(ctx, ticket, log, actor, **params))


def cards_redrawn(ctx: Ctx, tickets: list[Ticket]) -> None:
    """Redraw the tickets' Slack cards, without a line in their threads: what they offer
    changed around them (an agent left the team or came back), not the tickets. A card whose
    redraw, or whose update with a line, is still waiting is left to it: it will draw this
    change too (one chat.update per card however many changes came meanwhile)."""
    ctx.uow.outbox.add_unless_pending(
        [_message(ctx, Channel.SLACK, SLACK_CARDS, "card.redraw", t, base_params(t))
         for t in tickets], ctx.now, also=[(SLACK_TRIAGE, "card")])


def telegram_menu(ctx: Ctx, user: User, team: bool) -> None:
    """Give a staff member's own Telegram chat the team's "/" menu, or take it back to the
    customers' default one when they leave (R2, R12)."""
    if user.is_staff and user.telegram_id is not None:
        _add(ctx, Channel.TELEGRAM, str(user.telegram_id), TELEGRAM_MENU, None,
             {"menu": "team" if team else "default", "language": user.language})
