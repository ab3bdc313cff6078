"""The agents' queue in the chat (R12): critical first, then first come, first served."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.models import CriticalReason, Priority
from core.services import handling


def critical(world, who="carla", **fields):
    """A critical ticket: the company is stopped."""
    return world.open(who, priority=Priority.CRITICAL,
                      critical_reason=CriticalReason.AREA_STOPPED, **fields)


def queue_shown(world, who="ana"):
    """An agent's chat showing the queue, opened from the menu."""
    chat = chat_for(world, who)
    chat.send("oi")
    chat.click(pt("conv.menu.queue"))
    assert chat.state().step == "queue.view"
    return chat


def test_r12_the_queue_puts_yesterdays_critical_ticket_above_todays_standard_ones(world):
    older = world.open("carla", assunto="Relatório de estoque sem totais")
    world.advance(hours=2)
    yesterday = critical(world, "rival", assunto="Não emite NF-e")
    world.advance(days=1)
    today = world.open("joao", assunto="Cadastro de cliente duplicado")
    world.advance(minutes=30)
    chat = queue_shown(world)
    lines = chat.prompt.text.splitlines()
    order = [next(i for i, line in enumerate(lines) if t.number in line)
             for t in (yesterday, older, today)]
    assert order == sorted(order)  # critical first, then the oldest standard one
    assert pt("conv.queue.header", total=3, page=1, pages=1) in chat.prompt.text
    line = lines[order[0]]
    assert line.startswith("🚨 ")
    assert "Loja Rival" in line
    assert "Não emite NF-e" in line
    assert pt("conv.queue.days", days=1) in line  # it has waited a day
    assert pt("conv.queue.minutes", minutes=30) in lines[order[2]]
    assert "Mercado Exemplo" in lines[order[1]]
    assert pt("conv.queue.days", days=1) in lines[order[1]]
    assert chat.labels[:3] == [f"🚨 {yesterday.number}", older.number, today.number]


def test_r12_a_ticket_picked_in_the_queue_opens_its_page_and_goes_back_to_the_queue(world):
    ticket = critical(world)
    chat = queue_shown(world)
    chat.click(ticket.number)
    assert chat.state().step == "ticket.view"
    assert ticket.assunto in chat.prompt.text
    assert pt("conv.staff.take") in chat.labels  # the agent can pick it up from here
    chat.click(pt("conv.ticket.back_to_queue"))
    assert chat.state().step == "queue.view"
    assert ticket.number in chat.prompt.text


def test_r12_the_queue_shows_who_has_a_ticket_taken(world):
    taken = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["bruno"], taken.id)
    chat = queue_shown(world)
    line = next(x for x in chat.prompt.text.splitlines() if taken.number in x)
    assert pt("conv.queue.with", name="Bruno Suporte") in line


def test_the_queue_pages_through_a_long_line(world):
    opened = [world.open("carla", assunto=f"Problema número {n}") for n in range(7)]
    chat = queue_shown(world)
    assert pt("conv.queue.header", total=7, page=1, pages=2) in chat.prompt.text
    assert opened[5].number not in chat.prompt.text
    chat.click(pt("conv.list.next"))
    assert pt("conv.queue.header", total=7, page=2, pages=2) in chat.prompt.text
    assert opened[5].number in chat.prompt.text
    assert opened[0].number not in chat.prompt.text
    chat.click(pt("conv.list.prev"))
    assert opened[0].number in chat.prompt.text


def test_an_empty_queue_says_so(world):
    chat = queue_shown(world)
    assert pt("conv.queue.empty") in chat.prompt.text
    chat.click(pt("conv.menu.back"))
    assert chat.state().step == "menu.main"


def test_the_queue_is_typed_too(world):
    ticket = world.open("carla")
    for typed in ("fila", "/fila", "fila de atendimento", "próximo ticket", "ver a fila"):
        chat = chat_for(world, "ana")
        chat.send("menu")
        chat.send(typed)
        assert chat.state().step == "queue.view", typed
        assert ticket.number in chat.prompt.text


def test_the_coordinator_has_the_queue_too(world):
    chat = chat_for(world, "coord")
    chat.send("oi")
    assert chat.labels[0] == pt("conv.menu.queue")


def test_customers_get_no_queue(world):
    world.open("joao")
    chat = chat_for(world, "carla")
    chat.send("oi")
    assert pt("conv.menu.queue") not in chat.labels
    chat.send("fila")
    assert pt("conv.queue.staff_only") in chat.text
    assert chat.state().step != "queue.view"
