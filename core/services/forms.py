"""Whether an agent may open an action's form on a ticket now: the statuses its use case takes
(checked again when the form is sent), so a stale card's button is refused before the agent
writes anything (R6, R15, R19, R23)."""

from __future__ import annotations

from enum import StrEnum

from core.errors import InvalidTransition
from core.models import Status, Ticket
from core.services.access import load_user, require_staff, ticket_for
from core.services.context import Ctx
from core.services.handling import HANDS_ON, WORKABLE, refuse_if_already


class Form(StrEnum):
    """The forms of the agents' actions on a ticket, by the use case each sends."""

    REJECT = "reject"
    APPROVAL = "approval"
    WORKAROUND = "workaround"
    DEVELOPMENT = "development"
    RETURN = "return"
    QUOTE = "quote"
    NOTE = "note"


OPENS_IN: dict[Form, tuple[Status, ...]] = {
    Form.REJECT: WORKABLE,
    Form.APPROVAL: WORKABLE,
    Form.WORKAROUND: WORKABLE,
    Form.DEVELOPMENT: HANDS_ON,
    Form.RETURN: (Status.IN_DEVELOPMENT,),
}
"""The statuses in which a form's use case can take the ticket; the others take any."""


def form_ticket(ctx: Ctx, actor_id: int, ticket_id: int, form: Form) -> Ticket:
    """The ticket an agent's form is about, if its use case can take it now; else
    InvalidTransition: the generic one for a status it does not take (a colleague moved the
    ticket), error.already_in_development for a development form of a ticket there already, a
    quote's for a ticket with no charge to quote."""
    actor = load_user(ctx, actor_id)
    require_staff(actor)
    ticket = ticket_for(ctx, actor, ticket_id, to_change=False)  # a form opened: a view
    if form == Form.DEVELOPMENT:  # a second click after the form was sent: not a stale card
        refuse_if_already(ticket, Status.IN_DEVELOPMENT)
    if ticket.status not in OPENS_IN.get(form, tuple(Status)):
        raise InvalidTransition(number=ticket.number, status=ticket.status.value)
    if form == Form.QUOTE and not (ticket.billable and ticket.is_open):
        raise InvalidTransition("error.quote_not_billable", number=ticket.number)
    return ticket
