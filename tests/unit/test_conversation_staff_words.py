"""R6, R15: an agent typing a team action at a ticket's page ("repassar para o Bruno", "eu
assumo", "encaminhar ao desenvolvimento") gets that action; it was offered as a public trâmite,
one tap away from reaching the customer."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import EntryKind, Status


def page_of(world, ticket, who="ana"):
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    return chat


def public(world, ticket):
    return [e for e in world.read(lambda uow: uow.entries.list(ticket.id, True))
            if e.kind == EntryKind.PUBLIC]


@pytest.mark.parametrize("typed", ["repassar para o Bruno", "repassa pro bruno",
                                   "Transferir para Bruno Suporte", "assign to Bruno",
                                   "pass it to bruno", "repasar pro bruno"])
def test_r6_a_colleague_named_in_words_gets_the_ticket(world, typed):
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send(typed)
    assert pt("conv.staff.assigned", number=ticket.number, name="Bruno Suporte") in chat.text
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.ASSIGNED, world.ids["bruno"])
    assert public(world, ticket) == []


def test_r6_a_name_that_is_nobody_on_the_team_asks_whom(world):
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send("repassar para o Zé.")
    assert chat.state().step == "ticket.assign"
    assert world.ticket(ticket.id).assignee_id is None
    # it showed the team's list and said nothing of the name typed
    assert pt("conv.staff.assign_nobody", name="Zé") in chat.text


def test_r6_a_name_several_on_the_team_share_says_so_and_asks_whom(world):
    from core.models import Role, User

    world.read(lambda uow: (uow.users.add(User(name="Bruno Costa", email="bc@suporte.x",
                                                role=Role.AGENT, trained=True)), uow.commit()))
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send("repassar para o Bruno")
    assert pt("conv.staff.assign_several", name="Bruno") in chat.text
    assert chat.state().step == "ticket.assign"
    assert world.ticket(ticket.id).assignee_id is None


@pytest.mark.parametrize("typed", ["eu assumo", "assumo", "vou assumir", "I'll take it"])
def test_r6_taking_it_in_words(world, typed):
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send(typed)
    stored = world.ticket(ticket.id)
    assert (stored.status, stored.assignee_id) == (Status.IN_PROGRESS, world.ids["ana"])
    assert public(world, ticket) == []


def test_r15_development_named_in_words_asks_its_note(world):
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send("encaminhar ao desenvolvimento")
    assert chat.state().step == "ticket.dev"


def test_r6_a_sentence_for_the_customer_is_still_offered_as_a_tramite(world):
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send("Vou repassar para o desenvolvimento e te retorno amanhã")
    assert chat.state().step == "ticket.said"


def test_r6_a_customer_typing_the_same_words_sends_a_tramite_as_before(world):
    ticket = world.open("carla")
    chat = page_of(world, ticket, who="carla")
    chat.send("repassar para o Bruno")
    assert chat.state().step == "ticket.said"
    assert world.ticket(ticket.id).assignee_id is None


@pytest.mark.parametrize("typed", ["reabrir", "reabrir o ticket", "pode reabrir", "reopen"])
def test_r19_reabrir_at_a_closed_tickets_page_says_it_cannot_be_reopened(world, typed):
    """'reabrir' at an approved ticket's page was kept and offered as its internal note."""
    from core.services import closing, handling

    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], ticket.id)
    chat = page_of(world, ticket)
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.staff.no_reopen", number=ticket.number)
    assert chat.state().step == "ticket.view"
    assert world.ticket(ticket.id).status == Status.CLOSED


def test_r19_reabrir_at_an_open_tickets_page_says_it_is_open(world):
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send("reabrir")
    assert chat.replies[0].text == pt("conv.staff.not_closed", number=ticket.number,
                                      status="Novo")
    assert chat.state().step == "ticket.view"


