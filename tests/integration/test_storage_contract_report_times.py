"""R14: the report's times read alike in memory, on SQLite and on PostgreSQL: the tickets first
taken in the window (open or closed since), those closed in it (rejected duplicates apart) and
those opened in it nobody has taken, of one company or of all."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from storage_world import T0, World

from core.calendar import micros
from core.models import Decision, Priority, Status

H = timedelta(hours=1)


@pytest.fixture
def world(store: Any) -> World:
    """A seeded world on each store."""
    return World(store)


def _ticket(world: World, uow: Any, company: int | None = None, **fields: Any) -> None:
    requester = world.rita if company == world.b else world.carla
    opened = fields.pop("opened", T0 - 24 * H)
    world.open(uow, company=company or world.a, requester=requester, at=opened, **fields)


def test_r14_report_times_of_one_company_or_all(world: World) -> None:
    a, b, ana = world.a, world.b, world.ana
    with world.store() as uow:
        # taken in the window: one still open, one closed after the window, one of Loja Rival
        _ticket(world, uow, status=Status.IN_PROGRESS, assignee_id=ana,
                assigned_at=T0 + timedelta(minutes=10))
        _ticket(world, uow, status=Status.CLOSED, assignee_id=ana, priority=Priority.CRITICAL,
                assigned_at=T0 + timedelta(minutes=20, microseconds=7), closed_at=T0 + 5 * H,
                decision=Decision.APPROVED)
        _ticket(world, uow, b, status=Status.IN_PROGRESS, assignee_id=ana,
                assigned_at=T0 + timedelta(minutes=30))
        # taken before the window and closed in it: a solution, not a first response
        _ticket(world, uow, status=Status.CLOSED, assignee_id=ana, assigned_at=T0 - 2 * H,
                closed_at=T0 + timedelta(minutes=40), decision=Decision.APPROVED)
        _ticket(world, uow, status=Status.REJECTED, closed_at=T0 + timedelta(minutes=50))
        _ticket(world, uow, status=Status.IN_PROGRESS, assignee_id=ana, assigned_at=T0 + 2 * H)
        # opened in the window: one waiting, one back in the queue (taken before), one taken
        _ticket(world, uow, opened=T0 + timedelta(minutes=5))
        _ticket(world, uow, opened=T0 + timedelta(minutes=6), assigned_at=T0 + timedelta(
            minutes=7))
        _ticket(world, uow, b, opened=T0 + timedelta(minutes=8), status=Status.ESTIMATE)
        _ticket(world, uow, opened=T0 - H)  # waiting, opened before the window
        uow.commit()
    since, until = T0, T0 + H
    with world.store() as uow:
        mine = uow.tickets.report_times(since, until, a)
        every = uow.tickets.report_times(since, until, None)
        later = uow.tickets.report_times(since, T0 + 100 * H, a)
    day_before = T0 - 24 * H
    assert sorted(mine.taken) == [  # instants in microseconds since the epoch, exact
        (micros(day_before), micros(T0 + timedelta(minutes=10)), Priority.STANDARD),
        (micros(day_before), micros(T0 + timedelta(minutes=20, microseconds=7)),
         Priority.CRITICAL),
        (micros(T0 + timedelta(minutes=6)), micros(T0 + timedelta(minutes=7)),
         Priority.STANDARD)]
    assert len(every.taken) == 4
    assert mine.solved == [(micros(day_before), micros(T0 + timedelta(minutes=40)))]
    assert (mine.not_taken, every.not_taken) == (1, 2)
    assert (len(later.taken), len(later.solved)) == (4, 2)
