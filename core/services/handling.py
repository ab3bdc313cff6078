"""The agents' work on a ticket: take, assign, estimate, development, priority, duplicates."""

from __future__ import annotations

from datetime import timedelta

from core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from core.models import OPEN_STATUSES, CriticalReason, Priority, Status, Ticket, User
from core.ports import TicketQuery
from core.services import notify
from core.services.access import load_user, number_example, require_staff, ticket_for
from core.services.context import Ctx
from core.services.intake import clean_text, plain
from core.services.numbers import (  # handling.find_by_number etc., as before
    SHORT_NUMBER,  # noqa: F401 - handling.SHORT_NUMBER, as before
    find_by_number,
    recent_by_sequence,
    short_number_not_found,
    typed_end,
)
from core.services.saving import save_change

WORKABLE = (Status.NEW, Status.ESTIMATE, Status.ASSIGNED, Status.IN_PROGRESS,
            Status.IN_DEVELOPMENT)
HANDS_ON = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)
"""Where a ticket can be sent to estimate or to development from (R15, R16)."""
ALREADY = {Status.ESTIMATE: "error.already_in_estimate",
           Status.IN_DEVELOPMENT: "error.already_in_development"}
TAKEN = (Status.IN_PROGRESS, Status.IN_DEVELOPMENT)
"""Statuses where the responsible person is at work on the ticket: no Assumir, as on the card."""


def works_on(ticket: Ticket, user_id: int | None) -> bool:
    """Whether the user has the ticket and is at work on it: taking it changes nothing."""
    return ticket.assignee_id == user_id and ticket.status in TAKEN


def staff_ticket(ctx: Ctx, actor_id: int, ticket_id: int,
                 allowed: tuple[Status, ...] = WORKABLE) -> tuple[User, Ticket]:
    """Load an agent and a ticket whose status allows the action."""
    actor = load_user(ctx, actor_id)
    require_staff(actor)
    ticket = ticket_for(ctx, actor, ticket_id)
    if ticket.status not in allowed:
        raise InvalidTransition("error.invalid_transition", number=ticket.number,
                                status=ticket.status.value)
    return actor, ticket


def refuse_if_already(ticket: Ticket, status: Status) -> None:
    """A second click finds the ticket where the first sent it: say so, not that the card was
    out of date; nothing changes."""
    if ticket.status == status:
        raise InvalidTransition(ALREADY[status], number=ticket.number)


def _save(ctx: Ctx, ticket: Ticket, actor: User | None, event: str, tell_customer: bool = True,
          **params: object) -> Ticket:
    save_change(ctx, ticket, actor, event, **params)
    if tell_customer:
        notify.to_requester(ctx, ticket, "ticket.status", event=event, **params)
    return ticket


def prazo_for(ctx: Ctx, ticket: Ticket) -> timedelta:
    """How long the team has once the ticket is assigned, by priority (R13); a workaround meets
    a critical ticket's urgency, and its definitive fix has the Padrão prazo (R12)."""
    priority = Priority.STANDARD if ticket.workaround_at is not None else ticket.priority
    return timedelta(days=ctx.policy.prazo_days[priority])


def _assign(ctx: Ctx, actor: User, ticket: Ticket, assignee: User, status: Status,
            tell_customer: bool = True) -> Ticket:
    previous = ticket.assignee_id
    ticket.hand_to(assignee.id, ctx.now)
    if ticket.status != Status.IN_DEVELOPMENT:  # only the responsible changes there (R15)
        ticket.move_to(status)
    if ticket.due_at is None:
        ticket.due_at = ctx.now + prazo_for(ctx, ticket)
    _save(ctx, ticket, actor, "assigned", tell_customer, assignee=assignee.name)
    if previous != assignee.id and assignee.id != actor.id:
        notify.to_agent(ctx, assignee.id, ticket, "agent.assigned", by=actor.name)
    if previous not in (None, assignee.id, actor.id):  # not theirs any more: say so
        kind = "agent.taken_over" if assignee.id == actor.id else "agent.reassigned"
        notify.to_agent(ctx, previous, ticket, kind, by=actor.name, assignee=assignee.name)
    return ticket


