"""R12, R13 on PostgreSQL: the 'vence em breve' sweep reads, unlocked, every ticket whose
prazo is within the setting's window and warns those within their own (a quarter of the
prazo's business time). It read them FOR UPDATE: every sweep, every minute, row-locked each
critical ticket not yet due soon, so its transaction took an id (its COMMIT waited for a WAL
flush) and an agent's change to one of those tickets waited for the sweep."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from storage_world import T0, World

from core.models import Priority, Status
from core.policy import Policy
from core.services import sweeps
from core.services.context import Ctx
from storage.sql import SqlStore


def _taken(world: World, uow: Any, at: Any, priority: Priority, days: int) -> Any:
    return world.open(uow, at=at, status=Status.IN_PROGRESS, priority=priority,
                      assignee_id=world.ana, assigned_at=at, due_at=at + timedelta(days=days))


@pytest.mark.postgres
def test_r12_r13_a_sweep_with_nothing_due_soon_locks_no_ticket(new_db_url: Any) -> None:
    """Tuesday 24/11 11:00: a critical ticket taken at 10:00 (due Wednesday 10:00, 390 + 120
    business minutes left, more than its quarter of 127.5) is within the setting's 600 but not
    due soon; a Padrão one taken on Monday 23/11 is neither. No row is locked, no id taken;
    a critical one taken on Monday 23/11 at 10:00 and due now-ish is warned, with its lock."""
    store = SqlStore(new_db_url("postgres"))
    world = World(store)
    with store() as uow:
        critical = _taken(world, uow, T0, Priority.CRITICAL, 1)
        _taken(world, uow, T0 - timedelta(days=1), Priority.STANDARD, 5)
        uow.commit()
    now = T0 + timedelta(hours=1)
    with store() as uow:
        report = sweeps.SweepReport()
        sweeps.deadlines(Ctx(uow, now, Policy()), report)
        assert report.due_soon == 0
        assigned = uow.connection.execute(text("SELECT pg_current_xact_id_if_assigned()"))
        assert assigned.scalar_one() is None
    with store() as uow:
        report = sweeps.SweepReport()
        sweeps.deadlines(Ctx(uow, critical.due_at - timedelta(hours=1), Policy()), report)
        assert report.due_soon == 1
        uow.commit()
    with store() as uow:
        assert uow.tickets.read(critical.id).due_warnings_sent == 1
    store.dispose()
