"""The team's Resumo counts what it shows (R12, R13): nobody's tickets and the overdue ones, each
one COUNT; it read a page of overdue rows and counted the whole queue, which it never showed.
The figures stay those of the worklists. On the memory store and both databases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fakes.chat import chat_for, pt
from fakes.statements import statements

from core.models import CriticalReason, Priority
from core.services import closing, handling, worklists


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def _seeded(world: Any) -> None:
    """Three taken tickets past their prazo (one critical), one awaiting the customer's
    approval since (not late: it waits on the customer, R13), two nobody has taken (no prazo
    yet: R13 counts it from the taking)."""
    late = [world.open("carla", assunto=f"Atrasado {n}") for n in range(3)]
    world.run(handling.take, world.ids["ana"], late[0].id)
    world.run(handling.take, world.ids["bruno"], late[1].id)
    critical = world.open("carla", assunto="Área parada")
    world.run(handling.set_priority, world.ids["ana"], critical.id, Priority.CRITICAL,
              CriticalReason.AREA_STOPPED)
    world.run(handling.take, world.ids["ana"], critical.id)
    waiting = world.open("carla", assunto="Com o cliente")
    world.run(handling.take, world.ids["ana"], waiting.id)
    world.run(closing.request_approval, world.ids["ana"], waiting.id, "Ajustado.",
              origin_id="erro_sistema")
    world.advance(days=6)  # past the Padrão prazo of 5 days (R13), the critical one's too
    world.open("carla", assunto="Recém-aberto")  # nobody's, within its prazo


def test_r12_r13_the_summary_shows_as_many_overdue_and_nobodys_as_the_worklists_hold(world):
    _seeded(world)
    ana = world.ids["ana"]

    def held(uow: Any) -> tuple[int, int]:
        ctx = _ctx(world, uow)
        return (worklists.overdue(ctx, ana, 50).total,
                worklists.queue_size(ctx, ana).unassigned)

    overdue, unassigned = world.read(held)
    assert (overdue, unassigned) == (3, 2)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("resumo")
    assert pt("conv.summary.staff", unassigned=2, overdue=3) in chat.prompt.text
    assert world.read(lambda uow: worklists.overdue_count(_ctx(world, uow), ana)) == 3
    assert world.read(lambda uow: worklists.unassigned_count(_ctx(world, uow), ana)) == 2


def test_r13_the_overdue_count_is_for_the_team_only(world):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        world.read(lambda uow: worklists.overdue_count(_ctx(world, uow), world.ids["carla"]))


def _ctx(world: Any, uow: Any) -> Any:
    from core.services.context import Ctx

    return Ctx(uow, world.now, world.policy)


def test_r12_r13_the_summary_counts_with_one_statement_each_and_reads_no_ticket(world):
    """Besides the counts by status: before, 4 statements (the whole queue counted, nobody's
    counted, a page of overdue rows read, the overdue counted); now nobody's and the overdue,
    one COUNT each."""
    if not hasattr(world.store, "engine"):
        pytest.skip("the memory store runs no statements")
    _seeded(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    with statements(world.store) as seen:
        chat.send("resumo")
    assert pt("conv.summary.staff", unassigned=2, overdue=3) in chat.prompt.text
    counted = [s for s in seen if "FROM tickets" in s or "FROM ticket_stats" in s]
    assert not [s for s in counted if "tickets.assunto" in s], counted  # no row read
    assert len(counted) == 3, counted  # the counts by status, nobody's, the overdue
