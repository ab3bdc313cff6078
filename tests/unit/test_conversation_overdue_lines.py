"""R13: a listing's line says when an open ticket's prazo de entrega has passed (not while the
solution waits for the customer's approval); a customer's "meus tickets atrasados" shows their
open tickets, the late ones said so, instead of being offered as a new ticket."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import when
from core.services import closing, handling


def test_r13_a_late_ticket_says_so_in_the_listing_and_an_awaiting_one_does_not(world):
    late = world.open("carla", assunto="Pedido não confirma")
    solved = world.open("carla", assunto="Boleto errado")
    on_time = world.open("carla", assunto="Cadastro de cliente")
    for ticket in (late, solved):
        world.run(handling.take, world.ids["ana"], ticket.id)
    world.advance(days=6)  # past the Padrão prazo of 5 days
    world.run(handling.take, world.ids["ana"], on_time.id)
    chat = chat_for(world, "carla")
    chat.send("oi")  # the session began before the approval was asked (R10 offers it first)
    world.run(closing.request_approval, world.ids["ana"], solved.id, "Feito.", "erro_sistema")
    chat.send("meus tickets")
    lines = {line.split(" · ")[0]: line for line in chat.prompt.text.splitlines()
             if " · " in line}
    due = world.ticket(late.id).due_at
    assert pt("conv.list.due_late", due=when(due, "pt_BR", world.policy.timezone)) \
        in lines[late.number]
    assert "vencido" not in lines[solved.number]  # waits on the customer, not on the team
    assert "vencido" not in lines[on_time.number]


@pytest.mark.parametrize("typed", ["meus tickets atrasados", "algum ticket atrasado?",
                                   "atrasados"])
def test_r13_a_customer_asking_for_late_tickets_gets_the_open_ones(world, typed):
    """'meus tickets atrasados' was offered as a new ticket, its words as the descrição."""
    world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert pt("conv.typed.open") not in chat.labels
    assert "Abertos" in chat.prompt.text.splitlines()[0]


def test_r13_a_late_tickets_page_and_a_question_about_its_prazo_say_it_passed(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.advance(days=6)
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    due = when(world.ticket(ticket.id).due_at, "pt_BR", world.policy.timezone)
    assert pt("conv.ticket.due_late", due=due) in chat.text
    chat.send("quando vai ficar pronto?")
    assert pt("conv.ticket.asked_due", number=ticket.number,
              due=pt("conv.ticket.due_late", due=due),
              ending=pt("conv.ticket.asked_send")) in chat.text
