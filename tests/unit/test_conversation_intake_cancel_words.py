"""R3: "quero cancelar" typed during the intake asks to discard the draft, as "cancelar" does;
it was kept as the assunto or the descrição (a real matter about cancelling stays one)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for


def at_descricao(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido não confirma")
    assert chat.state().step == "intake.descricao"
    return chat


@pytest.mark.parametrize("typed", ["esquece, quero cancelar", "quero cancelar", "desisto",
                                   "pode cancelar", "cancela isso", "deixa pra lá",
                                   "cancelar o chamado", "never mind"])
def test_r3_cancel_in_words_asks_to_discard_the_draft(world, typed):
    chat = at_descricao(world)
    chat.send(typed)
    assert chat.state().step == "menu.cancel_confirm"
    assert chat.state().data["intake"]["draft"]["descricao"] is None
    chat.click("Não")
    assert chat.state().step == "intake.descricao"


@pytest.mark.parametrize("typed", ["quero cancelar a nota fiscal 4431 mas dá erro",
                                   "não cancela o pedido"])
def test_r3_a_matter_about_cancelling_is_still_the_descricao(world, typed):
    chat = at_descricao(world)
    chat.send(typed)
    assert chat.state().step != "menu.cancel_confirm"
    assert chat.state().data["intake"]["draft"]["descricao"] == typed
