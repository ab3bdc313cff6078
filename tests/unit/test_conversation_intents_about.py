"""Tickets asked about by their matter, their being open, or a search (R8, R9): understood, and
a problem described in the same words is still offered as a ticket of its own."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation.intents import command
from core.conversation.replies import Command
from core.services import closing, handling

PROBLEMS = [
    "o chamado da nota fiscal não sai, rejeição 225 no caixa",
    "O chamado da impressora fiscal voltou a travar",
    "a nota 10125 deu rejeição no caixa",
    "procurar o XML da nota não funciona",
    "status da nota fiscal",  # the SEFAZ's status of a nota: a matter, no ticket named
    "retorno da troca de produto",  # a return of goods, in retail
    "chamado que abri ontem sobre o boleto",  # no question in it: kept as typed
    "meus pedidos",
]


def closed(world, **fields):
    """A ticket of Carla's, answered and approved."""
    ticket = world.open("carla", **fields)
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], ticket.id)
    return ticket


@pytest.mark.parametrize(("text", "expected"), [
    ("e ai, alguma novidade do meu chamado da nota?", (Command.TICKETS, "abertos nota")),
    ("alguma novidade sobre a nota?", (Command.TICKETS, "abertos nota")),
    ("novidades do chamdo da NF-e", (Command.TICKETS, "abertos NF-e")),
    ("cadê meu chamado do boleto?", (Command.TICKETS, "abertos boleto")),
    ("quais sao meus chamados abertos", (Command.TICKETS, "abertos")),
    ("meus tickets em aberto", (Command.TICKETS, "aberto")),
    ("tenho algum chamado aberto?", (Command.TICKETS, "aberto")),
    ("ja resolveram meu chamado?", (Command.TICKETS, "abertos")),
    ("novidades", (Command.TICKETS, "abertos")),
    ("meus chamdos", (Command.TICKETS, "")),
    ("buscar rejeicao", (Command.TICKETS, "rejeicao")),
    ("procurar boleto", (Command.TICKETS, "boleto")),
    ("pesquisar nota 10125", (Command.TICKETS, "nota 10125")),
    ("quero pesquisar nos meus chamados por rejeição", (Command.TICKETS, "rejeição")),
    ("alguma novidade do chamado 4?", (Command.TICKET, "4")),
    ("procurar na base de conhecimento", (Command.KB, "")),  # the knowledge base, as before
    ("procurar", (Command.KB, "")),
])
def test_r8_a_request_about_tickets_in_everyday_words_names_the_listing(text, expected):
    assert command(text) == expected


@pytest.mark.parametrize("text", PROBLEMS)
def test_a_problem_that_mentions_a_ticket_or_a_search_word_names_no_command(text):
    assert command(text) is None


def test_r8_asking_for_news_of_the_ticket_about_the_nota_shows_that_ticket(world):
    nota = world.open("carla", assunto="NF-e rejeitada na emissão",
                      descricao="Fiscal / NF-e: a nota 10125 volta com rejeição 225")
    closed(world, assunto="Nota fiscal de devolução antiga")
    world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("e ai, alguma novidade do meu chamado da nota?")  # offered as a new ticket before
    assert chat.state().step == "ticket.view"
    assert f"Ticket {nota.number} — NF-e rejeitada na emissão" in chat.text
    assert "typed" not in chat.state().data  # nothing kept for a descrição


def test_r8_news_of_tickets_about_something_lists_the_open_ones_that_match(world):
    first = world.open("carla", assunto="Nota fiscal de entrada não importa")
    second = world.open("carla", assunto="Nota de transferência sem CFOP")
    old = closed(world, assunto="Nota fiscal de devolução antiga")
    other = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("novidades dos chamados da nota?")
    listing = chat.prompt.text
    assert "aba Abertos" in listing
    assert pt("conv.list.searching", text="nota") in listing
    assert first.number in listing
    assert second.number in listing
    assert old.number not in listing
    assert other.number not in listing


def test_r8_news_of_a_ticket_about_nothing_open_says_so_and_lists_the_open_ones(world):
    boleto = world.open("carla", assunto="Boleto com vencimento errado")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("alguma novidade do chamado da impressora?")
    assert pt("conv.list.none_about", text="impressora") in chat.text
    assert "aba Abertos" in chat.prompt.text
    assert boleto.number in chat.prompt.text


