"""Closing a ticket: the solution, the customer's approval and rating (R19, R20)."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, InvalidTransition
from core.models import Attachment, Decision, Entry, EntryKind, Rating, Status, Ticket, User
from core.services import billing, notify
from core.services import rating as rating_comment
from core.services.access import customer_ticket
from core.services.approval_clock import closes_at, reminder_days
from core.services.context import Ctx
from core.services.handling import WORKABLE, prazo_for, staff_ticket
from core.services.intake import clean_text
from core.services.rating import LOW_RATINGS
from core.services.saving import save
from core.services.tramites import add_system_entry, read_system_entry

ON_TIME, LATE = "on_time", "late"
"""The prazo=... of a solution's line (approval_requested): sent by its prazo de entrega or
after it, as the prazo was when it went (R13). Storage's report counts these words."""
ALREADY_SENT = "error.solution_already_sent"
"""The Conflict of a solution requested again while the ticket awaits approval on it."""


def request_approval(ctx: Ctx, actor_id: int, ticket_id: int, solution: str,
                     origin_id: str | None = None, quote: str | None = None,
                     shown: billing.Shown | None = None) -> Ticket:
    """Answer the customer with the solution; the ticket waits for approval (R19).

    The ticket's origin is classified first (origin_id), unless it already has one (R22);
    a quote is the charge's when that origin is outside the contract (R23). `shown`: the
    origin and quote the agent's form started with (billing.check_as_shown). The same
    solution requested again while the ticket awaits approval on it (a double submit, a
    request delivered twice) is refused as ALREADY_SENT: nothing goes twice."""
    # Locked first (staff_ticket reads to change): a second request waits for the first's
    # commit and finds its solution.
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, (*WORKABLE, Status.AWAITING_APPROVAL))
    if ticket.status == Status.AWAITING_APPROVAL:
        _already_sent(ctx, actor, ticket, solution)
    body = clean_text(solution, ctx.policy.text_max, "solucao")
    if shown is not None:
        billing.check_as_shown(ticket, origin_id, quote, shown)
    billing.origin_before_solution(ctx, actor, ticket, origin_id, quote)
    ctx.uow.entries.add(Entry(ticket_id=ticket.id or 0, author_id=actor.id, kind=EntryKind.PUBLIC,
                              text=body, created_at=ctx.now))
    if ticket.assignee_id is None:
        ticket.hand_to(actor.id, ctx.now)
    ticket.due_at = ticket.due_at or ctx.now + prazo_for(ctx, ticket)
    ticket.move_to(Status.AWAITING_APPROVAL)
    ticket.awaiting_since = ctx.now
    ticket.reminders_sent = 0
    save(ctx, ticket)
    # The solution's judgement by the prazo it has now, a proposal's pause ended by save (R13):
    # the report counts it so, however the prazo moves later (a priority changed, a Não
    # aprovar's wait, a workaround).
    add_system_entry(ctx, ticket, actor, "approval_requested",
                     prazo=ON_TIME if ticket.due_at and ctx.now <= ticket.due_at else LATE)
    notify.card_changed(ctx, ticket, "approval_requested", actor, solution=body)
    # The days and date the close really comes (held for business hours, R14), as the
    # reminders and the auto-close notice count them; not the policy's bare 15.
    closes = closes_at(ctx, ticket)
    notify.to_requester(ctx, ticket, "ticket.approval_requested", solution=body,
                        author=actor.name, days=reminder_days(ctx, ticket)[1],
                        closes_at=closes.isoformat() if closes else None)
    return ticket


def _already_sent(ctx: Ctx, actor: User, ticket: Ticket, solution: str) -> None:
    """Refuse a solution on a ticket that awaits approval: ALREADY_SENT when it is the very
    one this agent sent for this wait (the public entry before its request), else the
    status's refusal."""
    entries = ctx.uow.entries.list(ticket.id or 0, include_internal=True)
    asked = [i for i, e in enumerate(entries) if _asks_approval(e)]
    sent = next((e for e in reversed(entries[:asked[-1]]) if e.kind == EntryKind.PUBLIC),
                None) if asked else None
    try:
        body = clean_text(solution, ctx.policy.text_max, "solucao")
    except InvalidInput:
        body = None
    if sent is not None and sent.author_id == actor.id and sent.text == body:
        raise Conflict(ALREADY_SENT, number=ticket.number)
    raise InvalidTransition("error.invalid_transition", number=ticket.number,
                            status=ticket.status.value)


def _asks_approval(entry: Entry) -> bool:
    """Whether the entry is the system line request_approval writes (one per wait)."""
    return entry.kind == EntryKind.SYSTEM \
        and read_system_entry(entry.text)[0] == "approval_requested"


def _customer_awaiting(ctx: Ctx, actor_id: int, ticket_id: int) -> tuple[User, Ticket]:
    actor, ticket = customer_ticket(ctx, actor_id, ticket_id)
    if ticket.status != Status.AWAITING_APPROVAL:
        key = "error.already_closed" if ticket.status == Status.CLOSED else "error.not_awaiting"
        raise InvalidTransition(key, number=ticket.number, status=ticket.status.value)
    return actor, ticket


