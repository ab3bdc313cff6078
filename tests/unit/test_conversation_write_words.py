"""R7: words at a ticket's page that only say the user wants to write ("responder", "quero
comentar", "novo trâmite"; an agent's "nota interna"): the question for the text, never
those words offered as the trâmite."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t


def entries(world, ticket, with_notes=False):
    return [e.text for e in world.read(lambda uow: uow.entries.list(ticket.id, with_notes))]


@pytest.mark.parametrize("typed", ["responder", "Quero responder", "comentar",
                                   "adicionar trâmite", "novo trâmite", "escrever um comentário",
                                   "trâmite"])
def test_r7_a_customer_asking_to_write_is_asked_for_the_text(world, typed):
    """'responder' was offered as the trâmite ('Você escreveu: “responder”')."""
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send(typed)
    assert chat.state().step == "ticket.tramite"
    assert chat.prompt.text.startswith(pt("conv.tramite.ask", number=ticket.number))
    chat.send("Ainda dá erro na nota 4431")
    assert entries(world, ticket)[-1] == "Ainda dá erro na nota 4431"


@pytest.mark.parametrize("typed", ["preciso de uma resposta", "pode responder?",
                                   "responder o quê? já mandei o XML"])
def test_r7_a_message_about_answers_is_still_offered_as_the_tramite(world, typed):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send(typed)
    assert chat.state().step == "ticket.said"
    assert chat.state().data["tramite"]["said"] == typed


@pytest.mark.parametrize("typed", ["nota interna", "adicionar nota", "!nota"])
def test_r7_an_agent_asking_for_a_note_writes_one_the_customer_never_sees(world, typed):
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.send(typed)
    assert chat.prompt.text.startswith(pt("conv.tramite.ask_note", number=ticket.number))
    chat.send("Cliente usa certificado A1 vencido")
    assert pt("conv.tramite.note_added", number=ticket.number) in chat.text
    assert "Cliente usa certificado A1 vencido" in entries(world, ticket, with_notes=True)
    assert "Cliente usa certificado A1 vencido" not in entries(world, ticket)


def test_r7_an_agent_asking_to_reply_writes_to_the_customer(world):
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send(f"ticket {ticket.number}")
    chat.send("responder ao cliente")
    assert chat.prompt.text.startswith(pt("conv.tramite.ask_staff", number=ticket.number))
    chat.send("Pode me enviar o XML?")
    assert entries(world, ticket)[-1] == "Pode me enviar o XML?"


def test_r7_a_customers_nota_is_their_words_not_a_note(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("nota")
    assert chat.state().step != "ticket.tramite"


def test_r7_asking_to_write_reads_in_english(world):
    world.speaks("carla", "en")
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("I want to reply")
    assert chat.prompt.text.startswith(t("conv.tramite.ask", "en", number=ticket.number))
