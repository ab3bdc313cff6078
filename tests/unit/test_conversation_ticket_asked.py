"""R6, R13: a customer's question about a ticket's prazo or responsible ("qual o prazo do
0004?", "quem está cuidando?") is answered from the ticket: at the menu it shows the ticket
(it was offered as a new ticket), at the ticket's page the answer comes before the words are
offered as its trâmite."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from fakes.chat import chat_for, pt

from core.conversation.intents import aspect_asked, command
from core.conversation.replies import Command
from core.services import closing, handling


@pytest.mark.parametrize(("text", "expected"), [
    ("qual o prazo do 0004?", (Command.TICKET, "0004")),
    ("quem está cuidando do 0003?", (Command.TICKET, "0003")),
    ("quando vai ficar pronto o chamado 4?", (Command.TICKET, "4")),
    ("qual a previsão do 202612/0004?", (Command.TICKET, "202612/0004")),
    ("who is handling ticket 9?", (Command.TICKET, "9")),
    ("when will 0004 be ready?", (Command.TICKET, "0004")),
])
def test_r13_a_question_about_a_numbered_tickets_prazo_names_the_ticket(text, expected):
    assert command(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("qual o prazo do meu chamado?", (Command.TICKETS, "abertos")),
    ("quando vai ficar pronto meu chamado?", (Command.TICKETS, "abertos")),
    ("quem está cuidando do meu ticket?", (Command.TICKETS, "abertos")),
    ("when will my ticket be ready?", (Command.TICKETS, "abertos")),
    ("qual o prazo do chamado da nota fiscal?", (Command.TICKETS, "abertos nota fiscal")),
])
def test_r13_a_question_about_ones_tickets_prazo_lists_the_open_ones(text, expected):
    """Offered as a new ticket before; the open tickets' list shows each one's prazo."""
    assert command(text) == expected


def test_r13_a_matter_naming_a_prazo_is_still_a_matter():
    assert command("o prazo do meu chamado venceu e o caixa continua parado") is None


@pytest.mark.parametrize("text", [
    "quando emito a nota 4 dá erro",  # a matter with a number in it
    "o caixa 2 não abre",
    "bom dia 4",
    "o prazo de entrega do pedido 4 venceu",  # a sales order's
])
def test_r13_a_matter_with_a_number_names_no_ticket(text):
    assert command(text) is None


@pytest.mark.parametrize(("text", "aspect"), [
    ("quando vai ficar pronto?", "due"),
    ("qual a previsão de entrega?", "due"),
    ("quem está cuidando disso?", "who"),
    ("who is handling it?", "who"),
    ("when will it be done?", "due"),
    ("o sistema não emite a nota", None),
    ("obrigado", None),
    ("quando abro o caixa dá erro", None),
])
def test_r13_what_a_question_at_a_tickets_page_asks(text, aspect):
    assert aspect_asked(text) == aspect


def on_page(world, ticket, who="carla"):
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    return chat


def test_r13_the_prazo_asked_at_the_menu_shows_the_ticket(world):
    ticket = world.open("carla", assunto="Reajuste zera a parcela")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"qual o prazo do {ticket.number[-4:]}?")  # offered as a new ticket before
    assert chat.state().step == "ticket.view"
    assert "Reajuste zera a parcela" in chat.text


def test_r6_r13_the_prazo_and_the_responsible_asked_at_the_page_are_answered_then_offered(
        world):
    ticket = world.open("carla")
    chat = on_page(world, ticket)
    chat.send("quando vai ficar pronto?")
    assert pt("conv.ticket.asked_due", number=ticket.number,
              due=pt("conv.ticket.no_due"),  # nobody took it yet
              ending=pt("conv.ticket.asked_send")) in chat.text
    assert pt("conv.tramite.offer", number=ticket.number) in chat.prompt.text
    assert "quando vai ficar pronto?" in chat.prompt.text  # still theirs to send
    chat.send("descartar")
    taken = world.run(handling.take, world.ids["ana"], ticket.id)
    chat.send("quem está cuidando?")
    assert pt("conv.ticket.asked_who", number=ticket.number,
              assignee="Ana Atendente", ending=pt("conv.ticket.asked_send")) in chat.text
    chat.send("e o prazo?")  # joins the words on offer, answered too
    assert taken.due_at is not None
    due = taken.due_at.astimezone(ZoneInfo("America/Sao_Paulo")).strftime("%d/%m/%Y %H:%M")
    assert pt("conv.ticket.asked_due", number=ticket.number, due=due,
              ending=pt("conv.ticket.asked_send")) in chat.text
    chat.click(pt("conv.tramite.send_said"))
    assert world.ticket(ticket.id).status == taken.status


def test_r19_the_prazo_asked_of_a_solution_awaiting_approval_says_it_awaits_them(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido na 2026.12",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("quando fica pronto?")
    assert pt("conv.ticket.asked_awaiting", number=ticket.number,
              ending=pt("conv.ticket.asked_send")) in chat.text


def test_r7_a_question_naming_another_ticket_is_not_joined_to_the_words_on_offer(world):
    first = world.open("carla", assunto="Reajuste zera a parcela")
    other = world.open("carla", assunto="Relatório de margem")
    chat = on_page(world, first)
    chat.send("o valor continua zerado")
    chat.send(f"quem está cuidando do {other.number[-4:]}?")
    assert chat.replies[0].text == pt("conv.error.busy_tramite",
                                      command=f"quem está cuidando do {other.number[-4:]}?")
    assert chat.state().data["tramite"]["said"] == "o valor continua zerado"


def test_r7_an_agents_question_at_a_page_is_their_message_to_the_customer_unanswered(world):
    ticket = world.open("carla")
    chat = on_page(world, ticket, "ana")
    chat.send("qual o prazo?")  # asked of the customer, say: no answer of the page's own
    assert "Prazo de entrega do ticket" not in chat.text
    assert pt("conv.tramite.offer_staff", number=ticket.number) in chat.prompt.text
