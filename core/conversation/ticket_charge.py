"""A ticket's charge as its page says it (R22, R23): the origin outside the contract, the
customer's answer and the quote; to staff, also a covered origin."""

from __future__ import annotations

from core.conversation.turn import Turn
from core.models import Ticket
from core.services import billing


def origin_line(turn: Turn, ticket: Ticket) -> str | None:
    """The charge of a billable ticket and the customer's answer (R23); to staff, also the
    origin of a covered one (R22). Customers are not shown a covered origin, as on Slack."""
    if ticket.origin is None or (not ticket.billable and not turn.user.is_staff):
        return None
    origin = billing.origin_label(turn.ctx, ticket, turn.lang)
    if not ticket.billable:
        return turn.t("conv.ticket.origin_covered", origin=origin)
    answer = billing.charge_answer(ticket)
    if answer == "pending" and turn.user.is_staff:
        answer = "pending_staff"
    line = turn.t("conv.ticket.charge", origin=origin,
                  answer=turn.t(f"conv.ticket.charge_{answer}"))
    if ticket.billing_quote:
        line += " " + turn.t("conv.ticket.charge_quote", quote=ticket.billing_quote)
    return line
