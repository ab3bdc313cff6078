"""Requests typed in plain words at the menu run what they ask for (not offered as a ticket)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation.intents import command
from core.conversation.replies import Command


@pytest.mark.parametrize(("text", "expected"), [
    ("quero ver meus tickets", (Command.TICKETS, "")),
    ("Meus chamados", (Command.TICKETS, "")),
    ("qual o andamento?", (Command.TICKETS, "")),
    ("Quero abrir um chamado, por favor", (Command.NEW, "")),
    ("novo ticket", (Command.NEW, "")),
    ("qual o status do chamado 202611/0001?", (Command.TICKET, "202611/0001")),
    ("#202611/12", (Command.TICKET, "202611/12")),
    ("resumo dos meus chamados", (Command.SUMMARY, "")),
    ("quero mudar meu e-mail", (Command.PROFILE, "email")),
    ("trocar telefone", (Command.PROFILE, "phone")),
    ("meu perfil", (Command.PROFILE, "")),
    ("meu e-mail mudou", (Command.PROFILE, "email")),
    ("telefone novo", (Command.PROFILE, "phone")),
    ("atualizar meu cadastro", (Command.PROFILE, "")),
    ("base de conhecimento", (Command.KB, "")),
    ("preciso de ajuda", (Command.HELP, "")),
    ("cadê meu chamado?", (Command.TICKETS, "")),  # offered as a new ticket before
    ("onde está meu chamado", (Command.TICKETS, "")),
    ("quero falar com um atendente", (Command.CONTACT, "")),
    ("qual o horário de atendimento?", (Command.CONTACT, "")),
    ("telefone do suporte", (Command.CONTACT, "")),
    ("I want to talk to a human", (Command.CONTACT, "")),
    ("ver o chamado 4", (Command.TICKET, "4")),  # offered as a new ticket before
    ("status do chamado 0004", (Command.TICKET, "0004")),
    # the end of a number asked about without a ticket word: offered as a new ticket before
    ("qual o status do 0004?", (Command.TICKET, "0004")),
    ("status 0004", (Command.TICKET, "0004")),
    ("como está o 0004?", (Command.TICKET, "0004")),
    ("cadê o 4?", (Command.TICKET, "4")),
    # asked with "?" and a word of news: offered as a new ticket before
    ("o 4 já foi resolvido?", (Command.TICKET, "4")),
    ("já resolveram o 4?", (Command.TICKET, "4")),
    ("what's the status of 0004?", (Command.TICKET, "0004")),
    # an English contraction split the ticket words: offered as a new ticket before
    ("what's the status of ticket 9?", (Command.TICKET, "9")),
    ("where's my ticket 4?", (Command.TICKET, "4")),
    ("how's ticket 202612/0004 going?", (Command.TICKET, "202612/0004")),
    # an agent taking a ticket by the end of its number: searched for before, none found
    ("assumir 0004", (Command.TICKET, "0004")),
    ("pego o 0004", (Command.TICKET, "0004")),
    ("assumir o chamado 0004", (Command.TICKET, "0004")),
    ("tickets encerrados", (Command.TICKETS, "encerrados")),
    ("chamados da empresa", (Command.TICKETS, "empresa")),
])
def test_a_request_in_words_names_its_command(text, expected):
    assert command(text) == expected


@pytest.mark.parametrize("text", [
    "não consigo abrir o chamado da NF-e",  # a matter that mentions a ticket
    "o sistema não emite nota fiscal",
    "o chamado 202611/0001 voltou a dar erro na impressora",
    "chamados 202611/0001 e 202611/0002",
    "bom dia",
    "meus pedidos",  # sales orders, in retail: a matter, not the ticket list
    "abrir",  # a bare command word is the parser's, not a request in words
    "quero ver " + "meus chamados " * 6,  # too long to be a mere request
    "novo cadastro",  # a new record (product, customer) to register: a matter, not the profile
    "cadastro novo",
    "nova conta",
    "I need a new account",
    "status do pedido 0004",  # a sales order's
    "o caixa 2 não abre",
    "0004",  # alone: the option of that number, where there are options
    "o caixa 4 já foi resolvido?",  # a till, not a ticket
    "o 4 já foi resolvido",  # no question asked: a statement
])
def test_a_matter_or_small_talk_names_no_command(text):
    assert command(text) is None


def test_typed_requests_at_the_menu_open_the_listing_the_intake_and_a_ticket(world):
    ticket = world.open("carla", assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("quero ver meus chamados")
    assert chat.state().step == "list.view"
    assert ticket.number in chat.text
    chat.send("menu")
    chat.send("quero abrir um chamado")
    assert chat.prompt.text == pt("conv.intake.ask_item")
    assert not chat.state().data["intake"].get("descricao")  # the request is no descrição
    chat.send("cancelar")
    chat.send("sim")
    chat.send(f"qual o status do chamado {ticket.number}?")
    assert chat.state().step == "ticket.view"
    assert "Impressora fiscal não imprime" in chat.text
    chat.send("menu")
    chat.send("O chamado da impressora fiscal voltou a travar")  # a matter: offered as ever
    assert chat.prompt.text == pt("conv.typed.offer",
                                  text="O chamado da impressora fiscal voltou a travar")


def test_r8_a_request_naming_another_companys_ticket_reads_as_missing(world):
    ticket = world.open("carla", assunto="Segredo do Mercado Exemplo")
    chat = chat_for(world, "rival")
    chat.send("oi")
    chat.send(f"status do chamado {ticket.number}")  # 202611/0001: the example is another
    assert chat.replies[0].text == pt("error.number_not_found", example="202611/0002")
    assert "Segredo" not in chat.text


def test_chamado_is_a_command_word_like_ticket(world):
    ticket = world.open("carla", assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send(f"chamado {ticket.number}")
    assert chat.state().step == "ticket.view"
    chat.send("chamados")
    assert chat.state().step == "list.view"


def test_a_request_to_change_the_phone_asks_for_it_at_once(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("quero mudar meu telefone")
    assert chat.state().step == "profile.phone"
    chat.send("(11) 98765-4321")
    assert chat.state().step == "profile.view"


def test_a_request_in_words_as_a_sessions_first_message_runs(world):
    ticket = world.open("carla", assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send(f"qual o status do chamado {ticket.number}?")  # it was offered as a new ticket
    assert chat.state().step == "ticket.view"
    assert pt("conv.welcome", name="Carla") in chat.text


def test_an_option_typed_as_its_label_wins_over_a_request_in_words(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("O PDV travou na loja 2")
    chat.send("Procurar na base de conhecimento")  # the offer's option, not the KB command
    assert chat.state().step.startswith("kb.")
    assert "O PDV travou na loja 2" in chat.prompt.text  # searched for what was typed


@pytest.mark.parametrize(("text", "expected"), [
    ("show my tickets", (Command.TICKETS, "")),
    ("I want to see my open tickets", (Command.TICKETS, "abertos")),  # the open ones (R6)
    ("what is the progress?", (Command.TICKETS, "")),
    ("I need to open a ticket, please", (Command.NEW, "")),
    ("new request", (Command.NEW, "")),
    ("status of ticket 202611/0001", (Command.TICKET, "202611/0001")),
    ("change my phone", (Command.PROFILE, "phone")),
    ("update my e-mail", (Command.PROFILE, "email")),
    ("my profile", (Command.PROFILE, "")),
    ("search the knowledge base", (Command.KB, "")),
    ("I need help", (Command.HELP, "")),
    ("summary of my tickets", (Command.SUMMARY, "")),
])
def test_a_request_in_english_names_its_command(text, expected):
    assert command(text) == expected


@pytest.mark.parametrize("text", [
    "my printer does not print the invoice",
    "I cannot open the sales screen",  # "open" in a matter is no request
    "ticket 202611/0001 is failing again at the cashier",
])
def test_an_english_matter_names_no_command(text):
    assert command(text) is None


def test_a_customer_who_chose_english_is_understood_in_english(world):
    ticket = world.open("carla", assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("perfil")
    chat.click("Idioma")
    chat.click("English")
    chat.send("menu")
    chat.send("show my tickets")
    assert chat.state().step == "list.view"
    assert ticket.number in chat.text
    chat.send("menu")
    chat.send(f"status of ticket {ticket.number}")
    assert chat.state().step == "ticket.view"
    assert "Impressora fiscal não imprime" in chat.text


def test_a_request_typed_at_the_profile_runs_too(world):
    world.open("carla", assunto="Impressora fiscal não imprime")
    chat = chat_for(world, "carla")
    chat.send("perfil")
    chat.send("quero ver meus chamados")
    assert chat.state().step == "list.view"


def test_r14_asking_for_a_person_gives_the_hours_whether_open_now_and_the_way_to_them(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("quero falar com um atendente")  # offered as a new ticket before
    assert "08:00–12:00 e 13:30–18:00" in chat.text
    assert pt("conv.contact.open") in chat.text  # the world's clock is in business hours
    assert chat.prompt.text == pt("conv.menu.prompt")
    chat.send("novo")
    chat.send("contato")  # mid-intake it is answered and the question stays
    assert "08:00–12:00" in chat.text
    assert chat.state().step == "intake.item"


def test_r6_r8_a_listing_asked_by_tab_or_company_opens_on_it(world):
    from core.services import closing, handling

    done = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], done.id)
    world.run(closing.request_approval, world.ids["ana"], done.id, "Corrigido.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], done.id)
    other = world.open("joao", assunto="Caixa travado na loja 2")
    chat = chat_for(world, "carla")
    chat.send("menu")
    chat.send("tickets encerrados")  # was searched for the word "encerrados": none found
    assert done.number in chat.prompt.text
    assert "aba Encerrados" in chat.prompt.text
    chat.send("menu")
    chat.send("chamados da empresa")
    assert other.number in chat.prompt.text  # a colleague's: the company's listing


def test_r2_an_untrained_customer_is_offered_no_new_ticket_and_told_whom_to_ask(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    assert "Abrir ticket" not in chat.labels  # it led only to the refusal
    chat.send("quero falar com um atendente")
    assert pt("conv.contact.untrained", contact=" (Anderson Coordenação, coord@exemplo.com.br)") \
        in chat.text  # no contact configured: the coordinator registered (it said nothing)
    assert "abra um ticket" not in chat.text  # what he cannot do


def test_ticket_words_with_a_typo_are_mended_as_each_was_compared_before() -> None:
    """mend looks a typed word up by the words it makes with a letter left out instead of
    comparing it with every ticket word: the same words come out for every one-typo form of
    each ticket word (missing, extra, wrong or swapped letters) and for words near none."""
    from core.conversation.intents_words import _CANONICAL, _REAL_WORDS, mend, near

    def compared(word: str) -> str:  # the earlier code, word by word
        if len(word) < 5 or word in _REAL_WORDS or word in _CANONICAL:
            return word
        return next((c for c in _CANONICAL if near(word, c)), word)

    letters = "abcdehiklnostuvx"
    typed = set()
    for word in _CANONICAL:
        for i in range(len(word) + 1):
            typed.add(word[:i] + word[i + 1:])  # missing
            typed.update(word[:i] + x + word[i:] for x in letters)  # extra
            typed.update(word[:i] + x + word[i + 1:] for x in letters)  # wrong
            typed.add(word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:])  # swapped
    typed |= {"chamadas", "ticker", "novidade", "pedido", "cliente", "versao", "chamdoss"}
    assert len(typed) > 1000
    for word in sorted(typed):
        assert mend(word) == compared(word), word
    assert mend("meu chamdo tiket novidads") == "meu chamado ticket novidade"


def test_r12_an_agents_assumir_with_the_end_of_a_number_shows_that_tickets_page(world):
    """'assumir 0002' at the team's menu searched for the words: 'Nenhum ticket aqui'."""
    world.open("carla", assunto="Boleto errado")
    ticket = world.open("carla", assunto="Pedido travado")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("assumir 0002")
    assert chat.text.startswith(f"Ticket {ticket.number} — Pedido travado")
    assert pt("conv.staff.take") in chat.labels  # taken with a click, as with its whole number
