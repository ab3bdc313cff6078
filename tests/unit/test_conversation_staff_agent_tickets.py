"""R6, R12: "tickets da Ana" typed by the team lists the open tickets Ana has, as Slack's
/ticket agente Ana does. It searched for the words "da ana": "Nenhum ticket aqui"."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.services import handling


def two_agents_tickets(world):
    """Ana has one ticket, Bruno another; a third nobody has."""
    anas = world.open("carla", assunto="Impressora fiscal não imprime")
    world.run(handling.take, world.ids["ana"], anas.id)
    brunos = world.open("joao", assunto="Boleto duplicado")
    world.run(handling.take, world.ids["bruno"], brunos.id)
    nobodys = world.open("carla", assunto="Estoque negativo")
    return anas, brunos, nobodys


@pytest.mark.parametrize("typed", ["tickets da Ana", "tickets da ana", "chamados da Ana",
                                   "tickets da Ana Atendente", "da ana"])
def test_r6_an_agents_name_lists_the_open_tickets_that_agent_has(world, typed):
    anas, brunos, nobodys = two_agents_tickets(world)
    chat = chat_for(world, "coord")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "work.view", chat.text
    assert chat.prompt.text.startswith(
        pt("conv.work.agent.header", name="Ana Atendente", total=1, page=1, pages=1))
    assert anas.number in chat.labels
    assert brunos.number not in chat.prompt.text
    assert nobodys.number not in chat.prompt.text
    chat.click(pt("conv.work.meus.button"))  # the coordinator's own: none
    assert chat.prompt.text == pt("conv.work.meus.empty")


def test_r6_an_agents_own_name_is_their_own_worklist(world):
    anas, _, _ = two_agents_tickets(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("tickets da Ana")
    assert chat.state().data["work"]["kind"] == "meus"
    assert chat.prompt.text.startswith(pt("conv.work.meus.header", total=1, page=1, pages=1))


def test_r8_a_customers_name_still_lists_that_customers_tickets(world):
    anas, _, nobodys = two_agents_tickets(world)
    chat = chat_for(world, "bruno")
    chat.send("oi")
    chat.send("tickets da Carla")
    assert chat.state().step == "list.view"
    assert {anas.number, nobodys.number} <= set(chat.labels)


@pytest.mark.parametrize("screen", ["fila", "meus", "atrasados"])
@pytest.mark.parametrize("typed", ["tickets da Carla", "chamados da carla", "tickets do João"])
def test_r8_r12_a_customers_tickets_named_at_the_queue_or_a_worklist_lists_them(
        world, screen, typed):
    """At the queue, "tickets da Carla" was its Tickets button (every ticket, Carla's or
    not); at a worklist "Não entendi": the customer's tickets, as at the menu."""
    anas, brunos, nobodys = two_agents_tickets(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(screen)
    chat.send(typed)
    assert chat.state().step == "list.view", chat.text
    name = "João Lima" if "Jo" in typed else "Carla Souza"
    assert pt("conv.list.scope_person", name=name) in chat.prompt.text
    mine = {brunos.number} if "Jo" in typed else {anas.number, nobodys.number}
    assert set(chat.labels) & {anas.number, brunos.number, nobodys.number} == mine


def test_r12_words_of_a_worklist_or_a_colleague_at_the_queue_show_it(world):
    """"atrasados" or "tickets da Ana" at the queue: that worklist, as at the menu (the first
    was "Não entendi", the second the Tickets button)."""
    two_agents_tickets(world)
    chat = chat_for(world, "coord")
    chat.send("fila")
    chat.send("tickets da Ana")
    assert chat.prompt.text.startswith(
        pt("conv.work.agent.header", name="Ana Atendente", total=1, page=1, pages=1))
    chat.send("fila")
    chat.send("atrasados")
    assert chat.state().step == "work.view", chat.text
    assert chat.state().data["work"]["kind"] == "atrasados"


def test_r12_tickets_alone_at_the_queue_is_still_its_button(world):
    two_agents_tickets(world)
    chat = chat_for(world, "ana")
    chat.send("fila")
    chat.send("tickets")
    assert chat.state().step == "list.view"
    assert "Busca" not in chat.prompt.text
    assert len([n for n in chat.labels if n.startswith("20")]) == 3


@pytest.mark.parametrize("typed", ["meus tikets", "meus tickets", "meus chamados",
                                   "quero ver meus chamados", "my tickets"])
def test_r6_an_agents_meus_tickets_is_their_worklist(world, typed):
    """'meus tickets' gave every ticket of the desk (Carla's, Bruno's), not the agent's."""
    mine = world.open("carla", assunto="Impressora fiscal não imprime")
    world.run(handling.take, world.ids["ana"], mine.id)
    brunos = world.open("joao", assunto="Boleto duplicado")
    world.run(handling.take, world.ids["bruno"], brunos.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "work.view", chat.text
    assert chat.state().data["work"]["kind"] == "meus"
    assert mine.number in chat.labels
    assert brunos.number not in chat.prompt.text


@pytest.mark.parametrize("who", ["ana", "carla"])
def test_r6_the_end_of_a_number_typed_at_a_tickets_page_opens_that_ticket(world, who):
    """'0003' typed at ticket 0001's page was 'Não entendi' (at the menu it opens 0003, and
    '#3' at the page did): that ticket's page."""
    first, second = world.open("carla", assunto="Boleto duplicado"), world.open("carla")
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {first.number}")
    end = second.number.split("/")[1]
    chat.send(end)
    assert chat.state().step == "ticket.view", chat.text
    assert chat.prompt.text.startswith(f"Ticket {second.number}")


def test_r6_the_end_of_a_number_typed_at_a_worklist_opens_that_ticket(world):
    """'0001' typed at Ana's worklist (Com você) was 'Não entendi'; at the queue the end of a
    ticket's number opened it. Its page, back to the worklist; one not listed opens too."""
    anas, brunos, _ = two_agents_tickets(world)
    chat = chat_for(world, "ana")
    chat.send("meus")
    chat.send(anas.number.split("/")[1])
    assert chat.prompt.text.startswith(f"Ticket {anas.number}"), chat.text
    chat.click(pt("conv.ticket.back_to_list"))
    assert chat.state().step == "work.view"
    chat.send(brunos.number.split("/")[1])
    assert chat.prompt.text.startswith(f"Ticket {brunos.number}"), chat.text
