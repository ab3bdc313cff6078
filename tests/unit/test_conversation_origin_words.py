"""R22, R23: the origin typed in words is taken only when a label holds every word typed
("backup", "erro de sistema"): the origin decides whether the customer pays, so words that
share one word with a label ("erro de cadastro") are said to name no origin, the solution
kept."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_staff import solution_written

from core.i18n import t


def origin_of(world, ticket):
    return world.read(lambda uow: uow.tickets.get(ticket.id)).origin


def test_r22_words_sharing_one_word_with_an_origin_name_none(world):
    """'erro de cadastro' was taken as 'Erro de sistema (coberto)': covered, by one word."""
    ticket, chat = solution_written(world, "Ajustei o cadastro do cliente.")
    chat.send("erro de cadastro")
    assert pt("conv.staff.origin_unclear", text="erro de cadastro") in chat.text
    assert chat.state().step == "ticket.origin"
    assert "Ajustei o cadastro do cliente." in chat.prompt.text  # the solution kept
    assert origin_of(world, ticket) is None


@pytest.mark.parametrize(("typed", "origin"), [("erro de sistema", "erro_sistema"),
                                             ("sistema", "erro_sistema")])
def test_r22_an_origin_named_by_its_words_is_taken(world, typed, origin):
    ticket, chat = solution_written(world)
    chat.send(typed)
    assert pt("conv.staff.solution_sent", number=ticket.number) in chat.text
    assert origin_of(world, ticket) == origin


def test_r23_a_billable_origin_named_by_its_word_asks_for_the_quote(world):
    ticket, chat = solution_written(world)
    chat.send("backup")
    assert chat.state().step == "ticket.solution_quote"


def test_r22_the_unclear_origin_reads_in_english(world):
    ticket, chat = solution_written(world)
    world.speaks("ana", "en")
    chat.send("erro de cadastro")
    assert t("conv.staff.origin_unclear", "en", text="erro de cadastro") in chat.text


def test_r22_classifying_by_words_sharing_one_word_with_an_origin_records_none(world):
    """Ações da equipe › Classificar origem: 'erro de cadastro' was 'Erro de sistema'."""
    ticket = world.open("carla")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.actions"))
    chat.click(pt("slack.btn.origin"))
    chat.send("erro de cadastro")
    assert pt("conv.staff.origin_unclear", text="erro de cadastro") in chat.text
    assert chat.state().step == "ticket.classify"
    assert origin_of(world, ticket) is None
    chat.send("erro de sistema")
    assert origin_of(world, ticket) == "erro_sistema"


@pytest.mark.parametrize("typed", ["não", "nao", "Não.", "n", "sim", "no"])
def test_r23_a_yes_or_no_at_the_origin_question_names_no_origin(world, typed):
    """'não' was taken as 'Necessidade não atendida (implementação)': outside the contract,
    the ticket billable, the quote asked, by a word of its label."""
    ticket, chat = solution_written(world)
    chat.send(typed)
    assert pt("conv.staff.origin_unclear", text=typed) in chat.text
    assert chat.state().step == "ticket.origin"
    stored = world.ticket(ticket.id)
    assert (stored.origin, stored.billable) == (None, False)


@pytest.mark.parametrize(("typed", "sent"), [("sim", True), ("pode enviar", True),
                                             ("não", False)])
def test_r22_yes_at_the_classified_origins_question_sends_with_it(world, typed, sent):
    """'sim' at 'A solução … vai com a origem já classificada: …' read '“sim” não é o nome
    de uma origem'; a yes sends it with that origin, a no asks for another."""
    from core.models import Status
    from core.services import billing, handling

    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "instrucao")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.staff.send_solution"))
    chat.send("Use o menu Vendas > Pedidos > Liberar.")
    assert pt("conv.staff.send_with_origin") in chat.labels
    chat.send(typed)
    if sent:
        assert pt("conv.staff.solution_sent", number=ticket.number) in chat.text
        assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    else:
        assert chat.state().step == "ticket.origin"
        assert len(chat.labels) > 3  # the contract's table, to pick another
        assert world.ticket(ticket.id).status == Status.IN_PROGRESS
