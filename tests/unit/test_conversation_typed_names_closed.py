"""R7, R19, R21: a message at the menu naming one of the customer's tickets ("o problema do
ticket 9 voltou") — a closed one is cited by the new ticket (it cannot be reopened), an open one
is offered its trâmite, also by the end of its number; both were offered as a bare new ticket."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.services import closing, handling


def closed_ticket(world):
    ticket = world.open("carla", assunto="PDV não emite NF")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Certificado renovado.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], ticket.id)
    return ticket


def test_r21_a_closed_ticket_named_by_its_end_is_cited_by_the_new_ticket(world):
    ticket = closed_ticket(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    said = f"o problema do ticket {ticket.seq} voltou, o pdv parou de novo de emitir nota"
    chat.send(said)
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text
    chat.click(pt("conv.typed.open"))
    descricao = chat.state().data["intake"]["draft"]["descricao"]
    assert descricao == pt("conv.typed.follows", number=ticket.number) + "\n" + said


def test_r21_a_closed_ticket_named_by_its_whole_number_is_cited_too(world):
    ticket = closed_ticket(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"o erro do {ticket.number} voltou a acontecer hoje")
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text


def test_r7_an_open_ticket_named_by_its_end_is_offered_its_tramite(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"sobre o chamado {ticket.seq}: o boleto de hoje também saiu errado")
    assert pt("conv.typed.add_to", number=ticket.number) in chat.labels


def test_r7_another_companys_ticket_named_is_neither_cited_nor_offered(world):
    theirs = world.open("rival", assunto="Outra empresa")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"o problema do ticket {theirs.seq} voltou, o pdv parou de novo")
    assert theirs.number not in chat.prompt.text
    assert [c for c in chat.labels if theirs.number in c] == []


def test_r7_an_open_ticket_named_by_its_padded_end_alone_is_offered_and_said(world):
    """"pode fechar o 0004, já resolvi" was offered as a new ticket, nothing said of 0004;
    an end written as the number writes it (four digits, a zero first) names the ticket, and
    the offer says which one is open."""
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    said = f"pode fechar o {ticket.seq:04d}, já resolvi"
    chat.send(said)
    assert chat.prompt.text == pt("conv.typed.offer_named", text=said, number=ticket.number,
                                  assunto="Boleto com vencimento errado")
    assert chat.labels[0] == pt("conv.typed.add_to", number=ticket.number)
    chat.click(pt("conv.typed.add_to", number=ticket.number))
    assert f"Carla Souza: {said}" in chat.prompt.text  # its trâmite now, on its page


def test_r7_numbers_that_are_no_tickets_end_name_none(world):
    ticket = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    for said in (f"o valor foi R$ 1,{ticket.seq:04d}", f"a loja {ticket.seq} não abre",
                 "a nota 0123 deu rejeição"):
        chat.send(said)
        assert chat.prompt.text.startswith(pt("conv.typed.offer", text=said))  # + an article (R9)
        chat.send("menu")
