"""R12: an agent's "sem responsável" lists the queue's tickets nobody has taken, in the queue's
order, as many as the Resumo's "Sem responsável" counts. It searched for the words: "Nenhum
ticket aqui" while the Resumo said 5."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Status
from core.services import handling


@pytest.mark.parametrize("typed", ["sem responsável", "sem responsavel", "tickets sem responsável",
                                   "não atribuídos", "livres", "unassigned"])
def test_r12_sem_responsavel_lists_the_tickets_nobody_has_taken(world, typed):
    first = world.open("carla", assunto="Impressora fiscal não imprime")
    taken = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.run(handling.take, world.ids["ana"], taken.id)
    second = world.open("joao", assunto="Boleto duplicado")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("resumo")
    assert pt("conv.summary.staff", unassigned=2, overdue=0) in chat.text
    chat.send("menu")
    chat.send(typed)
    assert chat.state().step == "work.view", chat.text
    assert chat.prompt.text.startswith(pt("conv.work.livres.header", total=2, page=1, pages=1))
    assert chat.labels[:2] == [first.number, second.number]  # the queue's order
    assert taken.number not in chat.prompt.text
    chat.click(first.number)
    assert chat.text.startswith(f"Ticket {first.number}")
    chat.click(pt("conv.staff.take"))
    chat.send("voltar")  # back from its page: the list, without it now
    assert chat.state().step == "work.view"
    assert chat.labels[:1] == [second.number]


def test_r12_with_every_ticket_taken_sem_responsavel_says_so(world):
    taken = world.open("carla")
    world.run(handling.take, world.ids["ana"], taken.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("sem responsável")
    assert chat.prompt.text == pt("conv.work.livres.empty")
    assert pt("conv.work.meus.button") in chat.labels


@pytest.mark.parametrize(("typed", "kind"), [("atrasados", "atrasados"),
                                             ("sem responsável", "livres"),
                                             ("aguardando cliente", "aprovacao"),
                                             ("meus", "meus")])
def test_r12_a_worklist_named_at_a_tickets_page_is_shown_not_offered_as_a_tramite(
        world, typed, kind):
    """'atrasados' at a ticket's page was offered as its public trâmite ('Envio como trâmite
    público…?'), as 'fila' there runs the queue."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send(typed)
    assert chat.state().step == "work.view", chat.text
    assert chat.state().data["work"]["kind"] == kind


@pytest.mark.parametrize("question", ["conv.ticket.add_tramite", "conv.staff.send_solution",
                                      "conv.staff.send_workaround"])
def test_r7_a_worklist_named_where_a_text_is_asked_is_never_sent(world, question):
    """'meus' at 'Escreva o trâmite para o ticket…' went to the customer as its trâmite."""
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt(question))
    chat.send("meus")
    assert chat.state().step == "work.view", chat.text
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert all(e.text != "meus" for e in entries)
    assert world.ticket(ticket.id).status == Status.IN_PROGRESS


def test_r7_a_worklist_named_while_a_tramite_waits_is_refused_not_joined(world):
    """'atrasados' with a trâmite on offer joined it ('reabrir\\nmeus'), while 'fila' there
    is refused until the message is sent or dropped."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("O pedido 4431 foi liberado, pode testar?")
    assert chat.state().step == "ticket.said"
    chat.send("atrasados")
    assert chat.replies[0].text == pt("conv.error.busy_tramite", command="atrasados")
    assert "atrasados" not in chat.prompt.text
    assert chat.state().step == "ticket.said"
