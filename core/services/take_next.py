"""An agent takes the queue's next ticket nobody has taken, in the queue's order (R12)."""

from __future__ import annotations

from core.errors import Conflict, NotFound
from core.models import Status, Ticket
from core.services import handling
from core.services.access import load_user, require_staff
from core.services.context import Ctx

PAGE = 200
"""Queue tickets read at a time while looking for one nobody has."""


def take_next(ctx: Ctx, actor_id: int) -> Ticket:
    """Take the first Novo ticket of the queue with no responsible (critical first until a
    workaround meets its urgency, then the oldest: R12), as Assumir does (R6, R13); one a
    colleague took meanwhile is passed over. None left: NotFound, said so."""
    require_staff(load_user(ctx, actor_id))
    offset = 0
    while True:
        page = ctx.uow.tickets.queue(PAGE, offset)
        for ticket in page:
            if ticket.assignee_id is None and ticket.status == Status.NEW:
                try:
                    return handling.take(ctx, actor_id, ticket.id or 0)
                except Conflict:  # a colleague's take committed after the queue was read
                    continue
        if len(page) < PAGE:
            raise NotFound("error.queue_nothing_new")
        offset += PAGE
