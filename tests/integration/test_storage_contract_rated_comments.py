"""R20: the report's latest rating comments read alike in memory, on SQLite and on
PostgreSQL: one company's or every company's, of the marks asked, rated in the window,
newest first, at most the limit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from storage_world import T0, World

from core.models import Entry, EntryKind, Rating, Status


@pytest.fixture
def world(store: Any) -> World:
    """A seeded world on each store."""
    return World(store)


def _rated(world: World, uow: Any, company: int, rating: Rating, comment: str | None,
           minutes: int) -> int:
    """A closed ticket of the company rated `minutes` after T0, with its rating line."""
    requester = world.carla if company == world.a else world.rita
    ticket = world.open(uow, company=company, requester=requester, status=Status.CLOSED,
                        rating=rating, rating_comment=comment)
    uow.entries.add(Entry(ticket_id=ticket.id, kind=EntryKind.SYSTEM,
                          text=f"rated rating={rating.value}",
                          created_at=T0 + timedelta(minutes=minutes)))
    return ticket.id


def test_r20_latest_rating_comments_of_one_company_or_all(world: World) -> None:
    with world.store() as uow:
        early = _rated(world, uow, world.a, Rating.POOR, "antes da janela", -10)
        older = _rated(world, uow, world.a, Rating.TERRIBLE, "demorou", 1)
        _rated(world, uow, world.a, Rating.GOOD, "bom, mas caro", 2)  # not a low mark
        _rated(world, uow, world.a, Rating.POOR, None, 3)  # no comment
        rival = _rated(world, uow, world.b, Rating.POOR, "da rival", 4)
        newer = _rated(world, uow, world.a, Rating.POOR, "não resolveu", 5)
        _rated(world, uow, world.a, Rating.POOR, "depois da janela", 60)
        uow.commit()
    low = [Rating.POOR, Rating.TERRIBLE]
    since, until = T0, T0 + timedelta(minutes=30)
    with world.store() as uow:
        mine = uow.tickets.rated_comments(since, until, world.a, low, 10)
        every = uow.tickets.rated_comments(since, until, None, low, 10)
        one = uow.tickets.rated_comments(since, until, world.a, low, 1)
    assert [(c.ticket_id, c.comment, c.rating) for c in mine] == [
        (newer, "não resolveu", Rating.POOR), (older, "demorou", Rating.TERRIBLE)]
    assert mine[0].rated_at == T0 + timedelta(minutes=5)
    assert [c.ticket_id for c in every] == [newer, rival, older]
    assert [c.ticket_id for c in one] == [newer]
    assert early not in {c.ticket_id for c in every}
