"""The agents' queue in the chat (R12): critical first, then first come, first served."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
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
    world.advance(minutes=30)  # Wednesday 12:30: lunch, no business time since it was opened
    chat = queue_shown(world)
    lines = chat.prompt.text.splitlines()
    order = [next(i for i, line in enumerate(lines) if t.number in line)
             for t in (yesterday, older, today)]
    assert order == sorted(order)  # critical first, then the oldest standard one
    assert pt("conv.queue.header", total=3, unassigned=3, page=1, pages=1) in chat.prompt.text
    line = lines[order[0]]
    assert line.startswith("🚨 ")
    assert "Loja Rival" in line
    assert "Não emite NF-e" in line
    assert pt("conv.queue.days", days=1) in line  # a business day: Tuesday 13:30 to Wed 12:00
    assert pt("conv.queue.after_hours") in lines[order[2]]
    assert "Mercado Exemplo" in lines[order[1]]
    assert pt("conv.queue.days", days=1) in lines[order[1]]
    assert chat.labels[:3] == [f"🚨 {yesterday.number}", older.number, today.number]


def sao_paulo(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A moment of 2026 in São Paulo (UTC-3 all year)."""
    return datetime(2026, month, day, hour + 3, minute, tzinfo=UTC)


def line_of(chat, ticket):
    """The queue's line about a ticket."""
    return next(x for x in chat.prompt.text.splitlines() if ticket.number in x)


def test_r14_the_queue_counts_the_wait_in_business_time_only(world):
    """A weekend, the nights and the lunch break are not waiting time: Friday 17:00 to
    Monday 09:00 is 2 business hours, not 2 days (R14: Mon–Fri 08:00–12:00, 13:30–18:00)."""
    world.now = sao_paulo(27, 17)  # Friday
    friday = world.open("carla", assunto="Boleto sem código de barras")
    world.now = sao_paulo(28, 11)  # Saturday
    saturday = world.open("rival", assunto="Pedido travado no caixa")
    chat = queue_shown(world)
    assert pt("conv.queue.after_hours") in line_of(chat, saturday)
    assert "aberto fora do horário de atendimento" in line_of(chat, saturday)
    assert pt("conv.queue.hours", hours=1) in line_of(chat, friday)  # Friday 17:00–18:00
    world.now = sao_paulo(30, 8, 35)  # Monday
    monday = world.open("joao", assunto="Etiqueta de preço cortada")
    world.now = sao_paulo(30, 9)
    chat = queue_shown(world, "bruno")
    assert "há 2 horas úteis" in line_of(chat, friday)
    assert pt("conv.queue.hours", hours=1) in line_of(chat, saturday)  # Monday 08:00–09:00
    assert "há 25 minutos úteis" in line_of(chat, monday)
    world.now = sao_paulo(2, 10, month=12)  # Wednesday: Fri 1 h, Mon and Tue 8 h 30, Wed 2 h
    chat = queue_shown(world, "coord")
    assert "há 2 dias úteis" in line_of(chat, friday)  # 20 business hours, 5 days of clock


def test_r14_a_holiday_does_not_count_as_waiting(world):
    world.now = sao_paulo(20, 10, month=4)  # Monday 20/04/2026; Tiradentes on Tuesday
    ticket = world.open("carla")
    world.now = sao_paulo(22, 10, month=4)  # Wednesday: 6 h 30 on Monday, 2 h today
    chat = queue_shown(world)
    assert pt("conv.queue.days", days=1) in line_of(chat, ticket)
    assert "há 1 dia útil" in line_of(chat, ticket)


def test_r12_the_queue_tells_which_tickets_nobody_has_taken(world):
    free = world.open("carla", assunto="Relatório sem totais")
    taken = world.open("joao", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["bruno"], taken.id)
    chat = queue_shown(world)
    assert pt("conv.queue.header", total=2, unassigned=1, page=1, pages=1) in chat.prompt.text
    assert "Fila de atendimento: 2 tickets, 1 sem responsável." in chat.prompt.text
    assert line_of(chat, free).endswith(pt("conv.queue.unassigned"))
    assert pt("conv.queue.unassigned") not in line_of(chat, taken)
    world.run(handling.take, world.ids["ana"], free.id)
    chat = queue_shown(world, "bruno")
    assert pt("conv.queue.header.all_taken", total=2, page=1, pages=1) in chat.prompt.text
    assert pt("conv.queue.unassigned") not in chat.prompt.text


def test_r12_the_agents_greeting_tells_what_the_queue_shows(world):
    """The greeting counts the queue's tickets (every open one not awaiting approval, taken or
    not) and how many nobody has taken, as the queue's header does."""
    chat = chat_for(world, "ana")
    chat.send("oi")
    assert pt("conv.welcome_staff.empty", name="Ana") in chat.text
    only = world.open("carla")
    chat = chat_for(world, "bruno")
    chat.send("oi")
    assert "Na fila: 1 ticket, ainda sem responsável." in chat.text
    world.run(handling.take, world.ids["ana"], only.id)
    world.open("joao")
    world.open("rival")
    chat = chat_for(world, "coord")
    chat.send("oi")
    assert pt("conv.welcome_staff", name="Anderson", total=3, unassigned=2) in chat.text
    chat.click(pt("conv.menu.queue"))
    assert pt("conv.queue.header", total=3, unassigned=2, page=1, pages=1) in chat.prompt.text


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
    assert pt("conv.queue.header", total=7, unassigned=7, page=1, pages=2) in chat.prompt.text
    assert opened[5].number not in chat.prompt.text
    chat.click(pt("conv.list.next"))
    assert pt("conv.queue.header", total=7, unassigned=7, page=2, pages=2) in chat.prompt.text
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


