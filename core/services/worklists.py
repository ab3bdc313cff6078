"""The support team's lists: the queue, an agent's open tickets, the tickets awaiting their
customer's approval and the overdue ones (R12, R13, R21)."""

from __future__ import annotations

from typing import NamedTuple

from core.models import OPEN_STATUSES, Status, Tab, Ticket
from core.ports import TicketQuery
from core.services.access import load_user, require_staff
from core.services.context import Ctx
from core.services.queries import MAX_PAGE, Page, list_tickets


def queue(ctx: Ctx, actor_id: int, limit: int = 20, offset: int = 0) -> list[Ticket]:
    """The agents' queue: critical first until a workaround meets its urgency, then first
    come, first served (R12)."""
    require_staff(load_user(ctx, actor_id))
    return ctx.uow.tickets.queue(min(limit, 200), offset)


QUEUE_STATUSES = sorted(OPEN_STATUSES - {Status.AWAITING_APPROVAL})
"""The queue's statuses: open, not waiting for the customer's approval."""


class QueueSize(NamedTuple):
    """How many tickets the agents' queue holds, and how many of them nobody has taken."""

    total: int
    unassigned: int


def queue_size(ctx: Ctx, actor_id: int) -> QueueSize:
    """The queue's size (R12): what the agents' greeting and the queue's header tell."""
    require_staff(load_user(ctx, actor_id))
    return QueueSize(total=ctx.uow.tickets.count(TicketQuery(statuses=QUEUE_STATUSES)),
                     unassigned=_unassigned(ctx))


def unassigned_count(ctx: Ctx, actor_id: int) -> int:
    """How many tickets of the queue nobody has taken (R12), the queue itself not counted."""
    require_staff(load_user(ctx, actor_id))
    return _unassigned(ctx)


def _unassigned(ctx: Ctx) -> int:
    return ctx.uow.tickets.count(TicketQuery(statuses=QUEUE_STATUSES, unassigned=True))


def assigned_to(ctx: Ctx, actor_id: int, agent_id: int, page_size: int = 10, page: int = 0
                ) -> Page:
    """An agent's open tickets, newest first: what they have on their plate (R6)."""
    require_staff(load_user(ctx, actor_id))
    query = TicketQuery(assignee_id=agent_id, statuses=sorted(OPEN_STATUSES))
    return list_tickets(ctx, actor_id, query, page, page_size=page_size)


def unassigned(ctx: Ctx, actor_id: int, page_size: int = 10, page: int = 0) -> Page:
    """The queue's tickets nobody has taken, in the queue's order (R12): what the Resumo's
    "Sem responsável" counts (page `page`, 0 the first)."""
    require_staff(load_user(ctx, actor_id))
    query = TicketQuery(statuses=QUEUE_STATUSES, unassigned=True, queue_order=True)
    return list_tickets(ctx, actor_id, query, page, page_size=page_size)


def awaiting_approval(ctx: Ctx, actor_id: int, page_size: int = 10, page: int = 0) -> Page:
    """The tickets waiting for their customer's approval, the longest silent first: R21 closes
    them as approved after its days of silence (page `page`, 0 the first)."""
    require_staff(load_user(ctx, actor_id))
    size, page = max(1, min(page_size, MAX_PAGE)), max(0, page)
    found = ctx.uow.tickets.awaiting_before(ctx.now, size, lock=False, offset=page * size)
    total = ctx.uow.tickets.count(TicketQuery(tab=Tab.AWAITING_APPROVAL))
    return Page(tickets=found, total=total, page=page, page_size=size)


def overdue(ctx: Ctx, actor_id: int, page_size: int = 10, page: int = 0) -> Page:
    """The open tickets past their prazo de entrega (R13), the longest overdue first; one
    awaiting approval waits on the customer, not on the team (page `page`, 0 the first)."""
    require_staff(load_user(ctx, actor_id))
    size, page = max(1, min(page_size, MAX_PAGE)), max(0, page)
    found = ctx.uow.tickets.due_before(ctx.now, size, warnings_below=None, lock=False,
                                       offset=page * size)
    return Page(tickets=found, total=ctx.uow.tickets.count_due_before(ctx.now), page=page,
                page_size=size)


def overdue_count(ctx: Ctx, actor_id: int) -> int:
    """How many tickets `overdue` lists (R13), counted in one statement, none read."""
    require_staff(load_user(ctx, actor_id))
    return ctx.uow.tickets.count_due_before(ctx.now)
