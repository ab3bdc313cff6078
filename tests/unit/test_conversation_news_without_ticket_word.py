"""R6: "já resolveram?", "tem retorno?", "is it fixed yet?" typed at the menu ask how one's
tickets stand, as "alguma novidade?" does; they were offered as a new ticket whose whole
descrição would be the question."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation import intents
from core.conversation.listing_words import OPEN
from core.conversation.replies import Command


@pytest.mark.parametrize("typed", ["já resolveram?", "e aí, resolveram?", "tem retorno?",
                                   "alguma resposta?", "já foi resolvido?",
                                   "alguém respondeu?", "is it fixed yet?",
                                   "has it been solved?", "any answer yet?",
                                   "ninguém me respondeu ainda", "ninguém retornou",
                                   "nobody replied yet"])
def test_r6_a_question_of_news_with_no_ticket_word_lists_the_open_tickets(typed):
    assert intents.command(typed) == (Command.TICKETS, OPEN)


@pytest.mark.parametrize("typed", ["já resolveu", "resolvido, obrigada",
                                   "a resposta do fornecedor não chegou?",
                                   "o retorno de troca não entra no estoque?"])
def test_r6_a_statement_or_a_matter_with_those_words_asks_nothing(typed):
    assert intents.command(typed) is None


def test_r6_ja_resolveram_at_the_menu_shows_her_open_ticket_not_the_offer(world):
    ticket = world.open("carla", assunto="Erro reajuste contrato de venda")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("já resolveram?")
    assert pt("conv.typed.offer", text="já resolveram?") not in chat.text
    assert ticket.number in chat.text
    assert not (chat.state().data.get("typed") or {}).get("text")


@pytest.mark.parametrize(("typed", "expected"), [
    ("novidades sobre o 1?", (Command.TICKET, "1")),
    ("alguma novidade sobre o 0004?", (Command.TICKET, "0004")),
    ("any news about 4?", (Command.TICKET, "4")),
    ("what about my ticket?", (Command.TICKETS, OPEN)),
    ("e sobre o meu chamado?", (Command.TICKETS, OPEN))])
def test_r6_news_asked_about_a_ticket_names_it(typed, expected):
    """'novidades sobre o 1?' searched the open tickets for '1' (every one holding the digit);
    'what about my ticket?' was offered as a new ticket."""
    assert intents.command(typed) == expected


@pytest.mark.parametrize("typed", ["o caixa 4 já foi resolvido?", "sobre o chamado"])
def test_r6_words_about_something_else_name_no_ticket(typed):
    assert intents.command(typed) is None


def test_r6_news_about_a_store_numbered_is_a_search_not_a_ticket():
    assert intents.command("novidades sobre a loja 2?") == (Command.TICKETS, f"{OPEN} loja 2")


@pytest.mark.parametrize(("typed", "expected"), [("e o 6?", (Command.TICKET, "6")),
                                                 ("e o 0004?", (Command.TICKET, "0004")),
                                                 ("what about 4?", (Command.TICKET, "4"))])
def test_r6_e_o_6_asks_about_the_ticket_ending_in_it(typed, expected):
    """'e o 6?' was offered as a new ticket whose descrição would be those words."""
    assert intents.command(typed) == expected


@pytest.mark.parametrize("typed", ["e o 6", "6?", "o caixa 6?"])
def test_r6_a_number_not_asked_about_or_of_something_else_names_no_ticket(typed):
    assert intents.command(typed) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("o 1 ainda está aberto?", (Command.TICKET, "1")),
    ("o 0004 está em atendimento?", (Command.TICKET, "0004")),
    ("is 4 closed?", (Command.TICKET, "4"))])
def test_r6_whether_a_ticket_is_open_asked_by_its_end_opens_it(typed, expected):
    """'o 1 ainda está aberto?' was offered as a new ticket; its page says its status."""
    assert intents.command(typed) == expected


@pytest.mark.parametrize("typed", ["a loja 2 está aberta?", "o caixa 1 está fechado?"])
def test_r6_whether_a_store_or_a_till_is_open_names_no_ticket(typed):
    assert intents.command(typed) is None
