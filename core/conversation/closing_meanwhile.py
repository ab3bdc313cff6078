"""A closing question answered after its ticket moved on elsewhere (R19, R20, R21, R23): a
colleague answered, the 15 days ran out, another chat of the same person did it. What happened
is said, and by whom, instead of the same question asked again."""

from __future__ import annotations

from core.conversation.fmt import at, preview
from core.conversation.turn import Turn
from core.i18n import label
from core.models import Decision, EntryKind, Status, Ticket
from core.services.tramites import read_system_entry

SHOWN = 300
"""How much of a restriction or reason the message quotes."""


def who_did(turn: Turn, ticket: Ticket, *events: str) -> str:
    """Who wrote the ticket's latest system line of one of these events ("Você" for the user)."""
    for entry in reversed(turn.ctx.uow.entries.list(ticket.id or 0, False)):
        if entry.kind != EntryKind.SYSTEM or read_system_entry(entry.text)[0] not in events:
            continue
        if entry.author_id == turn.user.id:
            return turn.t("conv.closing.you")
        author = turn.ctx.uow.users.get(entry.author_id) if entry.author_id else None
        return author.name if author else "—"
    return "—"


def days_waited(turn: Turn, ticket: Ticket) -> int:
    """The days of silence after which the ticket closed by itself (R21): its line in the
    thread says so since a close held for a weekend (R14); older ones said the policy's."""
    event = Decision.AUTO_APPROVED.value
    for entry in reversed(turn.ctx.uow.entries.list(ticket.id or 0, False)):
        name, params = read_system_entry(entry.text) if entry.kind == EntryKind.SYSTEM \
            else ("", {})
        if name == event and str(params.get("days", "")).isdecimal():
            return int(params["days"])
    return turn.ctx.policy.autoclose_days


def decision_moved(turn: Turn, ticket: Ticket) -> str | None:
    """Why the approval question no longer applies to the ticket; None while it awaits."""
    if ticket.status == Status.AWAITING_APPROVAL:
        return None
    decision, number = ticket.decision, ticket.number
    if ticket.status == Status.CLOSED and decision == Decision.AUTO_APPROVED:
        return turn.t("conv.closing.answered.aprovado_automaticamente", number=number,
                      when=at(turn, ticket.closed_at), days=days_waited(turn, ticket))
    if ticket.status == Status.CLOSED and decision in (Decision.APPROVED,
                                                       Decision.APPROVED_WITH_RESTRICTIONS):
        return turn.t(f"conv.closing.answered.{decision.value}", number=number,
                      who=who_did(turn, ticket, decision.value), when=at(turn, ticket.closed_at),
                      comment=preview(ticket.decision_comment or "", SHOWN))
    if ticket.is_open and decision == Decision.NOT_APPROVED:
        return turn.t("conv.closing.answered.nao_aprovado", number=number,
                      who=who_did(turn, ticket, decision.value),
                      reason=preview(ticket.decision_comment or "", SHOWN))
    return turn.t("conv.closing.answered.other", number=number,
                  status=label("status", ticket.status, turn.lang))


def rating_moved(turn: Turn, ticket: Ticket) -> str | None:
    """Who already rated the ticket and how (R20); None while it has no rating."""
    if ticket.rating is None:
        return None
    return turn.t("conv.closing.rated_by", number=ticket.number,
                  who=who_did(turn, ticket, "rated"),
                  rating=label("rating", ticket.rating, turn.lang))


def charge_moved(turn: Turn, ticket: Ticket) -> str | None:
    """Who already answered the ticket's charge, or why it asks nothing now (R23); None
    while it awaits the customer's word."""
    if ticket.billable and ticket.is_open and ticket.billing_authorized is None:
        return None
    if ticket.billing_authorized is not None:
        answer = "authorized" if ticket.billing_authorized else "refused"
        return turn.t(f"conv.closing.charge_answered.{answer}", number=ticket.number,
                      who=who_did(turn, ticket, f"billing_{answer}"))
    return turn.t("conv.closing.charge_answered.gone", number=ticket.number)
