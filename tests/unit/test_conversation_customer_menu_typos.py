"""A customer's typo of a menu option ("abrri tiket", "resumu", "perfli", "ajdua") was offered
as a ticket's descrição ("Quer abrir um ticket com essa mensagem?") while "meus tikets" was
understood; "voltar" at that offer answered "Não entendi", "sair" was kept as a descrição (or
sent as a trâmite), and the problem typed after a typo was joined to it as one descrição."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t

PROBLEM = "o sistema ta travando na hora de emitir nota"


def customer(world, lang=None):
    if lang:
        world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    return chat


def offered(chat, text, lang="pt_BR"):
    return chat.prompt.text.startswith(t("conv.typed.offer", lang, text=text).split("\n")[0]) \
        and chat.state().step == "menu.typed"


@pytest.mark.parametrize("typed", [
    "abrri tiket", "abrri chamado", "abir chamado", "abrit ticket", "nvoo ticket",
    "abri um chamado", "abri chamado"])
def test_r3_a_typo_of_abrir_ticket_opens_one(world, typed):
    chat = customer(world)
    chat.send(typed)
    assert chat.state().step == "intake.item", chat.text
    assert "Quer abrir um ticket com essa mensagem" not in chat.text


@pytest.mark.parametrize("typed", ["opne ticket", "new tikcet"])
def test_r3_an_english_typo_of_open_ticket_opens_one(world, typed):
    chat = customer(world, "en")
    chat.send(typed)
    assert chat.state().step == "intake.item", chat.text


@pytest.mark.parametrize(("typed", "lang", "step"), [
    ("resumu", None, "summary.view"), ("rsumo", None, "summary.view"),
    ("summray", "en", "summary.view"),
    ("base de conhecimeto", None, "kb.query"), ("artgos", None, "kb.query"),
    ("knowlege base", "en", "kb.query"),
    ("perfli", None, "profile.view"), ("profiel", "en", "profile.view"),
    ("mues tickets", None, "list.view"), ("my tikcets", "en", "list.view"),
    ("mneu", None, "menu.main"),
])
def test_r9_r11_a_typo_of_a_menu_option_runs_it(world, typed, lang, step):
    chat = customer(world, lang)
    chat.send(typed)
    assert chat.state().step == step, chat.text
    assert "Quer abrir" not in chat.text
    assert "Open a ticket with" not in chat.text


@pytest.mark.parametrize("typed", ["ajdua", "ajud"])
def test_r9_a_typo_of_ajuda_shows_the_help(world, typed):
    chat = customer(world)
    chat.send(typed)
    assert pt("conv.help").split("\n")[0] in chat.text


@pytest.mark.parametrize("typed", [PROBLEM, "travou", "eu abri um chamado", "abrir pedido",
                                   "novo cadastro"])
def test_r3_a_problem_described_is_still_offered_as_the_descricao(world, typed):
    chat = customer(world)
    chat.send(typed)
    assert offered(chat, typed), chat.text


@pytest.mark.parametrize("back", ["voltar", "volta", "menu", "cancelar", "sair"])
def test_r3_voltar_at_the_offer_of_a_message_goes_to_the_menu(world, back):
    chat = customer(world)
    chat.send(PROBLEM)
    chat.send(back)
    assert chat.state().step == "menu.main", chat.text
    assert pt("conv.error.not_understood") not in chat.text
    chat.send("resumo")  # nothing kept from before
    chat.send("travou")
    assert chat.prompt.text.startswith(pt("conv.typed.offer", text="travou")), chat.text


@pytest.mark.parametrize("lang", [None, "en"])
def test_r3_voltar_and_sair_at_the_menu_are_no_descricao(world, lang):
    chat = customer(world, lang)
    language = lang or "pt_BR"
    chat.send("back" if lang else "voltar")
    assert chat.state().step == "menu.main"
    assert t("conv.error.not_understood", language) not in chat.text
    chat.send("exit" if lang else "sair")
    assert chat.state().step == "menu.main"
    assert t("conv.smalltalk.bye", language) in chat.text


def test_r7_sair_at_a_ticket_s_page_is_no_tramite(world):
    ticket = world.open("carla")
    chat = customer(world)
    chat.send(f"ticket {ticket.number}")
    chat.send("sair")
    assert chat.state().step == "menu.main", chat.text
    assert pt("conv.smalltalk.bye") in chat.text
    entries = world.read(lambda uow, i: uow.entries.list(i, include_internal=True),
                         ticket.id)
    assert all(e.text != "sair" for e in entries)


def test_r7_sair_while_writing_a_tramite_asks_before_dropping_it(world):
    ticket = world.open("carla")
    chat = customer(world)
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.send("sair")
    entries = world.read(lambda uow, i: uow.entries.list(i, include_internal=True),
                         ticket.id)
    assert all(e.text != "sair" for e in entries)


def test_r9_voltar_at_the_knowledge_base_s_question_is_no_search(world):
    chat = customer(world)
    chat.send("base de conhecimento")
    chat.send("voltar")
    assert chat.state().step == "menu.main", chat.text


def test_r3_a_problem_typed_after_a_mistyped_request_is_not_joined_to_it(world):
    chat = customer(world)
    chat.send("abrri tikect")  # two typos: not read as the request
    chat.send(PROBLEM)
    assert chat.prompt.text.startswith(pt("conv.typed.offer", text=PROBLEM)), chat.text
    chat.click("Abrir ticket com essa mensagem")
    assert "abrri" not in str(chat.state().data)


def test_r3_a_problem_typed_after_a_typo_of_abrir_ticket_is_its_descricao(world):
    chat = customer(world)
    chat.send("abrri tiket")
    chat.send(PROBLEM)
    assert "abrri" not in str(chat.state().data)
    assert PROBLEM in str(chat.state().data)


def test_r3_a_problem_told_in_two_messages_is_still_joined(world):
    chat = customer(world)
    chat.send("nota fiscal")
    chat.send("não sai")
    assert chat.prompt.text.startswith(pt("conv.typed.offer", text="nota fiscal\nnão sai"))


@pytest.mark.parametrize(("lang", "back"), [
    (None, "volta"), (None, "voltar"), ("en", "back"), ("en", "go back")])
def test_r7_back_words_at_a_ticket_s_page_go_back_never_a_tramite(world, lang, back):
    """"volta" or "go back" at a ticket's page was offered as its trâmite ("Envio como trâmite
    do ticket …?"), one tap from the support team; "voltar" only worked as the start of the
    label Voltar à lista."""
    ticket = world.open("carla")
    chat = customer(world, lang)
    chat.send(f"ticket {ticket.number}")
    chat.send(back)
    assert chat.state().step == "list.view", chat.text


def test_r7_back_words_at_the_whole_thread_go_back_to_the_page(world):
    from core.services import tramites

    ticket = world.open("carla")
    for i in range(6):
        world.run(tramites.add_tramite, world.ids["carla"], ticket.id, f"Mensagem {i}", [])
    chat = customer(world)
    chat.send(f"ticket {ticket.number}")
    chat.click(pt("conv.ticket.whole_thread"))
    chat.send("volta")
    assert chat.state().step == "ticket.view", chat.text


@pytest.mark.parametrize(("where", "typed"), [
    ("page", "abrri tiket"), ("page", "nvoo chamado"), ("list", "abrri tiket"),
    ("summary", "abir chamado")])
def test_r3_a_typo_of_abrir_ticket_at_a_page_opens_one_never_a_tramite(world, where, typed):
    """At a ticket's page "abrri tiket" was offered as its trâmite ("Envio como trâmite do
    ticket …?"), at a listing searched, while "abrir ticket" opened one there."""
    ticket = world.open("carla")
    chat = customer(world)
    chat.send({"page": f"ticket {ticket.number}", "list": "meus tickets",
               "summary": "resumo"}[where])
    chat.send(typed)
    assert chat.state().step == "intake.item", chat.text


