"""A listing without words runs a statement built once per shape (which filters, how many
statuses; storage.sql.tickets._listing), its values bound: every shape, run twice in one unit
of work with other values, gives the tickets the query asks for, newest first, paged."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from storage_world import T0, World

from core.models import Status, Tab, Ticket
from core.ports import TicketQuery

FILTERS = ("company_id", "requester_id", "assignee_id", "unassigned", "opened_since",
           "opened_before", "billing_pending", "billable")
STATUS_SETS = ([Status.AWAITING_APPROVAL], [Status.NEW, Status.ASSIGNED], list(Status))


@pytest.fixture
def seeded(store: Any) -> tuple[World, list[Ticket]]:
    world = World(store)
    people = [(world.a, world.carla), (world.a, world.joao), (world.b, world.rita)]
    statuses = list(Status)
    made = []
    with store() as uow:
        for i in range(48):
            company, requester = people[i % 3]
            ticket = world.open(
                uow, company=company, requester=requester,
                at=T0 + timedelta(hours=i // 2),  # two tickets per opening time: ids break ties
                status=statuses[i % len(statuses)],
                assignee_id=world.ana if i % 4 else None,
                billable=i % 5 < 3, billing_authorized=(None, True, False)[i % 3])
            made.append(ticket)
        uow.commit()
    return world, made


def _expected(tickets: list[Ticket], q: TicketQuery, statuses: list[Status]) -> list[int]:
    def keeps(t: Ticket) -> bool:
        return (t.status in statuses
                and (q.company_id is None or t.company_id == q.company_id)
                and (q.requester_id is None or t.requester_id == q.requester_id)
                and (q.assignee_id is None or t.assignee_id == q.assignee_id)
                and (not q.unassigned or t.assignee_id is None)
                and (q.opened_since is None or t.opened_at >= q.opened_since)
                and (q.opened_before is None or t.opened_at < q.opened_before)
                and (not q.billing_pending or (t.billable and t.billing_authorized is None))
                and (not q.billable or t.billable))
    kept = sorted((t for t in tickets if keeps(t)), key=lambda t: (t.opened_at, t.id),
                  reverse=True)
    return [t.id or 0 for t in kept[q.offset : q.offset + q.limit]]


def _query(world: World, used: tuple[int, ...], statuses: list[Status], other: bool,
           limit: int, offset: int) -> TicketQuery:
    values: dict[str, Any] = {
        "company_id": world.b if other else world.a,
        "requester_id": world.rita if other else world.carla,
        "assignee_id": world.ana, "unassigned": True,
        "opened_since": T0 + timedelta(hours=4 if other else 9),
        "opened_before": T0 + timedelta(hours=20 if other else 16),
        "billing_pending": True, "billable": True,
    }
    chosen = {FILTERS[i]: values[FILTERS[i]] for i, on in enumerate(used) if on}
    return TicketQuery(statuses=statuses, limit=limit, offset=offset, **chosen)


def test_every_listing_shape_gives_the_tickets_asked_for(
        seeded: tuple[World, list[Ticket]]) -> None:
    world, made = seeded
    checked = found = 0
    with world.store() as uow:
        for used in itertools.product((0, 1), repeat=len(FILTERS)):
            for statuses in STATUS_SETS:
                # The same shape twice, other values: the statement is reused, not its values.
                for other, limit, offset in ((False, 20, 0), (True, 3, 2)):
                    q = _query(world, used, statuses, other, limit, offset)
                    got = [t.id for t in uow.tickets.list(q)]
                    assert got == _expected(made, q, statuses), (q, got)
                    checked += 1
                    found += len(got)
    assert checked == 2 ** len(FILTERS) * len(STATUS_SETS) * 2
    assert found > 300  # not a test of empty pages


def test_pending_approvals_listing_as_the_chat_asks_it(
        seeded: tuple[World, list[Ticket]]) -> None:
    """The chat's session start: a customer's tickets awaiting approval (a tab of one status)."""
    world, made = seeded
    with world.store() as uow:
        for requester in (world.carla, world.joao, world.rita):
            q = TicketQuery(tab=Tab.AWAITING_APPROVAL, requester_id=requester, limit=20)
            got = [t.id for t in uow.tickets.list(q)]
            assert got == _expected(made, q, [Status.AWAITING_APPROVAL])
            assert got
            full = uow.tickets.list(q)
            assert full == [t for t in sorted(made, key=lambda t: (t.opened_at, t.id),
                                              reverse=True) if t.id in got]
