"""The team's Resumo says what waits on it (R12, R13): how many tickets nobody has yet and how
many are past their prazo, each one tap from its list; it gave only the counts by status."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.services import handling


def staff_summary(world, who="ana"):
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send("resumo")
    assert chat.state().step == "summary.view"
    return chat


def test_r12_r13_the_team_summary_counts_nobodys_and_overdue_tickets(world):
    nobodys = world.open("carla", assunto="Boleto com vencimento errado")
    late = world.open("carla", assunto="Pedido não confirma")
    world.run(handling.take, world.ids["bruno"], late.id)
    world.advance(days=6)  # past the Padrão prazo of 5 days (R13)
    chat = staff_summary(world)
    assert pt("conv.summary.staff", unassigned=1, overdue=1) in chat.prompt.text
    chat.click(pt("conv.summary.overdue"))
    assert late.number in chat.prompt.text
    assert nobodys.number not in chat.prompt.text
    chat.send("resumo")
    chat.click(pt("conv.menu.queue"))
    assert chat.state().step == "queue.view"
    assert nobodys.number in chat.prompt.text


def test_r12_nothing_waiting_offers_no_empty_list(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = staff_summary(world, "coord")
    assert pt("conv.summary.staff", unassigned=0, overdue=0) in chat.prompt.text
    assert pt("conv.menu.queue") not in chat.labels
    assert pt("conv.summary.overdue") not in chat.labels


def test_r9_a_customers_summary_says_nothing_of_the_team(world):
    world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("resumo")
    assert pt("conv.summary.staff", unassigned=1, overdue=0) not in chat.prompt.text
    assert pt("conv.summary.overdue") not in chat.labels


def test_r13_atrasados_typed_at_the_summary_shows_the_overdue_even_with_none(world):
    """With no overdue ticket (no Atrasados button), 'atrasados' typed at the team's Resumo
    was 'Não entendi'; at the menu the same word shows the list."""
    world.open("carla")
    chat = staff_summary(world)
    assert pt("conv.summary.overdue") not in chat.labels
    chat.send("atrasados")
    assert chat.state().step == "work.view"
    assert pt("conv.error.choose") not in chat.text


def test_r8_an_agents_search_typed_at_the_summary_lists_what_it_finds(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    chat = staff_summary(world)
    chat.send("boleto vencimento")
    assert chat.state().step in ("list.view", "ticket.view")
    assert ticket.number in chat.text
