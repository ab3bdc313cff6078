"""Saving a ticket after a change: its prazo's pause, the change's line and its Slack card."""

from __future__ import annotations

from core.models import Ticket, User
from core.services import notify, prazo_pause
from core.services.context import Ctx
from core.services.tramites import add_system_entry


def save(ctx: Ctx, ticket: Ticket) -> None:
    """Save the changed ticket as of now, its prazo's pause started or ended by the change
    (R13, R16)."""
    ticket.updated_at = ctx.now
    prazo_pause.sync(ctx, ticket)
    ctx.uow.tickets.update(ticket)


def save_change(ctx: Ctx, ticket: Ticket, actor: User | None, event: str,
                **params: object) -> Ticket:
    """save() the ticket, with the change's system line in its thread and its Slack card
    refreshed, both saying params."""
    save(ctx, ticket)
    add_system_entry(ctx, ticket, actor, event, **params)
    notify.card_changed(ctx, ticket, event, actor, **params)
    return ticket
