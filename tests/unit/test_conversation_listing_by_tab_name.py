"""A tab's name typed alone at the menu ("encerrados", "em atendimento", "closed") opens the
listing on that tab (R6), as "tickets encerrados" did; a subject that starts with such a word
is still a subject, and an agent's queue words still lead where they did."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t


def _one_in_each_tab(world):
    """Carla's tickets: a new one, one in progress (Ana has it), one closed."""
    from core.services import closing, handling

    new = world.open("carla", assunto="Impressora fiscal não imprime")
    taken = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.run(handling.take, world.ids["ana"], taken.id)
    done = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], done.id)
    world.run(closing.request_approval, world.ids["ana"], done.id, "Corrigido.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], done.id)
    return new, taken, done


@pytest.mark.parametrize(("typed", "tab"), [
    ("novos", "Novos"),  # offered as a new ticket's descrição before
    ("encerrados", "Encerrados"),
    ("fechados", "Encerrados"),
    ("Encerrados", "Encerrados"),
    ("em atendimento", "Em atendimento"),  # the team's hours before
    ("Em atendimento", "Em atendimento"),
    ("em estimativa", "Em estimativa"),
    ("aguardando aprovação", "Aguardando aprovação"),
    ("pendentes", "Abertos"),
    ("abertos", "Abertos"),
    ("rejeitados", "Rejeitados"),
    ("meus encerrados", "Encerrados"),
    ("ver encerrados", "Encerrados"),
    ("chamados encerrados", "Encerrados"),
    ("quero ver os encerrados", "Encerrados"),
])
def test_r6_a_tab_named_alone_at_the_menu_opens_the_listing_on_it(world, typed, tab):
    new, taken, done = _one_in_each_tab(world)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert f"seus tickets, aba {tab}," in chat.prompt.text
    if tab == "Encerrados":
        assert done.number in chat.prompt.text
        assert new.number not in chat.prompt.text
    if tab == "Em atendimento":
        assert taken.number in chat.prompt.text
        assert new.number not in chat.prompt.text
        assert done.number not in chat.prompt.text
    assert "Busca:" not in chat.prompt.text  # the words set the tab: nothing searched


@pytest.mark.parametrize(("typed", "tab"), [
    ("closed", "Closed"),
    ("in progress", "In progress"),
    ("In progress", "In progress"),
    ("awaiting approval", "Awaiting approval"),
    ("in estimate", "In estimate"),
    ("pending", "Open"),
    ("rejected", "Rejected"),
    ("my closed tickets", "Closed"),
    ("show closed", "Closed"),
    ("encerrados", "Closed"),  # people mix the languages
])
def test_r6_a_tab_named_alone_in_english_opens_the_listing_on_it(world, typed, tab):
    _new, taken, done = _one_in_each_tab(world)
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send(typed)
    assert chat.state().step == "list.view"
    assert f"your tickets, tab {tab}," in chat.prompt.text
    if tab == "Closed":
        assert done.number in chat.prompt.text
    if tab == "In progress":
        assert taken.number in chat.prompt.text
        assert done.number not in chat.prompt.text


@pytest.mark.parametrize(("lang", "typed"), [
    ("pt_BR", "novos produtos não aparecem no PDV"),
    ("pt_BR", "encerrados sem nota fiscal"),
    ("pt_BR", "pendentes de faturamento no financeiro"),
    ("pt_BR", "aguardando aprovação do pedido de compra"),
    ("en", "closed orders do not show on the report"),
    ("en", "new products missing from the POS"),
])
def test_a_subject_that_starts_with_a_tab_word_is_still_offered_as_a_ticket(world, lang,
                                                                            typed):
    world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "menu.typed"
    assert t("conv.typed.offer", lang, text=typed) in chat.prompt.text


def test_the_word_atendimento_alone_still_tells_the_teams_hours_and_new_still_opens_one(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("atendimento")  # support, not the tab: the hours and how to reach the team
    assert "08:00–12:00 e 13:30–18:00" in chat.text
    assert chat.prompt.text == pt("conv.menu.prompt")
    chat.send("new")  # the command that opens a ticket, as "novo"
    assert chat.state().step == "intake.item"


def test_r12_an_agents_queue_words_lead_where_they_did_and_tab_names_open_the_tab(world):
    new, taken, done = _one_in_each_tab(world)
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("fila")
    assert chat.state().step == "queue.view"
    chat.send("menu")
    chat.send("novos")  # the team's Novos, in the queue's order
    assert chat.state().step == "list.view"
    assert "todos os tickets, aba Novos," in chat.prompt.text
    assert pt("conv.list.queue_order") in chat.prompt.text
    assert new.number in chat.prompt.text
    assert taken.number not in chat.prompt.text
    chat.send("menu")
    chat.send("aguardando aprovação")  # the worklist of tickets awaiting the customer
    assert chat.state().step == "work.view"
    assert chat.state().data["work"]["kind"] == "aprovacao"
    chat.send("menu")
    chat.send("meus")  # the worklist of the agent's own
    assert chat.state().data["work"]["kind"] == "meus"
    chat.send("menu")
    chat.send("encerrados")
    assert chat.state().step == "list.view"
    assert "todos os tickets, aba Encerrados," in chat.prompt.text
    assert done.number in chat.prompt.text
    chat.send("menu")
    chat.send("em atendimento")  # the team's hours before, to the team itself
    assert "tickets, aba Em atendimento," in chat.prompt.text
    assert taken.number in chat.prompt.text
    chat.send("menu")
    chat.send("meus encerrados")  # searched for the words "meus encerrados" before
    assert "tickets atribuídos a você, aba Encerrados," in chat.prompt.text
    assert done.number in chat.prompt.text


@pytest.mark.parametrize(("text", "expected"), [
    ("encerrados", "encerrados"),
    ("em atendimento", "em atendimento"),
    ("quero ver os encerrados", "ver os encerrados"),
    ("meus encerrados", "meus encerrados"),
    ("in progress", "in progress"),
    ("tickets encerrados", "encerrados"),  # as before
])
def test_a_tab_named_alone_is_a_listing_request_in_words(text, expected):
    from core.conversation.intents import command
    from core.conversation.replies import Command

    assert command(text) == (Command.TICKETS, expected)


@pytest.mark.parametrize("text", ["novos produtos não aparecem no PDV", "aberto", "new",
                                  "aguardando", "estimativa"])
def test_a_tab_word_in_a_subject_or_alone_but_no_tab_name_is_no_listing_request(text):
    from core.conversation.intents import command
    from core.conversation.replies import Command

    assert command(text) is None or command(text)[0] != Command.TICKETS


@pytest.mark.parametrize("typed", ["aguardando cliente", "aguardando o cliente",
                                   "tickets aguardando cliente", "aguardando retorno do cliente",
                                   "esperando o cliente", "awaiting customer"])
def test_r19_an_agents_waiting_on_the_customer_is_the_awaiting_approval_worklist(world, typed):
    """'aguardando cliente' listed the tab Aguardando aprovação searched for "cliente": no
    ticket, while one awaited its customer's approval."""
    from core.services import closing, handling

    waiting = world.open("carla", assunto="Boleto com vencimento errado")
    world.run(handling.take, world.ids["ana"], waiting.id)
    world.run(closing.request_approval, world.ids["ana"], waiting.id, "Corrigido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed)
    assert chat.state().step == "work.view", chat.text
    assert chat.state().data["work"]["kind"] == "aprovacao"
    assert waiting.number in chat.labels