def test_r7_a_problem_typed_at_a_ticket_s_page_is_still_offered_as_its_tramite(world):
    ticket = world.open("carla")
    chat = customer(world)
    chat.send(f"ticket {ticket.number}")
    chat.send("o pedido 4431 ainda não confirma")
    assert chat.state().step == "ticket.said", chat.text


@pytest.mark.parametrize("lang", [None, "en"])
def test_r3_voltar_at_the_first_question_of_an_intake_opened_by_mistake_goes_back(world, lang):
    """"abrri tiket" (or "novo") then "voltar": 'Esta é a primeira pergunta. Para desistir do
    ticket, digite cancelar.', the customer kept in an intake they did not mean."""
    chat = customer(world, lang)
    chat.send("abrri tiket" if lang is None else "opne ticket")
    assert chat.state().step == "intake.item"
    chat.send("voltar" if lang is None else "back")
    assert chat.state().step == "menu.main", chat.text
    assert t("conv.intake.left_first", lang or "pt_BR") in chat.text


def test_r3_voltar_at_the_first_question_of_a_message_s_ticket_offers_the_message_again(world):
    chat = customer(world)
    chat.send(PROBLEM)
    chat.click("Abrir ticket com essa mensagem")
    assert chat.state().step == "intake.item"
    chat.send("voltar")
    assert chat.prompt.text.startswith(pt("conv.typed.offer", text=PROBLEM)), chat.text


def test_r3_voltar_once_something_was_answered_keeps_the_intake(world):
    chat = customer(world)
    chat.send("novo")
    chat.click("Suporte")
    chat.send("voltar")  # to the item question
    chat.send("voltar")  # the first question, an answer given: kept
    assert chat.state().step == "intake.item"
    assert pt("conv.intake.first_question") in chat.text


def at_assunto(world):
    chat = customer(world)
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    assert chat.state().step == "intake.assunto"
    return chat


@pytest.mark.parametrize(("typed", "step"), [
    ("cancelr", "menu.cancel_confirm"), ("cnacelar", "menu.cancel_confirm"),
    ("cancle", "menu.cancel_confirm"), ("sari", "menu.cancel_confirm"),
    ("votlar", "intake.versao"), ("volar", "intake.versao"), ("meun", "menu.main")])
def test_r3_a_typo_of_cancelar_voltar_menu_sair_is_never_the_assunto(world, typed, step):
    """"cancelr" at the assunto question became the ticket's assunto ("Agora descreva o
    problema…"), as "votlar", "meun" and "sari" did."""
    chat = at_assunto(world)
    chat.send(typed)
    assert chat.state().step == step, chat.text
    assert typed not in str(chat.state().data)


@pytest.mark.parametrize("assunto", ["votar", "bank", "Menus"])
def test_r3_a_real_word_near_them_is_still_the_assunto(world, assunto):
    chat = at_assunto(world)
    chat.send(assunto)
    assert chat.state().step == "intake.descricao", chat.text
