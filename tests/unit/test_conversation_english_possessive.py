"""R8: a name told in the English possessive ("Carla's tickets", "Mercado Exemplo's tickets",
"my company's tickets") names whose tickets, as "tickets da Carla" and "tickets da empresa"
do; the words were searched for ("Carla's tickets": no ticket holds them)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation import intents
from core.conversation.replies import Command
from core.i18n import t


@pytest.fixture
def tickets(world):
    return {who: world.open(who, assunto=f"Pedido de {who} não confirma")
            for who in ("carla", "joao", "rival")}


def numbers_listed(chat):
    return [c.label for c in chat.prompt.choices if "/" in c.label]


@pytest.mark.parametrize("typed", ["Carla's tickets", "carla souza's tickets",
                                   "show me Carla’s tickets", "Carla's"])
def test_r8_an_english_agent_naming_a_customer_in_the_possessive_lists_hers(world, tickets,
                                                                            typed):
    world.speaks("ana", "en")
    chat = chat_for(world, "ana")
    chat.send("tickets")
    chat.send(typed)
    assert numbers_listed(chat) == [tickets["carla"].number]
    assert t("conv.list.scope_person", "en", name="Carla Souza") in chat.prompt.text


def test_r8_an_english_agent_naming_a_company_in_the_possessive_lists_its(world, tickets):
    world.speaks("ana", "en")
    chat = chat_for(world, "ana")
    chat.send("hi")
    chat.send("Mercado Exemplo's tickets")
    assert sorted(numbers_listed(chat)) == sorted([tickets["carla"].number,
                                                   tickets["joao"].number])


@pytest.mark.parametrize("typed", ["my company's tickets", "our company's tickets"])
def test_r8_a_customers_company_in_the_possessive_is_the_whole_companys_listing(typed):
    assert intents.command(typed) == (Command.TICKETS, "company")


@pytest.mark.parametrize(("typed", "asked"), [
    ("what's the status of 0004?", (Command.TICKET, "0004")),
    ("who's handling my ticket?", (Command.TICKETS, "abertos")),
    ("let's switch to english", (Command.PROFILE, "language en"))])
def test_r8_english_contractions_are_still_read(typed, asked):
    assert intents.command(typed) == asked
