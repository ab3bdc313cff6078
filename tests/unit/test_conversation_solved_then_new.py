"""R19: "funcionou, mas agora a impressora não imprime" typed at the approval question says the
solution worked and tells of a new problem; it was taken as Não aprovar's reason (the ticket
would go back to attendance for a printer it never was about). She is now asked: approve this
one and open a new ticket with the words, or not approve."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation import rating_words
from core.i18n import t
from core.models import Decision, Rating, Status
from core.services import closing, handling

SAID = "funcionou, mas agora a impressora não imprime"


def at_question(world, lang="pt_BR"):
    ticket = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido no pacote.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(t("conv.closing.offer_item", lang, number=ticket.number))
    return ticket, chat


@pytest.mark.parametrize("typed", [SAID, "resolveu, porém agora a impressora não imprime",
                                   "it worked, but now the printer does not print",
                                   "funcionou! mas agora o boleto sai sem juros"])
def test_r19_solved_then_a_new_problem_is_read_so(typed):
    assert rating_words.solved_then_new(typed)


@pytest.mark.parametrize("typed", ["funcionou, mas ainda dá erro na nota",
                                   "não funcionou, a impressora não imprime",
                                   "funcionou em parte, o boleto ainda sai errado",
                                   "funcionou, mas o boleto continua sem juros",
                                   "funcionou, obrigada"])
def test_r19_the_same_problem_or_no_new_one_is_not(typed):
    assert not rating_words.solved_then_new(typed)


def test_r19_solved_then_new_asks_approve_and_open_or_not_approve(world):
    ticket, chat = at_question(world)
    chat.send(SAID)
    assert chat.prompt.text == pt("conv.closing.new_matter_ask", number=ticket.number,
                                  said=SAID)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    chat.click(pt("conv.closing.new_matter_approve"))
    assert world.ticket(ticket.id).decision == Decision.APPROVED
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    chat.click("Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert pt("conv.typed.offer", text=SAID) in chat.text  # the new ticket offered
    chat.click("Abrir ticket")
    assert chat.state().flow == "intake"


def test_r19_solved_then_new_may_still_not_approve(world):
    ticket, chat = at_question(world)
    chat.send(SAID)
    chat.click(pt("conv.closing.new_matter_reject"))
    assert chat.state().step == "closing.reason"
    assert SAID in chat.prompt.text  # offered as the reason
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r19_solved_then_new_in_english(world):
    world.speaks("carla", "en")
    ticket, chat = at_question(world, "en")
    said = "it worked, but now the printer does not print"
    chat.send(said)
    assert chat.prompt.text == t("conv.closing.new_matter_ask", "en", number=ticket.number,
                                 said=said)
    chat.click(t("conv.closing.new_matter_approve", "en"))
    assert world.ticket(ticket.id).decision == Decision.APPROVED


def test_r19_solved_then_new_typed_at_the_menu_asks_the_same(world):
    ticket, chat = at_question(world)
    chat.click(t("conv.closing.decide_later", "pt_BR"))
    chat.send(SAID)
    assert chat.prompt.text == pt("conv.closing.new_matter_ask", number=ticket.number,
                                  said=SAID)