def take(ctx: Ctx, actor_id: int, ticket_id: int, tell_customer: bool = True,
         seen: Status | None = None) -> Ticket:
    """The agent takes a ticket nobody else has: Em atendimento, prazo set (R6, R13);
    `tell_customer` False when the agent's answer, going to them, says it (add_tramite);
    `seen`, the status the agent's card showed: moved since, nothing is taken."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id)
    if ticket.assignee_id not in (None, actor.id):  # a double click or a stale card
        holder = ctx.uow.users.get(ticket.assignee_id)
        raise Conflict("error.taken_by_other", number=ticket.number,
                       assignee=holder.name if holder else "?")
    if works_on(ticket, actor.id):
        return ticket
    if seen is not None and ticket.status != seen:  # a colleague moved it: not undone unseen
        raise InvalidTransition("error.invalid_transition", number=ticket.number,
                                status=ticket.status.value)
    return _assign(ctx, actor, ticket, actor, Status.IN_PROGRESS, tell_customer)


def assign(ctx: Ctx, actor_id: int, ticket_id: int, assignee_id: int,
           seen_holder: int | None = None) -> Ticket:
    """Hand the ticket to another agent: Repassada, or still in development (R6, R13, R15).
    `seen_holder`, who had it as the agent's card showed it (0: nobody): in other hands since,
    nothing moves, the agent told who has it now."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id)
    if assignee_id != actor.id and assignee_id == ticket.assignee_id:
        # the same pick again (a double click, a card not redrawn yet): done, not changed hands
        holder = ctx.uow.users.get(assignee_id)
        raise InvalidInput("error.already_theirs", number=ticket.number,
                           name=holder.name if holder else "?")
    if seen_holder is not None and ticket.assignee_id not in (seen_holder or None, actor.id):
        holder = ctx.uow.users.get(ticket.assignee_id) if ticket.assignee_id else None
        raise Conflict("error.changed_hands" if holder else "error.changed_hands_nobody",
                       number=ticket.number, assignee=holder.name if holder else "")
    if assignee_id == actor.id:  # to oneself: taking it over, not handing it on
        if ticket.assignee_id == actor.id:
            raise InvalidInput("error.already_yours", number=ticket.number)
        return _assign(ctx, actor, ticket, actor, Status.IN_PROGRESS)
    assignee = ctx.uow.users.get(assignee_id)
    if assignee is None:
        raise NotFound("error.user_not_found")
    if not assignee.active:  # an option drawn before the deactivation
        raise NotAllowed("error.assignee_inactive", name=assignee.name)
    if not assignee.is_staff:  # a forged option: the person chosen, not the actor, is refused
        raise NotAllowed("error.assignee_not_staff", name=assignee.name)
    return _assign(ctx, actor, ticket, assignee, Status.ASSIGNED)


def release(ctx: Ctx, agent: User) -> list[Ticket]:
    """Take an agent who leaves off their open tickets, so none waits for them (R12): nobody
    responsible, a line in the thread; a ticket being worked goes back to the queue as Novo,
    one with development, triage or the customer stays there. The prazo stays (R13)."""
    query = TicketQuery(assignee_id=agent.id, statuses=sorted(OPEN_STATUSES), limit=200)
    released: list[Ticket] = []
    while batch := ctx.uow.tickets.list(query):
        for held in batch:
            ticket = ctx.uow.tickets.get(held.id or 0) or held
            ticket.hand_to(None, ctx.now)
            if ticket.status in (Status.ASSIGNED, Status.IN_PROGRESS):
                ticket.move_to(Status.NEW)  # answered once: no "not taken" alarm (move_to)
            released.append(_save(ctx, ticket, None, "unassigned", tell_customer=False,
                                  assignee=agent.name))
    return released


def move_to_estimate(ctx: Ctx, actor_id: int, ticket_id: int, justificativa: str | None = None
                     ) -> Ticket:
    """Send the ticket to triage for an estimate of analysis and scope (R16)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, (*HANDS_ON, Status.ESTIMATE))
    refuse_if_already(ticket, Status.ESTIMATE)
    ticket.move_to(Status.ESTIMATE, justificativa or None)
    return _save(ctx, ticket, actor, "estimate")


def forward_to_development(ctx: Ctx, actor_id: int, ticket_id: int, note: str | None = None
                           ) -> Ticket:
    """An error goes to development/analysis to be fixed (R15); a blank note is none."""
    note = clean_text(note, ctx.policy.text_max, "nota") if note and note.strip() else None
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, (*HANDS_ON, Status.IN_DEVELOPMENT))
    refuse_if_already(ticket, Status.IN_DEVELOPMENT)
    if ticket.assignee_id is None:
        ticket.hand_to(actor.id, ctx.now)
        ticket.due_at = ticket.due_at or ctx.now + prazo_for(ctx, ticket)
    ticket.move_to(Status.IN_DEVELOPMENT)
    _save(ctx, ticket, actor, "development", tell_customer=False, note=note)
    # The note is the team's words to the developers: no row addressed to the customer holds it.
    notify.to_requester(ctx, ticket, "ticket.status", event="development")
    notify.to_triage(ctx, ticket, "dev.forwarded", note=note, actor=actor.name)
    return ticket


def return_from_development(ctx: Ctx, actor_id: int, ticket_id: int, package: str) -> Ticket:
    """Development hands the fix back; the attendant delivers the correction package (R15)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, (Status.IN_DEVELOPMENT,))
    package = clean_text(package, ctx.policy.text_max, "pacote")  # the customer gets it
    ticket.move_to(Status.IN_PROGRESS if ticket.assignee_id else Status.NEW)  # nobody: queue
    _save(ctx, ticket, actor, "returned", package=package)
    notify.to_triage(ctx, ticket, "dev.returned", actor=actor.name, package=package)
    return ticket