def test_r8_news_of_the_one_ticket_about_it_that_is_closed_shows_it(world):
    """It said 'Não achei ticket aberto sobre “impressora”' and listed the open ones: the
    customer asking after the printer's ticket had to look for it among the closed."""
    world.open("carla", assunto="Boleto com vencimento errado")
    old = closed(world, assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("alguma novidade do chamado da impressora?")
    assert pt("conv.list.about_not_open", text="impressora") in chat.text
    assert chat.prompt.text.startswith(f"Ticket {old.number} — Impressora fiscal não imprime")
    assert "Status: Encerrado" in chat.prompt.text


def test_r8_several_not_open_about_it_are_listed_from_every_tab(world):
    first = closed(world, assunto="Impressora fiscal não imprime")
    second = closed(world, assunto="Impressora fiscal trava")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("alguma novidade do chamado da impressora?")
    assert pt("conv.list.about_not_open_many", text="impressora") in chat.text
    assert "aba Todos" in chat.prompt.text
    assert first.number in chat.prompt.text
    assert second.number in chat.prompt.text


@pytest.mark.parametrize("text", ["quais sao meus chamados abertos", "meus tickets em aberto",
                                  "tenho algum chamado aberto?", "ja resolveram meu chamado?"])
def test_r6_r9_asking_for_the_open_tickets_lists_them_without_the_closed(world, text):
    open_one = world.open("carla", assunto="Boleto com vencimento errado")
    old = closed(world, assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(text)
    assert chat.state().step == "list.view"
    assert "aba Abertos" in chat.prompt.text
    assert open_one.number in chat.prompt.text
    assert old.number not in chat.prompt.text


def test_r6_the_open_tickets_are_a_tab_of_the_listing_too(world):
    open_one = world.open("carla", assunto="Boleto com vencimento errado")
    old = closed(world, assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.click("Aba")
    chat.click("Abertos")
    assert "aba Abertos" in chat.prompt.text
    assert open_one.number in chat.prompt.text
    assert old.number not in chat.prompt.text
    chat.click("Aba")
    chat.click("Todos")
    assert old.number in chat.prompt.text


@pytest.mark.parametrize(("text", "found"), [("buscar rejeicao", "NF-e rejeitada"),
                                             ("procurar boleto", "Boleto com vencimento"),
                                             ("pesquisar nota 10125", "NF-e rejeitada")])
def test_r8_a_search_typed_in_words_searches_ones_tickets_closed_ones_too(world, text, found):
    world.open("carla", assunto="NF-e rejeitada na emissão",
               descricao="Fiscal / NF-e: a nota 10125 volta com rejeição 225")
    closed(world, assunto="Boleto com vencimento errado", descricao="Financeiro / Boletos")
    world.open("carla", assunto="Impressora fiscal não imprime", descricao="PDV / Impressão")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(text)
    assert chat.state().step == "list.view"
    assert ": 1 ticket." in chat.prompt.text
    assert found in chat.prompt.text


def test_the_reviewers_three_requests_pile_into_no_draft_and_a_problem_is_still_offered(world):
    world.open("carla", assunto="NF-e rejeitada na emissão")
    chat = chat_for(world, "carla")
    chat.send("oi")
    for text in ("e ai, alguma novidade do meu chamado da nota?",
                 "quais sao meus chamados abertos", "buscar rejeicao"):
        chat.send("menu")
        chat.send(text)
        assert pt("conv.typed.offer", text=text) not in chat.text
    chat.send("menu")
    problem = PROBLEMS[0]
    chat.send(problem)
    assert chat.prompt.text.startswith(pt("conv.typed.offer", text=problem))  # + an article (R9)
    assert chat.state().data["typed"]["text"] == problem  # alone: no request joined it


@pytest.mark.parametrize("text", PROBLEMS[:4])
def test_a_problem_typed_as_a_sessions_first_message_is_kept_for_a_ticket(world, text):
    world.open("carla", assunto="NF-e rejeitada na emissão")
    chat = chat_for(world, "carla")
    chat.send(text)
    assert chat.prompt.text.startswith(pt("conv.typed.offer", text=text))  # + an article (R9)


def test_an_assunto_that_reads_like_a_search_is_taken_as_the_assunto(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Buscar XML da nota")  # not refused as a request in the middle of the intake
    assert chat.state().data["intake"]["draft"]["assunto"] == "Buscar XML da nota"


@pytest.mark.parametrize(("text", "expected"), [
    ("any news on my ticket about the invoice?", (Command.TICKETS, "abertos invoice")),
    ("show my open tickets", (Command.TICKETS, "abertos")),
    ("do I have any open tickets?", (Command.TICKETS, "abertos")),
    ("is my ticket resolved yet?", (Command.TICKETS, "abertos")),
    ("search boleto", (Command.TICKETS, "boleto")),
    ("search the knowledge base", (Command.KB, "")),
])
def test_r8_the_same_requests_in_english(text, expected):
    assert command(text) == expected


@pytest.mark.parametrize("text", ["my ticket about the invoice is not working",
                                  "the invoice ticket failed again at the cashier",
                                  "search does not find my products"])
def test_an_english_problem_names_no_command(text):
    assert command(text) is None


def test_r8_a_customer_in_english_asks_for_news_of_the_ticket_about_the_invoice(world):
    invoice = world.open("carla", assunto="Invoice rejected by SEFAZ")
    world.open("carla", assunto="Printer does not print")
    chat = chat_for(world, "carla")
    chat.send("perfil")
    chat.click("Idioma")
    chat.click("English")
    chat.send("menu")
    chat.send("any news on my ticket about the invoice?")
    assert chat.state().step == "ticket.view"
    assert invoice.number in chat.text
    chat.send("menu")
    chat.send("show my open tickets")
    assert "tab Open" in chat.prompt.text


def test_r8_a_search_in_words_typed_at_a_listing_searches_its_words(world):
    boleto = world.open("carla", assunto="Boleto com vencimento errado")
    world.open("carla", assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send("procurar boleto")  # searched for "procurar boleto" before: nothing found
    assert pt("conv.list.searching", text="boleto") in chat.prompt.text
    assert boleto.number in chat.prompt.text
    assert ": 1 ticket." in chat.prompt.text
    chat.send("nota")  # a plain word still searches the listing
    assert pt("conv.list.searching", text="nota") in chat.prompt.text
