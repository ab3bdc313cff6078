"""R3: "na verdade é no financeiro" typed after the serviço was chosen changes the serviço; it
was kept as the assunto (or the descrição), the serviço still the wrong one."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt


def after_estoque(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Estoque")
    chat.click("atual")
    assert chat.state().step == "intake.assunto"
    return chat


def draft_of(chat):
    return chat.state().data["intake"]["draft"]


@pytest.mark.parametrize("typed", ["na verdade é no financeiro", "Errei, é Financeiro",
                                   "ops, é no contas a pagar"])
def test_r3_a_change_of_mind_about_the_servico_changes_it(world, typed):
    chat = after_estoque(world)
    chat.send(typed)
    assert draft_of(chat)["servico_id"] == "financeiro"
    assert draft_of(chat)["assunto"] is None
    assert pt("conv.intake.servico_changed",
              servico="Financeiro (contas a pagar/receber)") in chat.text
    assert chat.state().step == "intake.assunto"


def test_r3_a_change_of_mind_at_the_descricao_keeps_what_was_answered(world):
    chat = after_estoque(world)
    chat.send("Boleto com vencimento errado")
    chat.send("na verdade é no financeiro")
    assert (draft_of(chat)["servico_id"], draft_of(chat)["assunto"],
            draft_of(chat)["descricao"]) == ("financeiro", "Boleto com vencimento errado", None)
    assert chat.state().step == "intake.descricao"


@pytest.mark.parametrize("typed", ["na verdade o pedido 4431 não confirma",
                                   "Financeiro não fecha o caixa"])
def test_r3_words_that_name_no_other_servico_are_the_answer(world, typed):
    chat = after_estoque(world)
    chat.send(typed)
    assert draft_of(chat)["servico_id"] == "estoque"
    assert draft_of(chat)["assunto"] == typed
