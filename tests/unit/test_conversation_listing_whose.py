"""R8: an agent's listing search that names a customer or a client company ("tickets da
Carla", "do Mercado Exemplo", "carla souza"): that one's tickets, said in the header, one
click to clear; words that name no one, or several, are searched for as before."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t


@pytest.fixture
def tickets(world):
    """One ticket of Carla's, one of João's (both Mercado Exemplo), one of Rita's (Loja
    Rival)."""
    return {who: world.open(who, assunto=f"Pedido de {who} não confirma")
            for who in ("carla", "joao", "rival")}


def numbers_listed(chat):
    return [c.label for c in chat.prompt.choices if "/" in c.label]


@pytest.mark.parametrize("typed", ["tickets da Carla", "tickets da carla souza",
                                   "Carla Souza", "tickets de carla"])
def test_r8_an_agent_naming_a_customer_lists_that_customers_tickets(world, tickets, typed):
    """'tickets do joão' searched the words 'do joão', which no ticket holds: 'Nenhum ticket'."""
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed)
    assert numbers_listed(chat) == [tickets["carla"].number]
    assert pt("conv.list.scope_person", name="Carla Souza") in chat.prompt.text
    assert pt("conv.list.searching", text="Carla").split(":")[0] not in chat.prompt.text


def test_r8_an_agent_naming_a_company_lists_its_tickets(world, tickets):
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("tickets do mercado exemplo")
    assert sorted(numbers_listed(chat)) == sorted([tickets["carla"].number,
                                                   tickets["joao"].number])
    assert pt("conv.list.scope_company", company="Mercado Exemplo") in chat.prompt.text


def test_r8_a_search_typed_at_the_listing_names_a_customer_too(world, tickets):
    chat = chat_for(world, "ana")
    chat.send("tickets")
    chat.send("da Rita")
    assert numbers_listed(chat) == [tickets["rival"].number]


def test_r8_clearing_the_search_lists_everyones_again(world, tickets):
    chat = chat_for(world, "ana")
    chat.send("tickets do joão")
    assert numbers_listed(chat) == [tickets["joao"].number]
    chat.click(pt("conv.list.clear_search"))
    assert len(numbers_listed(chat)) == 3
    assert "João Lima" not in chat.prompt.text.split("\n")[0]


def test_r8_the_person_and_the_agents_own_scope_go_together(world, tickets):
    chat = chat_for(world, "ana")
    chat.send("tickets da carla")
    chat.click(pt("conv.list.assigned_to_me"))
    assert numbers_listed(chat) == []  # none of Carla's is Ana's
    assert pt("conv.list.scope_person_assigned", name="Carla Souza") in chat.prompt.text


@pytest.mark.parametrize("typed", ["não confirma", "carla"])
def test_r8_words_naming_no_one_are_searched_for(world, tickets, typed):
    """Words without 'da'/'do' must name a whole name (two words): 'carla' alone may be in a
    descrição."""
    chat = chat_for(world, "ana")
    chat.send("tickets")
    chat.send(typed)
    assert pt("conv.list.searching", text=typed) in chat.prompt.text


def test_r8_a_customer_naming_a_colleague_searches_the_words(world, tickets):
    chat = chat_for(world, "carla")
    chat.send("tickets")
    chat.send("do joão")
    assert pt("conv.list.searching", text="do joão") in chat.prompt.text


def test_r8_the_person_reads_in_english(world, tickets):
    world.speaks("ana", "en")
    chat = chat_for(world, "ana")
    chat.send("tickets from carla")
    assert t("conv.list.scope_person", "en", name="Carla Souza") in chat.prompt.text


@pytest.mark.parametrize("first", ["tickets do joão", "o cliente ligou do PDV"])
def test_r8_an_agents_first_words_search_as_at_the_menu(world, tickets, first):
    """An agent's first message of a session was dropped: the menu, the words lost."""
    chat = chat_for(world, "ana")
    chat.send(first)
    assert pt("conv.welcome_staff", name="Ana", total=3, unassigned=3).split("!")[0] \
        in chat.text
    assert chat.state().step == "list.view"


def test_r8_an_agents_words_at_a_question_of_options_search_as_at_the_menu(world, tickets):
    """'tickets from carla' at the profile's options was 'Não entendi': the words lost."""
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("meu perfil")
    assert chat.state().step.startswith("profile")
    chat.send("tickets da carla")
    assert pt("conv.typed.not_a_choice") in chat.text
    assert numbers_listed(chat) == [tickets["carla"].number]


@pytest.mark.parametrize("typed", ["carla", "Carla", "mercado"])
def test_r8_a_name_alone_no_ticket_holds_lists_that_ones_tickets(world, typed):
    """'carla' at the team's menu searched the word, which no ticket holds: 'Nenhum ticket
    aqui', while Carla had tickets. A word no ticket holds that starts one customer's (or one
    company's) name lists theirs, the header saying whose."""
    mine = world.open("carla", assunto="Boleto errado")
    other = world.open("rival", assunto="Estoque negativo")
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send(typed)
    assert numbers_listed(chat) == [mine.number]
    assert other.number not in chat.prompt.text
    assert pt("conv.list.scope_person", name="Carla Souza") in chat.prompt.text \
        or pt("conv.list.scope_company", company="Mercado Exemplo") in chat.prompt.text
