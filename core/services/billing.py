"""Contract coverage: the ticket's origin (R22) and billing with prior authorization (R23)."""

from __future__ import annotations

from core.errors import InvalidInput, InvalidTransition, NotAllowed
from core.models import Status, Ticket, User
from core.services import notify
from core.services.access import load_user, ticket_for
from core.services.context import Ctx
from core.services.handling import staff_ticket
from core.services.reference import load_catalog, load_coverage
from core.services.tramites import add_system_entry

CLASSIFIABLE = tuple(s for s in Status if s != Status.REJECTED)


def suggested_origin(ctx: Ctx, ticket: Ticket) -> tuple[str, bool]:
    """The origin core suggests for a ticket from its texts, and whether it is covered (R22)."""
    coverage = load_coverage(ctx.uow)
    implementation = any(
        item.implementation and item.label == ticket.item
        for tipo in load_catalog(ctx.uow).tipos for item in tipo.itens
    )
    origin = coverage.suggest(f"{ticket.tipo} {ticket.item} {ticket.servico}", ticket.assunto,
                              ticket.descricao, implementation)
    return origin.id, origin.covered


def charge_answer(ticket: Ticket) -> str:
    """A billable ticket's charge: authorized, refused, pending, or unanswered when it closed
    (R21) before the customer answered (R23)."""
    if ticket.billing_authorized is None:
        return "pending" if ticket.is_open else "unanswered"
    return "authorized" if ticket.billing_authorized else "refused"


def classify_origin(ctx: Ctx, actor_id: int, ticket_id: int, origin_id: str) -> Ticket:
    """Record the ticket's origin; one outside the contract makes it billable (R22, R23)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, CLASSIFIABLE)
    return set_origin(ctx, actor, ticket, origin_id)


def set_origin(ctx: Ctx, actor: User, ticket: Ticket, origin_id: str) -> Ticket:
    """Classify a ticket the agent may work on; tell the team and, on a charge, the customer."""
    origin = load_coverage(ctx.uow).origin(origin_id)
    ticket.origin = origin.id
    ticket.covered = origin.covered
    ask = not origin.covered and not ticket.billable
    withdrawn = origin.covered and ticket.billable
    ticket.billable = not origin.covered
    if withdrawn:
        ticket.billing_authorized = None  # the answer was about a charge that no longer applies
    ticket.updated_at = ctx.now
    ctx.uow.tickets.update(ticket)
    add_system_entry(ctx, ticket, actor, "origin", origin=origin.id, covered=origin.covered)
    notify.card_changed(ctx, ticket, "origin", actor, origin=origin.label,
                        covered=origin.covered)
    if ask and ticket.is_open:
        notify.to_requester(ctx, ticket, "ticket.billing_prompt", origin=origin.label)
    if withdrawn:
        notify.to_requester(ctx, ticket, "ticket.billing_withdrawn", origin=origin.label)
    return ticket


def origin_before_solution(ctx: Ctx, actor: User, ticket: Ticket, origin_id: str | None
                           ) -> None:
    """Every answered ticket has an origin (R22): the one chosen now, else it must have one."""
    if origin_id and origin_id != ticket.origin:
        set_origin(ctx, actor, ticket, origin_id)
    elif ticket.origin is None:
        suggested, _ = suggested_origin(ctx, ticket)
        raise InvalidInput("error.origin_needed", number=ticket.number,
                           suggestion=load_coverage(ctx.uow).origin(suggested).label)


def record_billing_authorization(ctx: Ctx, actor_id: int, ticket_id: int,
                                 authorized: bool) -> Ticket:
    """The customer authorizes (or refuses) billable work on the ticket (R23)."""
    actor = load_user(ctx, actor_id)
    ticket = ticket_for(ctx, actor, ticket_id)
    if actor.is_staff:
        raise NotAllowed("error.customer_only")
    if not ticket.billable or not ticket.is_open:
        raise InvalidTransition("error.not_billable", number=ticket.number)
    if ticket.billing_authorized is not None:
        raise InvalidTransition("error.already_answered", number=ticket.number)
    ticket.billing_authorized = authorized
    ticket.updated_at = ctx.now
    ctx.uow.tickets.update(ticket)
    event = "billing_authorized" if authorized else "billing_refused"
    add_system_entry(ctx, ticket, actor, event)
    notify.card_changed(ctx, ticket, event, actor)
    notify.to_agent(ctx, ticket.assignee_id, ticket, f"agent.{event}")
    return ticket