@pytest.mark.parametrize(("typed", "step"), [
    ("prioridade crítica", "ticket.priority"), ("mudar a prioridade", "ticket.priority"),
    ("prioridade", "ticket.priority"), ("classificar origem", "ticket.classify"),
    ("classificar", "ticket.classify"), ("rejeitar como duplicado", "ticket.duplicate"),
    ("rejeitar", "ticket.duplicate"), ("repassar", "ticket.assign"),
    ("enviar artigo", "ticket.article")])
def test_r12_a_team_actions_name_typed_at_the_page_asks_for_it(world, typed, step):
    """'prioridade crítica' at a ticket's page was offered as its public trâmite."""
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send(typed)
    assert chat.state().step == step, chat.text
    assert public(world, ticket) == []
    assert world.ticket(ticket.id).status == Status.NEW


@pytest.mark.parametrize("typed", ["mover para estimativa", "passar para em estimativa",
                                   "estimativa"])
def test_r16_moving_to_estimate_in_words_moves_it(world, typed):
    from core.services import handling

    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = page_of(world, ticket)
    chat.send(typed)
    assert pt("conv.staff.estimated", number=ticket.number) in chat.text
    assert world.ticket(ticket.id).status == Status.ESTIMATE
    assert public(world, ticket) == []


def test_r23_an_action_the_ticket_does_not_allow_shows_the_teams_actions(world):
    """A covered ticket has no quote to write: what it can do instead."""
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send("orçamento")
    assert chat.state().step == "ticket.actions"
    assert public(world, ticket) == []


@pytest.mark.parametrize("typed", ["encerrar", "fechar o ticket", "pode encerrar", "close it"])
def test_r19_encerrar_at_an_open_tickets_page_asks_the_solution(world, typed):
    """'encerrar' at a ticket's page was offered as its public trâmite: a ticket closes with
    its customer's approval of the solution, so that is said and the solution asked."""
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.staff.close_by_solution", number=ticket.number,
                                      days=15)
    assert chat.state().step == "ticket.solution"
    assert public(world, ticket) == []


def test_r21_encerrar_at_a_ticket_awaiting_approval_says_how_it_closes(world):
    from core.services import closing, handling

    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    chat = page_of(world, ticket)
    chat.send("encerrar")
    assert chat.replies[0].text == pt("conv.staff.close_awaiting", number=ticket.number,
                                      days=15)
    assert chat.state().step == "ticket.view"
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


@pytest.mark.parametrize("typed", ["asumir", "Assumri", "asumo", "assumit"])
def test_r6_taking_it_with_a_typo_takes_it(world, typed):
    """'asumir' at a new ticket's page was offered as a public trâmite ('Envio como trâmite
    público do ticket …?'), one tap from the customer reading 'asumir'."""
    ticket = world.open("carla")
    chat = page_of(world, ticket)
    chat.send(typed)
    assert world.ticket(ticket.id).assignee_id == world.ids["ana"], chat.text
    assert pt("conv.tramite.send_said") not in chat.labels
    assert public(world, ticket) == []


def test_r6_assumir_and_another_tickets_number_at_a_page_shows_that_ticket(world):
    """At ticket 2's page, 'assumir 1' (Ana meaning ticket 1) was offered as a public trâmite
    of ticket 2. It shows ticket 1's page, Assumir on it, nothing sent; 'assumir 2' there takes
    the ticket shown, as 'assumir' alone does."""
    first = world.open("carla", assunto="Relatório de estoque sem totais")
    second = world.open("carla", assunto="Cupom fiscal sem CPF")
    chat = page_of(world, second)
    chat.send("assumir 1")
    assert chat.state().step == "ticket.view"
    assert "Relatório de estoque sem totais" in chat.text
    assert world.ticket(first.id).assignee_id is None
    assert public(world, second) == []
    chat = page_of(world, second)
    chat.send("assumir o 2")
    assert world.ticket(second.id).assignee_id == world.ids["ana"]
    assert public(world, second) == []
