"""An agent takes the queue's next ticket nobody has taken, in the queue's order (R12)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from core.errors import Conflict, NotFound
from core.models import Priority, Status, Ticket
from core.ports import TicketQuery
from core.services import handling
from core.services.access import load_user, require_staff
from core.services.context import Ctx

PAGE = 20
"""Candidates read at a time: Novo tickets nobody has, in the queue's order."""
AGAIN = timedelta(seconds=5)
"""A press this soon after the agent took a ticket is the same press twice (a double click, a
button tapped again while the card comes): it takes no second ticket unseen."""


def take_next(ctx: Ctx, actor_id: int, pressed: bool = True,
              took_by_press: Callable[[Ticket], bool] | None = None) -> Ticket:
    """Take the first Novo ticket of the queue with no responsible (critical first until a
    workaround meets its urgency, then the oldest: R12), as Assumir does (R6, R13); one a
    colleague took meanwhile is passed over. None left: NotFound, said so; `pressed` (a button,
    which a double click presses twice), one the queue would have given taken by the agent
    within AGAIN: Conflict, naming it. A command typed (/ticket próximo) is meant, however soon
    after a take (the card's Assumir on the queue's first ticket, then the next typed).
    `took_by_press`, where the channel knows it: whether the ticket just taken was taken by
    this button (else by its card's Assumir, and this press is another)."""
    require_staff(load_user(ctx, actor_id))
    just = ctx.uow.tickets.list(TicketQuery(assignee_id=actor_id, statuses=[Status.IN_PROGRESS],
                                            taken_since=ctx.now - AGAIN, limit=1)) \
        if pressed else []
    query = TicketQuery(statuses=[Status.NEW], unassigned=True, queue_order=True, limit=PAGE)
    page = ctx.uow.tickets.list(query)
    if just and (took_by_press is None or took_by_press(just[0])) \
            and (not page or queue_rank(just[0]) < queue_rank(page[0])):
        # the queue's next then: a press again. One it would not have given (one waits before
        # it still) was taken by its card's Assumir: this press is another.
        raise Conflict("error.just_took", number=just[0].number)
    while True:
        for ticket in page:
            try:
                return handling.take(ctx, actor_id, ticket.id or 0)
            except Conflict:  # a colleague's take committed after the candidates were read
                continue
        if len(page) < PAGE:
            raise NotFound("error.queue_nothing_new")
        query.offset += PAGE
        page = ctx.uow.tickets.list(query)


def queue_rank(ticket: Ticket) -> tuple[bool, datetime, int]:
    """The queue's order (R12): critical with its urgency unmet first, then the oldest."""
    return (ticket.priority != Priority.CRITICAL or ticket.workaround_at is not None,
            ticket.opened_at, ticket.id or 0)