def _close(ctx: Ctx, actor: User | None, ticket: Ticket, decision: Decision,
           comment: str | None, **params: object) -> Ticket:
    ticket.move_to(Status.CLOSED)
    ticket.decision = decision
    ticket.decision_comment = comment
    ticket.closed_at = ctx.now
    ticket.awaiting_since = None
    ticket.updated_at = ctx.now
    ctx.uow.tickets.update(ticket)
    add_system_entry(ctx, ticket, actor, decision.value, **params, comment=comment)
    notify.card_changed(ctx, ticket, decision.value, actor, comment=comment, **params)
    notify.answered_for_requester(ctx, ticket, actor, decision.value, comment=comment)
    return ticket


def _charge_answered(ticket: Ticket) -> None:
    """A billable ticket's charge is answered before the approval closes it: its authorization
    is prior (R23), and a closed ticket's charge could no longer be answered. The chat asks the
    charge first; this holds for any other caller."""
    if ticket.billable and ticket.billing_authorized is None:
        raise InvalidTransition("error.charge_first", number=ticket.number)


def approve(ctx: Ctx, actor_id: int, ticket_id: int) -> Ticket:
    """The customer agrees with the solution; the ticket closes for good (R19), once a charge
    is answered (R23)."""
    actor, ticket = _customer_awaiting(ctx, actor_id, ticket_id)
    _charge_answered(ticket)
    return _close(ctx, actor, ticket, Decision.APPROVED, None)


def approve_with_restrictions(ctx: Ctx, actor_id: int, ticket_id: int, comment: str) -> Ticket:
    """The customer accepts with a comment; the ticket closes (R19), once a charge is
    answered (R23)."""
    actor, ticket = _customer_awaiting(ctx, actor_id, ticket_id)
    _charge_answered(ticket)
    body = clean_text(comment, ctx.policy.text_max, "comentario")
    closed = _close(ctx, actor, ticket, Decision.APPROVED_WITH_RESTRICTIONS, body)
    # A restriction is feedback for whoever solved it, not only a line in the thread.
    notify.to_agent(ctx, closed.assignee_id, closed, "agent.approved_with_restrictions",
                    comment=body, actor=actor.name)
    return closed


def not_approve(ctx: Ctx, actor_id: int, ticket_id: int, reason: str,
                attachments: list[Attachment] | None = None) -> Ticket:
    """The customer disagrees and says why (a print of the error, say, with it); the ticket
    returns to attendance (R19)."""
    actor, ticket = _customer_awaiting(ctx, actor_id, ticket_id)
    body = clean_text(reason, ctx.policy.text_max, "motivo")
    ctx.uow.entries.add(Entry(ticket_id=ticket.id or 0, author_id=actor.id, kind=EntryKind.PUBLIC,
                              text=body, created_at=ctx.now,
                              attachments=[a.unattached() for a in attachments or []]))
    ticket.move_to(Status.IN_PROGRESS if ticket.assignee_id else Status.NEW)  # nobody: queue
    _prazo_waited(ctx, ticket)
    ticket.decision = Decision.NOT_APPROVED
    ticket.decision_comment = body
    ticket.awaiting_since = None
    ticket.updated_at = ctx.now
    ctx.uow.tickets.update(ticket)
    add_system_entry(ctx, ticket, actor, Decision.NOT_APPROVED.value, reason=body)
    notify.card_changed(ctx, ticket, Decision.NOT_APPROVED.value, actor, reason=body)
    notify.answered_for_requester(ctx, ticket, actor, Decision.NOT_APPROVED.value, reason=body)
    notify.to_agent(ctx, ticket.assignee_id, ticket, "agent.not_approved", reason=body,
                    actor=actor.name)
    return ticket


def _prazo_waited(ctx: Ctx, ticket: Ticket) -> None:
    """The prazo does not run while the solution waits for the customer (R13, R19): a ticket
    answered before its prazo comes back from Não aprovar with the time it had left when the
    solution went out, not overdue for the days the customer took. One answered late stays
    as late as it was."""
    sent = [e.created_at for e in ctx.uow.entries.list(ticket.id or 0, True) if _asks_approval(e)]
    if ticket.due_at is None or not sent or max(sent) >= ticket.due_at:
        return
    ticket.due_at += ctx.now - max(sent)
    ticket.due_warnings_sent = 0  # the new date is told when it comes near, and if it passes


def rate(ctx: Ctx, actor_id: int, ticket_id: int, rating: Rating | str,
         comment: str | None = None) -> Ticket:
    """The customer rates the service once, after approving (R20), with a comment if given
    (rating.comment_rating adds one later)."""
    actor, ticket = customer_ticket(ctx, actor_id, ticket_id)
    try:
        value = Rating(rating)
    except ValueError:
        raise InvalidInput("error.rating_invalid") from None
    said = None if comment is None else rating_comment.clean_comment(comment)
    if ticket.status != Status.CLOSED or ticket.decision is None:
        raise InvalidTransition("error.not_closed", number=ticket.number)
    if ticket.rating is not None:
        raise InvalidTransition("error.already_rated", number=ticket.number)
    ticket.rating = value
    ticket.updated_at = ctx.now
    add_system_entry(ctx, ticket, actor, "rated", rating=value.value)
    if said is not None:
        rating_comment.keep(ctx, ticket, actor, said, with_mark=True)
    ctx.uow.tickets.update(ticket)
    notify.card_changed(ctx, ticket, "rated", actor, rating=value.value, comment=said)
    if value in LOW_RATINGS:
        notify.to_agent(ctx, ticket.assignee_id, ticket, "agent.rated_low", rating=value.value,
                        actor=actor.name, comment=said)
    return ticket