def set_priority(ctx: Ctx, actor_id: int, ticket_id: int, priority: Priority,
                 reason: CriticalReason | None = None) -> Ticket:
    """Make a ticket critical (with one of the manual's reasons) or standard again (R12)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id)
    if priority == Priority.CRITICAL and reason is None:
        raise InvalidInput("error.critical_needs_reason")
    if (priority, reason if priority == Priority.CRITICAL else None) == \
            (ticket.priority, ticket.critical_reason):  # a double click: nothing to tell
        raise InvalidInput("error.priority_unchanged", number=ticket.number)
    before = prazo_for(ctx, ticket)
    ticket.priority = priority
    ticket.critical_reason = reason if priority == Priority.CRITICAL else None
    if ticket.due_at is not None:  # the new priority's prazo, from the same start (and pauses)
        due = ticket.due_at - before + prazo_for(ctx, ticket)
        if due != ticket.due_at:
            ticket.due_at, ticket.due_warnings_sent = due, 0
    _save(ctx, ticket, actor, "priority", tell_customer=False, priority=priority.value)
    # The customer hears the new prazo too: a critical ticket's is days shorter (R12, R13).
    notify.to_requester(ctx, ticket, "ticket.status", event="priority", priority=priority.value,
                        due_at=ticket.due_at.isoformat() if ticket.due_at else None)
    return ticket


def set_justificativa(ctx: Ctx, actor_id: int, ticket_id: int, text: str) -> Ticket:
    """Set the short public justificativa shown in listings (R6)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id)
    value = " ".join(plain(text or "").split())
    if len(value) > 100:
        raise InvalidInput("error.too_long", field="justificativa", length=len(value), max=100)
    ticket.justificativa = value or None
    return _save(ctx, ticket, actor, "justificativa", tell_customer=False, text=value)


def reject_duplicate(ctx: Ctx, actor_id: int, ticket_id: int, original_number: str) -> Ticket:
    """Reject a duplicate with a reference to the original ticket (R18)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id)
    original = _original(ctx, ticket, original_number)
    ticket.move_to(Status.REJECTED)
    ticket.duplicate_of_id = original.id
    ticket.closed_at = ctx.now
    # No service is rendered on a duplicate: its charge goes, authorized or not (R23); the
    # origin stays on record (R22).
    dropped = ticket.billable or None
    ticket.billable, ticket.billing_authorized, ticket.billing_quote = False, None, None
    return _save(ctx, ticket, actor, "rejected_duplicate", original=original.number,
                 charge_dropped=dropped)


def duplicate_original(ctx: Ctx, actor_id: int, ticket_id: int, original_number: str) -> Ticket:
    """The ticket a duplicate would point to, refused as reject_duplicate would (R18)."""
    _, ticket = staff_ticket(ctx, actor_id, ticket_id)
    return _original(ctx, ticket, original_number)


def _original(ctx: Ctx, ticket: Ticket, original_number: str) -> Ticket:
    seq = typed_end(original_number)
    original = _by_sequence(ctx, ticket, seq) if seq is not None \
        else find_by_number(ctx, original_number)
    if original is None:
        raise NotFound("error.no_such_number", number=(original_number or "").strip()[:40],
                       example=number_example(ctx, original_number or ""))
    if original.company_id != ticket.company_id:
        raise InvalidInput("error.duplicate_other_company", original=original.number)
    if original.id == ticket.id:
        raise InvalidInput("error.duplicate_of_itself")
    return _live_original(ctx, ticket, original)


def _by_sequence(ctx: Ctx, ticket: Ticket, seq: int) -> Ticket:
    """The company's one recent ticket numbered …/seq: "1" for the original, as "ticket 1"."""
    found = [t for t in recent_by_sequence(ctx, seq) if t.company_id == ticket.company_id]
    if not found:
        raise short_number_not_found(ctx, seq)
    if len(found) > 1:
        raise InvalidInput("error.duplicate_short_ambiguous", seq=f"{seq:04d}",
                           numbers=", ".join(t.number for t in found))
    return found[0]


def _live_original(ctx: Ctx, ticket: Ticket, original: Ticket) -> Ticket:
    """Follow a rejected original to the ticket it duplicates; refuse a dead end (R18)."""
    typed, seen = original.number, {ticket.id}
    while original.status == Status.REJECTED and original.duplicate_of_id is not None \
            and original.id not in seen:
        seen.add(original.id)
        original = ctx.uow.tickets.read(original.duplicate_of_id) or original
    if original.status == Status.REJECTED or original.id == ticket.id:
        raise InvalidInput("error.original_rejected", original=typed)
    return original
