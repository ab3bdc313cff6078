"""What a notification that can never be delivered means for its ticket."""

from __future__ import annotations

from core.models import EntryKind, User
from core.outbox import Channel, OutboxMessage
from core.services import notify
from core.services.context import Ctx
from core.services.tramites import add_system_entry

EVENTS = {
    Channel.TELEGRAM: "telegram_unreachable",
    Channel.EMAIL: "email_unreachable",
    Channel.SLACK: "slack_unreachable",
}


def telegram_fallback(ctx: Ctx, user: User | None) -> str:
    """What becomes of the notices to a person Telegram refuses (blocked bot), as the agents
    are told: 'email', 'slack' or 'email_slack' (the channels they still go out on),
    'no_address' (no e-mail of theirs to send to) or 'no_mail' (no instance sends e-mail)."""
    reach = ctx.reach()
    email = user is not None and bool(user.email.strip())
    via = [name for name, ok in (
        ("email", email and Channel.EMAIL in reach),
        ("slack", user is not None and bool(user.slack_id) and Channel.SLACK in reach)) if ok]
    if via:
        return "_".join(via)
    return "no_mail" if email else "no_address"


def telegram_reachable_again(ctx: Ctx, user_id: int) -> int:
    """The person wrote to the bot again: their tickets are no longer flagged (cards updated).

    Returns how many tickets were flagged.
    """
    flagged = ctx.uow.tickets.unreachable_on_telegram(user_id)
    for ticket in flagged:
        ticket.unreachable_telegram = False
        ticket.updated_at = ctx.now
        ctx.uow.tickets.update(ticket)
        add_system_entry(ctx, ticket, None, "telegram_reachable")
        notify.card_changed(ctx, ticket, "telegram_reachable", None)
    return len(flagged)


def record_undeliverable(ctx: Ctx, message: OutboxMessage, error: str,
                         unreachable: bool) -> bool:
    """Note on the ticket that a person cannot be reached there (blocked bot, bounced address).

    The agents see it in the thread and, except for Slack itself, on the card in triage; a
    Telegram chat is flagged on the ticket until its person writes to the bot again. Said once
    per ticket and address (for Telegram: once per time the flag is raised). Returns whether
    anything was recorded.
    """
    if message.ticket_id is None or not unreachable:
        return False
    ticket = ctx.uow.tickets.get(message.ticket_id)
    if ticket is None:
        return False
    event = EVENTS.get(message.channel, "delivery_failed")
    fallback: dict[str, str] = {}
    if message.channel == Channel.TELEGRAM:
        if ticket.unreachable_telegram:
            return False
        fallback["via"] = telegram_fallback(ctx, ctx.uow.users.get(ticket.requester_id))
        ticket.unreachable_telegram = True
        ticket.updated_at = ctx.now
        ctx.uow.tickets.update(ticket)
    else:
        said = f"{event} target={message.target}"
        entries = ctx.uow.entries.list(ticket.id or 0, include_internal=True)
        if any(e.kind == EntryKind.SYSTEM and e.text.startswith(said) for e in entries):
            return False
    add_system_entry(ctx, ticket, None, event, target=message.target, **fallback,
                     error=error[:300])  # the error last: it may hold spaces
    if message.channel != Channel.SLACK:
        notify.card_changed(ctx, ticket, event, None, target=message.target, **fallback)
    return True
