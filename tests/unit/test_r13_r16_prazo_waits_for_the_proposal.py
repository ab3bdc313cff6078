"""R13, R16: a ticket Em estimativa whose commercial proposal (the quote of a service outside the
contract, R23) awaits the customer's approval waits on the customer, not on the team: its prazo
does not run while they decide, as it does not while a solution awaits approval (ca5c41f). It
ran: a proposal sent with four days of prazo left and answered a week later showed the ticket
overdue in the sweeps and in the team's overdue list meanwhile. It resumes when the customer
answers, authorizing or refusing. On the memory store and both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from core.services import billing, handling, sweeps, worklists

QUOTE = "8 h de análise, R$ 1.440,00"


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def sweep_at(world: Any, moment: datetime) -> Any:
    world.now = moment
    return world.run(sweeps.run_all)


def proposed(world: Any, in_estimate: bool = True) -> Any:
    """Carla asks for a new report; Ana takes it Monday 30/11 10:00 (due Saturday 05/12 10:00)
    and, on Tuesday 01/12 10:00 with four days left, sends it to triage and the proposal out."""
    world.now = sp(30, 11, 10)
    ticket = world.open("carla", assunto="Relatório de vendas por vendedor com margem")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.now = sp(1, 12, 10)
    if in_estimate:
        world.run(handling.move_to_estimate, world.ids["ana"], ticket.id, "Proposta enviada")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "nao_atendidas", QUOTE)
    return ticket


def overdue_numbers(world: Any) -> list[str]:
    return [k.number for k in world.run(worklists.overdue, world.ids["ana"]).tickets]


@pytest.mark.parametrize("authorized", [True, False], ids=["authorized", "refused"])
def test_r13_r16_the_prazo_waits_while_the_customer_decides_on_the_proposal(world, authorized):
    ticket = proposed(world)
    report = sweep_at(world, sp(7, 12, 9))
    assert (report.overdue, report.due_soon) == (0, 0)
    assert overdue_numbers(world) == []
    assert [m for m in world.outbox() if m.kind in ("ticket.overdue", "ticket.due_soon")] == []
    world.now = sp(8, 12, 10)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, authorized)
    assert world.ticket(ticket.id).due_at == sp(12, 12, 10)  # the four days left, from now
    assert (sweep_at(world, sp(8, 12, 10, 1)).overdue, overdue_numbers(world)) == (0, [])
    assert sweep_at(world, sp(11, 12, 11)).due_soon == 1  # the new date, told near it
    assert sweep_at(world, sp(14, 12, 8)).overdue == 1
    assert overdue_numbers(world) == [ticket.number]


def test_r13_r16_a_new_quote_while_the_customer_decides_keeps_the_whole_wait(world):
    """Requoted on Thursday: the wait still counts from Tuesday's proposal."""
    ticket = proposed(world)
    world.now = sp(3, 12, 10)
    world.run(billing.set_quote, world.ids["ana"], ticket.id, "6 h de análise, R$ 1.080,00")
    world.now = sp(8, 12, 10)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    assert world.ticket(ticket.id).due_at == sp(12, 12, 10)


def test_r13_r16_a_quote_on_a_ticket_being_worked_keeps_the_prazo_running(world):
    """Not Em estimativa: the team goes on working while the charge is asked (a guard)."""
    ticket = proposed(world, in_estimate=False)
    assert sweep_at(world, sp(7, 12, 9)).overdue == 1
    world.now = sp(8, 12, 10)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    assert world.ticket(ticket.id).due_at == sp(5, 12, 10)


def test_r13_r16_the_ticket_page_says_the_prazo_waits_for_the_customer(world):
    """The agent reading the page sees why the date has not come due; once answered, the
    date alone again."""
    from fakes.chat import chat_for, pt

    ticket = proposed(world)
    world.now = sp(7, 12, 9)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    paused = pt("conv.ticket.due_paused", due="05/12/2026 10:00")
    assert paused in chat.text
    world.now = sp(8, 12, 10)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    chat.send(f"ticket {ticket.number}")
    assert "Prazo de entrega: 12/12/2026 10:00" in chat.prompt.text
    assert pt("conv.ticket.due_paused", due="12/12/2026 10:00") not in chat.prompt.text
