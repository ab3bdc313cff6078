"""A request in words to be answered in another language ("change language to english",
"mudar o idioma para inglês", "em português, por favor") switches it at once, as the
profile's Idioma does; it was offered as a new ticket."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation.intents import command
from core.conversation.replies import Command
from core.i18n import t


@pytest.mark.parametrize(("text", "language"), [
    ("change language to english", "en"),
    ("mudar o idioma para inglês", "en"),
    ("quero falar em inglês", "en"),
    ("English", "en"),
    ("in english please", "en"),
    ("em português, por favor", "pt_BR"),
    ("responda em português por favor", "pt_BR"),
    ("speak portuguese please", "pt_BR"),
    ("language en", "en"),  # /language's code, typed without the slash: offered as a ticket
    ("idioma pt-BR", "pt_BR"),
    ("idioma pt", "pt_BR"),
])
def test_a_request_to_switch_language_names_it(text, language):
    assert command(text) == (Command.PROFILE, f"language {language}")


@pytest.mark.parametrize("text", [
    "o relatório em inglês está errado",  # a matter about something in English
    "manual em inglês",
    "nota fiscal em inglês",
    "tradução para inglês",
    "en",
    "pt",
    "caixa pt 2 travou",
])
def test_a_matter_naming_a_language_is_no_request_to_switch(text):
    assert command(text) is None


def test_the_language_asked_in_words_answers_in_it_from_then_on(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("change language to english")
    assert t("conv.profile.language_changed", "en") in chat.text
    assert world.read(lambda uow: uow.users.get(world.ids["carla"]).language) == "en"
    chat.send("menu")
    assert chat.prompt.text == t("conv.menu.prompt", "en")
    chat.send("em português, por favor")
    assert t("conv.profile.language_changed", "pt_BR") in chat.text
    assert world.read(lambda uow: uow.users.get(world.ids["carla"]).language) == "pt_BR"
