"""Who may see and do what: the checks every use case starts with."""

from __future__ import annotations

from core.errors import NotAllowed, NotEligible, NotFound
from core.models import Role, Ticket, User, example_number
from core.services.context import Ctx


def load_user(ctx: Ctx, user_id: int) -> User:
    """Fetch an active user or raise NotFound."""
    user = ctx.uow.users.get(user_id)
    if user is None or not user.active:
        raise NotFound("error.user_not_found")
    return user


def require_staff(user: User) -> None:
    """Only agents and coordinators act on the queue."""
    if not user.is_staff:
        raise NotAllowed("error.staff_only")


def can_see(user: User, ticket: Ticket) -> bool:
    """Staff see every ticket; customers only their companies' (R8)."""
    return user.is_staff or ticket.company_id in user.company_ids


def ticket_for(ctx: Ctx, user: User, ticket_id: int, *, to_change: bool = True) -> Ticket:
    """Fetch a ticket the user may see; another company's ticket looks like a missing one.

    to_change=False reads it without locking it (a view)."""
    tickets = ctx.uow.tickets
    ticket = tickets.get(ticket_id) if to_change else tickets.read(ticket_id)
    if ticket is None or not can_see(user, ticket):
        raise NotFound("error.ticket_not_found")
    return ticket


def customer_ticket(ctx: Ctx, actor_id: int, ticket_id: int) -> tuple[User, Ticket]:
    """Load a customer and a ticket of their companies they answer on (an approval, a charge,
    a rating); an agent is refused, as only the customer may answer."""
    actor = load_user(ctx, actor_id)
    ticket = ticket_for(ctx, actor, ticket_id)
    if actor.is_staff:
        raise NotAllowed("error.customer_only")
    return actor, ticket


def coordination_hint(ctx: Ctx) -> str:
    """" (whom to ask)" after "a coordenação técnica": COORDINATION_CONTACT, else the
    coordinators registered, by name and e-mail; nothing when there is neither."""
    contact = ctx.policy.coordination_contact.strip()
    if not contact:
        coordinators = [u for u in ctx.uow.users.staff() if u.role == Role.COORDINATOR]
        contact = "; ".join(f"{u.name}, {u.email}" for u in coordinators[:2])
    return f" ({contact})" if contact else ""


COLLEAGUES_NAMED = 3


def trained_colleagues(ctx: Ctx, user: User) -> str:
    """The trained, active customers of the user's companies, who may open a ticket for them
    (R2): up to COLLEAGUES_NAMED names, "" when there is none."""
    found: dict[int, str] = {}
    for company_id in user.company_ids:
        for other in ctx.uow.users.list(company_id):
            if other.id != user.id and other.trained and other.active and not other.is_staff:
                found.setdefault(other.id or 0, other.name)
    return ", ".join(list(found.values())[:COLLEAGUES_NAMED])


def untrained(ctx: Ctx | None, user: User | None = None) -> NotEligible:
    """The refusal of an untrained customer (R2), saying whom to ask for the training and
    which colleagues may open the ticket meanwhile."""
    contact = coordination_hint(ctx) if ctx else ""
    names = trained_colleagues(ctx, user) if ctx and user else ""
    if names:
        return NotEligible("error.not_trained_colleagues", contact=contact, names=names)
    return NotEligible("error.not_trained", contact=contact)


def require_can_open(user: User, company_id: int, ctx: Ctx | None = None) -> None:
    """Only trained users of a client company may open tickets (R2)."""
    if user.is_staff:
        return
    if company_id not in user.company_ids:
        raise NotAllowed("error.not_your_company")
    if not user.trained:
        raise untrained(ctx, user)


def number_example(ctx: Ctx, typed: str = "") -> str:
    """This month's ticket number shape (202612/0001), the example a message gives: never
    the number typed, which was not found."""
    return example_number(ctx.now, ctx.policy.timezone, typed)
