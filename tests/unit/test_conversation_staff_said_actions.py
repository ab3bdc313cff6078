"""An agent's ticket action typed while words for the ticket wait to be sent (R6, R7, R12):
acted on or refused, never joined to the words, and the words never lost."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.models import EntryKind, Status

WORDS = "João, qual a versão do PDV na loja 2?"


def words_waiting(world, who="ana", take=False):
    """An agent on a ticket's page with words typed for it, offered to send or discard."""
    ticket = world.open("carla")
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    if take:
        chat.click(pt("conv.staff.take"))
    chat.send(WORDS)
    assert chat.state().step == "ticket.said"
    return ticket, chat


def public_entries(world, ticket):
    return [e.text for e in world.read(lambda uow: uow.entries.list(ticket.id, True))
            if e.kind == EntryKind.PUBLIC]


def test_r6_assumir_typed_with_words_waiting_takes_the_ticket_and_the_words_still_wait(world):
    ticket, chat = words_waiting(world)
    chat.send("assumir")
    assert pt("conv.staff.taken", number=ticket.number) in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["ana"])
    assert chat.state().step == "ticket.said"
    assert WORDS in chat.prompt.text
    assert "assumir" not in chat.prompt.text
    chat.click(pt("conv.tramite.send_said"))
    assert public_entries(world, ticket) == [WORDS]


def test_r6_assumir_on_a_ticket_already_yours_says_so_instead_of_taking_it_again(world):
    ticket, chat = words_waiting(world, take=True)
    chat.send("assumir")
    assert pt("error.already_yours", number=ticket.number) in chat.text
    assert pt("conv.staff.taken", number=ticket.number) not in chat.text
    assert chat.state().step == "ticket.said"
    assert WORDS in chat.prompt.text


def test_r6_assumir_at_the_page_of_a_ticket_already_yours_says_so(world):
    ticket, chat = words_waiting(world, take=True)
    chat.click(pt("conv.tramite.send_said"))
    chat.send("assumir")
    assert pt("error.already_yours", number=ticket.number) in chat.text
    assert chat.state().step == "ticket.view"


def test_r12_enviar_solucao_typed_with_words_waiting_offers_them_as_the_solution(world):
    ticket, chat = words_waiting(world, take=True)
    chat.send("enviar solução")
    assert chat.state().step == "ticket.solution"
    assert WORDS in chat.prompt.text  # shown to keep or replace, nothing sent yet
    assert public_entries(world, ticket) == []
    chat.click(pt("conv.staff.keep_solution"))
    chat.click("Erro de sistema")
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert public_entries(world, ticket) == [WORDS]


def test_r12_an_internal_note_waiting_is_never_offered_as_the_solution(world):
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.take"))
    chat.send("!nota o cliente usa a versão antiga")
    assert chat.state().step == "ticket.said"
    chat.send("enviar solução")
    assert pt("conv.error.busy_tramite", command="enviar solução") in chat.text
    assert public_entries(world, ticket) == []


def test_r7_another_team_action_typed_with_words_waiting_is_refused_and_the_words_kept(world):
    ticket, chat = words_waiting(world, take=True)
    chat.send("Ações da equipe")
    assert pt("conv.error.busy_tramite", command="Ações da equipe") in chat.text
    chat.send("prioridade crítica")
    assert pt("conv.error.busy_tramite", command="prioridade crítica") in chat.text
    assert chat.state().step == "ticket.said"
    assert "Ações" not in chat.prompt.text
    assert "prioridade" not in chat.prompt.text
    chat.click(pt("conv.tramite.send_said"))
    assert public_entries(world, ticket) == [WORDS]
