"""R12, R13 (§8): a critical ticket's answer may be a workaround (solução de contorno, a
paliativo) until the definitive fix. There was no way to send one: an agent either sent it as
the solution (the ticket awaited approval as if fixed) or the ticket, whose urgency was met,
showed overdue a day later while it waited for development. Now the agent sends a workaround:
the customer is told it is one and that the definitive fix follows; the ticket stays open,
not awaiting approval; its critical prazo is met, and the definitive fix is due within the
Padrão prazo from the same assignment (a choice for the team to confirm, README). On the
memory store and both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from core.errors import InvalidTransition, NotAllowed
from core.i18n import render_notification
from core.models import CriticalReason, EntryKind, Priority, Status
from core.services import closing, handling, sweeps, workaround, worklists

WORKAROUND = "Emita as notas em contingência (Fiscal / NF-e / Contingência) até a correção."


def sp(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    """A São Paulo wall-clock moment of 2026 (UTC-3) as UTC."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def critical(world: Any) -> Any:
    """Carla cannot issue notas fiscais: critical, taken by Ana on Tuesday 01/12 09:00 (due
    Wednesday 09:00)."""
    world.now = sp(1, 12, 9)
    ticket = world.open("carla", assunto="Não consigo emitir NF-e", priority="critico",
                        critical_reason="area_parada")
    ticket = world.ticket(ticket.id)
    if ticket.priority != Priority.CRITICAL:
        world.run(handling.set_priority, world.ids["coord"], ticket.id, Priority.CRITICAL,
                  CriticalReason.AREA_STOPPED)
    world.run(handling.take, world.ids["ana"], ticket.id)
    assert world.ticket(ticket.id).due_at == sp(2, 12, 9)
    return ticket


def sent(world: Any) -> Any:
    ticket = critical(world)
    world.now = sp(1, 12, 11)
    world.run(workaround.send_workaround, world.ids["ana"], ticket.id, WORKAROUND)
    return ticket


def test_r12_the_workaround_reaches_the_customer_as_one_and_the_ticket_stays_open(world):
    ticket = sent(world)
    stored = world.ticket(ticket.id)
    assert stored.status == Status.IN_PROGRESS
    assert (stored.awaiting_since, stored.decision) == (None, None)
    entries = world.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
    assert [e.text for e in entries if e.kind == EntryKind.PUBLIC][-1] == WORKAROUND
    told = [m for m in world.outbox() if m.kind == "ticket.workaround"]
    assert told, "the customer was not told"
    assert all("approval" not in m.kind for m in world.outbox())
    _, pt = render_notification(told[0].kind, told[0].params, "pt_BR")
    assert WORKAROUND in pt
    assert "solução de contorno" in pt
    assert "solução definitiva" in pt
    _, en = render_notification(told[0].kind, told[0].params, "en")
    assert "workaround" in en
    assert "definitive fix" in en


def test_r12_r13_the_workaround_meets_the_critical_prazo(world):
    """The day's prazo is met; the definitive fix is due five days from the assignment."""
    ticket = sent(world)
    assert world.ticket(ticket.id).due_at == sp(6, 12, 9)
    world.now = sp(2, 12, 10)
    report = world.run(sweeps.run_all)
    assert report.overdue == 0
    assert world.run(worklists.overdue, world.ids["ana"]).tickets == []
    assert [m for m in world.outbox() if m.kind == "ticket.overdue"] == []
    world.now = sp(7, 12, 9)
    assert world.run(sweeps.run_all).overdue == 1  # the definitive fix is late by then


def test_r12_the_definitive_fix_is_sent_for_approval_as_any_solution(world):
    ticket = sent(world)
    world.now = sp(3, 12, 10)
    world.run(handling.forward_to_development, world.ids["ana"], ticket.id, "Erro na SEFAZ")
    world.run(handling.return_from_development, world.ids["ana"], ticket.id, "2026.11.3")
    world.run(closing.request_approval, world.ids["ana"], ticket.id,
              "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r12_only_the_team_sends_a_workaround_and_not_once_the_solution_is_sent(world):
    ticket = critical(world)
    with pytest.raises(NotAllowed):
        world.run(workaround.send_workaround, world.ids["carla"], ticket.id, WORKAROUND)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    with pytest.raises(InvalidTransition):
        world.run(workaround.send_workaround, world.ids["ana"], ticket.id, WORKAROUND)


def test_r12_r13_the_customers_notice_of_the_workaround_gives_the_new_prazo(world):
    """The workaround moved the prazo de entrega from Wednesday 09:00 (critical) to Sunday
    06/12 09:00 (the definitive fix's, Padrão): the notice said only that the fix follows,
    and Carla went on expecting it the next day. It names the date, as a priority's does."""
    ticket = sent(world)
    [told] = [m for m in world.outbox() if m.kind == "ticket.workaround"]
    _, pt = render_notification(told.kind, told.params, "pt_BR")
    assert "Prazo de entrega: 06/12/2026 09:00." in pt
    _, en = render_notification(told.kind, told.params, "en")
    assert "Delivery deadline:" in en
    assert world.ticket(ticket.id).due_at == sp(6, 12, 9)


def test_r12_an_older_workaround_notice_without_the_prazo_still_reads():
    _, text = render_notification("ticket.workaround", {
        "number": "202612/0001", "assunto": "x", "solution": "Use a contingência.",
        "author": "Ana"})
    assert "Use a contingência." in text
    assert "Prazo de entrega" not in text
