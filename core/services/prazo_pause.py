"""The prazo's pause while a commercial proposal awaits the customer's answer (R13, R16)."""

from __future__ import annotations

from core.models import Status, Ticket
from core.services.context import Ctx


def awaits_proposal(ticket: Ticket) -> bool:
    """Whether the ticket, Em estimativa, waits for the customer to approve its proposal: the
    quote of a service outside the contract, not answered yet (R16, R23)."""
    return ticket.status == Status.ESTIMATE and ticket.billable \
        and ticket.billing_authorized is None and ticket.billing_quote is not None


def sync(ctx: Ctx, ticket: Ticket) -> None:
    """Start the pause when the ticket comes to wait on the proposal; end it when it no longer
    does (the customer answered, the charge was withdrawn, the ticket left Em estimativa),
    moving the prazo by the time waited. A proposal sent after the prazo leaves it as late as
    it was, as a solution sent late does (closing._prazo_waited)."""
    if awaits_proposal(ticket):
        ticket.prazo_paused_at = ticket.prazo_paused_at or ctx.now
        return
    since, ticket.prazo_paused_at = ticket.prazo_paused_at, None
    if since is None or ticket.due_at is None or since >= ticket.due_at:
        return
    ticket.due_at += ctx.now - since
    ticket.due_warnings_sent = 0  # the new date is told when it comes near, and if it passes
