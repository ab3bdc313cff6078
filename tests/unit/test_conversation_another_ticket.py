"""A ticket more asked for in words ("abrir outro chamado", "quero abrir mais um", "open
another ticket") opens one where requests run: after a ticket was registered it was offered as
a matter, at the listing searched for, at an approval kept as the reason. "mesmo problema"
at the approval question (R19) says the problem persists: Não aprovar, asked for the reason
(nothing recorded until it is given)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt, to_summary

from core.conversation import intents
from core.conversation.closing_words import decision
from core.conversation.replies import Command
from core.services import closing, handling


@pytest.mark.parametrize("typed", [
    "abrir outro chamado", "quero abrir mais um", "abrir mais um chamado", "quero abrir outro",
    "preciso abrir outro ticket", "open another ticket", "open one more ticket"])
def test_a_ticket_more_is_asked_to_open(typed):
    assert intents.command(typed, loose=False) == (Command.NEW, "")


@pytest.mark.parametrize("typed", ["abrir outra nota", "cadastrar outro produto",
                                   "abrir outra vez o sistema", "o caixa abre mais devagar"])
def test_other_sentences_with_another_are_no_request(typed):
    assert intents.command(typed) is None


def test_abrir_outro_chamado_after_registering_one_opens_another(world):
    chat = to_summary(chat_for(world, "carla"))
    chat.click("Registrar")
    chat.send("abrir outro chamado")
    assert chat.state().step == "intake.item"
    assert "typed" not in chat.state().data


def test_quero_abrir_mais_um_at_the_listing_opens_one_not_a_search(world):
    world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("meus tickets")
    assert chat.state().step == "list.view"
    chat.send("quero abrir mais um")
    assert chat.state().step == "intake.item"


def awaiting(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    return ticket


def test_abrir_outro_chamado_at_the_approval_opens_one_the_approval_left_pending(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.send("abrir outro chamado")
    assert chat.state().step == "intake.item"
    assert world.ticket(ticket.id).status.value == "aguardando_aprovacao"


@pytest.mark.parametrize("typed", ["mesmo problema", "o mesmo erro", "é o mesmo problema",
                                   "continua o mesmo problema", "same problem",
                                   "still the same issue", "it's the same error"])
def test_r19_the_same_problem_is_not_approving(typed):
    assert decision(typed) == "not_approve"


@pytest.mark.parametrize("typed", ["o mesmo problema aconteceu na loja 2 com outro cliente",
                                   "mesmo assim funcionou"])
def test_r19_a_sentence_with_mesmo_is_no_refusal(typed):
    assert decision(typed) != "not_approve"


def test_r19_mesmo_problema_at_the_approval_asks_the_reason_before_recording(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.send("mesmo problema")
    assert chat.state().step == "closing.reason"
    assert chat.prompt.text.startswith(pt("conv.closing.ask_reason", number=ticket.number))
    assert world.ticket(ticket.id).status.value == "aguardando_aprovacao"
    chat.send("O pedido 4431 ainda não confirma")
    assert world.ticket(ticket.id).status.value != "aguardando_aprovacao"


def test_r19_mesmo_problema_at_the_pending_approvals_is_that_ones_refusal(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("mesmo problema")
    assert chat.state().step == "closing.reason"
    assert world.ticket(ticket.id).status.value == "aguardando_aprovacao"


def test_abrir_outro_chamado_at_the_approval_keeps_words_typed_there(world):
    ticket = awaiting(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.send("o pedido 4431 segue sem confirmar na loja 2")
    chat.send("abrir outro chamado")
    assert pt("conv.error.busy_decide", command="abrir outro chamado") in chat.text
    assert chat.state().step == "closing.decide"
    assert chat.state().data["closing"]["said"] == "o pedido 4431 segue sem confirmar na loja 2"
    assert world.ticket(ticket.id).status.value == "aguardando_aprovacao"


@pytest.mark.parametrize("typed", [
    "outro chamado", "mais um chamado", "outro problema", "outro ticket", "mais um problema",
    "outra solicitação", "tenho outro problema", "another ticket", "one more ticket",
    "another problem"])
def test_a_ticket_more_named_with_no_verb_is_asked_to_open(typed):
    assert intents.command(typed, loose=False) == (Command.NEW, "")


@pytest.mark.parametrize("typed", ["mais chamados", "outros chamados", "more tickets",
                                   "outro problema na nota", "outro erro ao emitir"])
def test_more_tickets_or_a_problem_told_are_no_request_to_open(typed):
    assert intents.command(typed, loose=False) != (Command.NEW, "")


@pytest.mark.parametrize("typed", ["outro chamado", "mais um chamado", "outro problema"])
def test_outro_chamado_at_the_menu_opens_one_not_a_matter(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "intake.item"
    assert "typed" not in chat.state().data


def test_another_ticket_at_the_menu_in_english_opens_one(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("another problem")
    assert chat.state().step == "intake.item"