def test_r12_assumir_o_proximo_takes_the_queues_next_ticket_nobody_has(world):
    """The agent takes the next ticket from the queue in one click, critical first, then the
    oldest nobody has; its page follows, saying so; with none left the button is gone."""
    older = world.open("carla", assunto="Relatório de estoque sem totais")
    world.advance(minutes=10)
    urgent = critical(world, assunto="Não emite notas")
    chat = queue_shown(world)
    chat.click(pt("conv.queue.take_next"))
    assert pt("conv.queue.took_next", number=urgent.number) in chat.text
    assert chat.state().step == "ticket.view"
    assert world.ticket(urgent.id).assignee_id == world.ids["ana"]
    chat.click(pt("conv.ticket.back_to_queue"))
    world.advance(seconds=10)
    chat.send("Assumir o próximo")  # typed as its label
    assert world.ticket(older.id).assignee_id == world.ids["ana"]
    chat.send("fila")
    assert pt("conv.queue.take_next") not in chat.labels  # every ticket has someone


@pytest.mark.parametrize("typed", ["assumir o próximo", "pegar o próximo da fila",
                                   "Assumo o próximo ticket", "take the next one", "fila próximo",
                                   "/fila proximo"])
def test_r12_an_agent_takes_the_next_ticket_in_words_from_the_menu(world, typed):
    """'assumir o próximo' typed at the menu searched the tickets for those words (none)."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed)
    assert pt("conv.queue.took_next", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).assignee_id == world.ids["ana"]
    assert chat.state().step == "ticket.view"


def test_r12_take_next_in_words_with_nothing_left_says_so_and_takes_nothing(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["bruno"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("pegar o próximo")
    assert pt("error.queue_nothing_new") in chat.text
    assert world.ticket(ticket.id).assignee_id == world.ids["bruno"]


def test_r12_a_customer_saying_assumir_o_proximo_takes_nothing(world):
    ticket = world.open("joao")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("assumir o próximo")
    assert world.ticket(ticket.id).assignee_id is None
    assert chat.state().step != "ticket.view"


def test_r12_an_agents_bare_fila_at_a_solution_being_written_keeps_it(world):
    """'fila' typed at 'escreva outra para substituí-la' replaced the solution with 'fila';
    typed at a trâmite waiting to be sent it joined the message to the customer. It is the
    queue's word, refused there as 'menu' is, the text kept."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.send_solution"))
    chat.send("Corrigido na 2026.12")
    chat.click(pt("conv.tramite.back"))
    assert chat.state().step == "ticket.solution"
    chat.send("fila")
    assert chat.state().data["solution"]["text"] == "Corrigido na 2026.12"
    assert chat.state().step == "ticket.solution"
    chat.click(pt("conv.staff.discard_solution"))
    chat.send("Vou verificar hoje")
    chat.send("fila")
    assert chat.state().data["tramite"]["said"] == "Vou verificar hoje"
    assert chat.replies[0].text == pt("conv.error.busy_tramite", command="fila")


@pytest.mark.parametrize("typed", ["assumir 1", "asumir 1", "pego o 1", "assumir 202611/0001"])
def test_r12_assumir_and_a_number_at_the_queue_shows_that_ticket_never_takes_the_next(
        world, typed):
    """At the queue, 'assumir 1' (the ticket ending in /0001) took the queue's next, a critical
    ticket opened later: its words matched the Assumir o próximo button, the number unread.
    It now shows ticket 1's page, Assumir on it, as 'assumir 0004' at the menu does; nothing
    is taken."""
    first = world.open("carla", assunto="Relatório de estoque sem totais")
    world.advance(minutes=10)
    urgent = critical(world, "rival", assunto="Não emite NF-e")
    chat = queue_shown(world)
    chat.send(typed)
    assert chat.state().step == "ticket.view"
    assert "Relatório de estoque sem totais" in chat.text
    assert world.ticket(urgent.id).assignee_id is None
    assert world.ticket(first.id).assignee_id is None


def test_r12_assumir_on_the_heads_page_then_assumir_o_proximo_takes_the_next(world):
    """Ana opened the queue's first ticket, pressed Assumir on its page, went back to the queue
    and pressed Assumir o próximo within seconds: she was told 'um segundo toque em Assumir o
    próximo não pega outro' (she had pressed it once) and nothing was taken. The next is
    taken; Assumir o próximo pressed twice still takes one."""
    first = world.open("carla", assunto="Primeiro na fila")
    world.advance(minutes=5)
    second = world.open("carla", assunto="Segundo na fila")
    world.advance(minutes=5)
    third = world.open("carla", assunto="Terceiro na fila")
    chat = queue_shown(world)
    chat.click(first.number)
    chat.click(pt("conv.staff.take"))
    assert world.ticket(first.id).assignee_id == world.ids["ana"]
    chat.click(pt("conv.ticket.back_to_queue"))
    chat.click(pt("conv.queue.take_next"))
    assert pt("conv.queue.took_next", number=second.number) in chat.text
    assert world.ticket(second.id).assignee_id == world.ids["ana"]
    chat.click(pt("conv.ticket.back_to_queue"))
    chat.click(pt("conv.queue.take_next"))  # a moment later: pressed twice
    assert pt("error.just_took", number=second.number) in chat.text
    assert world.ticket(third.id).assignee_id is None
