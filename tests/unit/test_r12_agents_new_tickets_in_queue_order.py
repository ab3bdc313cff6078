"""R12: an agent's listing of the Novos tab showed the newest ticket first, while a queue is
worked first come, first served, a critical ticket (its urgency not yet met) ahead: the chat's
Novos now come in the queue's order, as Slack shows the team's new work (its queue, /ticket
fila and the App Home). A customer's own Novos stay newest first. On the memory store and
both databases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fakes.chat import chat_for, pt

from core.models import CriticalReason, Priority, Tab
from core.ports import TicketQuery
from core.services import handling, queries


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def three_new(world: Any) -> tuple[Any, Any, Any]:
    """The oldest standard ticket, a critical one opened after it, the newest standard one;
    and one taken (Em atendimento), not new."""
    older = world.open("carla", assunto="Relatório de estoque sem totais")
    world.advance(hours=1)
    urgent = world.open("rival", assunto="Não emite NF-e", priority=Priority.CRITICAL,
                        critical_reason=CriticalReason.AREA_STOPPED)
    world.advance(hours=1)
    newest = world.open("joao", assunto="Cadastro de cliente duplicado")
    world.advance(hours=1)
    taken = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], taken.id)
    return urgent, older, newest


def order_shown(chat: Any, tickets: tuple[Any, ...]) -> list[str]:
    lines = chat.prompt.text.splitlines()
    at = {t.number: next(i for i, line in enumerate(lines) if t.number in line)
          for t in tickets}
    return sorted(at, key=at.__getitem__)


@pytest.mark.parametrize("typed", ["novos", "tickets novos"])
def test_r12_an_agents_novos_come_in_the_queues_order(world: Any, typed: str) -> None:
    expected = three_new(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert order_shown(chat, expected) == [t.number for t in expected]
    assert chat.labels[:3] == [t.number for t in expected]
    assert pt("conv.list.queue_order") in chat.prompt.text
    chat.send("fila")  # the queue shows them in the same order
    assert order_shown(chat, expected) == [t.number for t in expected]


def test_r12_the_novos_tab_chosen_by_its_button_is_in_the_queues_order_too(world: Any) -> None:
    expected = three_new(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("tickets")
    chat.click(pt("conv.list.tab"))
    chat.click("Novos")
    assert chat.labels[:3] == [t.number for t in expected]


def test_r12_pages_of_the_agents_novos_follow_the_queue(world: Any) -> None:
    urgent, older, newest = three_new(world)
    ana = world.ids["ana"]
    query = TicketQuery(tab=Tab.NEW, queue_order=True)
    pages = [world.run(queries.list_tickets, ana, query, n, 2) for n in range(2)]
    assert [[k.number for k in p.tickets] for p in pages] == [
        [urgent.number, older.number], [newest.number]]
    assert pages[0].total == 3


def test_r12_a_customers_novos_stay_newest_first(world: Any) -> None:
    first = world.open("carla", assunto="Relatório de estoque sem totais")
    world.advance(hours=1)
    second = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("tickets novos")
    assert chat.labels[:2] == [second.number, first.number]
    assert pt("conv.list.queue_order") not in chat.prompt.text
