"""A customer asking who the bot is or what it does ("quem é você", "o que você faz", "who are
you") gets a short answer of what it is and can do; at the menu it was offered as a ticket's
matter, mid-intake it was "Não entendi". Mid-intake the question at hand is asked again and
nothing typed is lost."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt, to_anexos

from core.conversation import about
from core.i18n import t


@pytest.mark.parametrize("typed", [
    "quem é você?", "quem e vc", "o que você faz?", "o que vc faz", "você é um robô?",
    "vc é humano?", "o que você pode fazer?", "who are you?", "what do you do?",
    "what can you do", "are you a bot?", "Quem é você"])
def test_questions_about_the_bot_are_read_as_such(typed):
    assert about.asked(typed)


@pytest.mark.parametrize("typed", [
    "quem é o responsável pelo meu ticket?", "o que você faz quando a nota é rejeitada?",
    "o que faz o botão Gerar?", "quem", "what is this error?", "você pode ver o caixa 3?"])
def test_other_questions_are_not_about_the_bot(typed):
    assert not about.asked(typed)


def test_quem_e_voce_at_the_menu_says_what_the_bot_is_and_shows_the_menu(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("quem é você?")
    assert pt("conv.about") in chat.text
    assert chat.state().step == "menu.main"
    assert "typed" not in chat.state().data  # not offered as a ticket's matter


def test_o_que_voce_faz_mid_intake_answers_and_asks_the_question_again(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.send("o que você faz?")
    assert pt("conv.about") in chat.text
    assert pt("conv.confused.intake_ways") in chat.text
    assert chat.state().step == "intake.servico"
    assert chat.prompt.text.startswith(pt("conv.intake.ask_servico"))
    assert chat.state().data["intake"]["draft"]["item_id"] == "suporte"


def test_who_are_you_at_the_anexos_keeps_what_was_typed(world):
    chat = to_anexos(chat_for(world, "carla"))
    chat.send("who are you?")
    assert pt("conv.about") in chat.text
    draft = chat.state().data["intake"]["draft"]
    assert draft["descricao"] == "Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma"
    assert chat.state().step == "intake.anexos"


def test_who_are_you_in_english(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("who are you?")
    assert t("conv.about", "en") in chat.text
    assert chat.state().step == "menu.main"


def test_a_trâmite_asking_who_the_team_is_stays_the_trâmite(world):
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.click("Adicionar trâmite")
    chat.send("quem é você?")
    assert pt("conv.about") not in chat.text


def test_an_agent_asking_who_the_bot_is_hears_the_team_chat_not_a_ticket_search(world):
    chat = chat_for(world, "ana")
    chat.send("oi")
    chat.send("quem é você?")
    assert pt("conv.about_staff") in chat.text
    assert pt("conv.about") not in chat.text  # the customers' answer is not hers
    assert chat.state().step == "menu.main"  # no search for "quem é você"
