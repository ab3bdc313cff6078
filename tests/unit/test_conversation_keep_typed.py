"""A typed yes where a value is shown with its Manter button takes that button (R3): "manter"
at the descrição question was joined to the descrição ("…estoque negativo\\nmanter"), "sim"
refused as not describing the problem; at the assunto and the versão the same."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_descricao_joined import FIRST, at_descricao_with_the_first_message, descricao


@pytest.mark.parametrize("typed", ["manter", "sim", "pode manter", "Manter esta descrição",
                                   "sim, pode manter assim", "keep it", "está bom", "tá bom",
                                   "looks good", "that's fine", "yeah, keep it", "good"])
def test_r3_a_yes_at_the_descricao_shown_keeps_it_as_it_is(world, typed):
    """"looks good" and "está bom" were joined to the descrição as words of it."""
    chat = at_descricao_with_the_first_message(world)
    chat.send(typed)
    assert descricao(chat) == FIRST
    assert chat.state().step != "intake.descricao"
    assert pt("conv.intake.descricao_small_talk", text=typed) not in chat.text


def test_r3_a_no_at_the_descricao_shown_is_still_refused_and_changes_nothing(world):
    chat = at_descricao_with_the_first_message(world)
    chat.send("não")
    assert descricao(chat) == FIRST
    assert chat.state().step == "intake.descricao"


def test_r3_sim_with_no_descricao_yet_is_still_no_descricao(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Abrir ticket")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido não confirma")
    chat.send("sim")
    assert chat.state().step == "intake.descricao"
    assert pt("conv.intake.descricao_small_talk", text="sim") in chat.text


def at_summary(world):
    chat = at_descricao_with_the_first_message(world)
    chat.send("manter")
    while chat.state().step != "intake.resumo":
        chat.send(chat.prompt.choices[0].label if chat.prompt.choices else "x")
    return chat


def test_r3_a_yes_at_the_assunto_being_corrected_keeps_it(world):
    chat = at_summary(world)
    chat.click("Corrigir")
    chat.click("Assunto")
    assert chat.state().step == "intake.assunto"
    chat.send("pode manter")
    assert chat.state().data["intake"]["draft"]["assunto"] == "Pedido não confirma"
    assert chat.state().step == "intake.resumo"
