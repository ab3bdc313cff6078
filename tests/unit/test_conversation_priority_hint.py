"""R12: a descrição that tells the manual's critical case (the stores stopped, notas cannot be
issued) is pointed out at the priority question; it recommended Padrão all the same."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation import UserInput
from core.i18n import t


def en(key):
    return t(key, "en")


def at_priority(world, first, lang="pt"):
    if lang == "en":
        world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(first)
    for _ in range(4):  # open a ticket with this message, Suporte, the first service, current
        chat.send(UserInput.of_choice(chat.prompt.choices[0].id))
    chat.send("PDV não emite NF" if lang == "pt" else "POS does not issue invoices")
    for _ in range(6):
        if chat.state().step == "intake.prioridade":
            break  # keep it, go on as it is, no files
        chat.send(UserInput.of_choice(chat.prompt.choices[0].id))
    return chat


@pytest.mark.parametrize("first", [
    "o pdv não emite nota fiscal desde ontem, todas as lojas paradas",
    "a loja parou: ninguém consegue vender desde as 9h",
])
def test_r12_a_descricao_telling_a_stop_is_pointed_out_at_the_priority(world, first):
    chat = at_priority(world, first)
    assert "Pelo que você descreveu" in chat.prompt.text
    assert [c.label for c in chat.prompt.choices] == ["Padrão", "Crítico (parece o caso)"]
    chat.click("Crítico")
    assert chat.state().step == "intake.motivo"


def test_r12_a_descricao_telling_no_stop_recommends_padrao_as_before(world):
    chat = at_priority(world, "o relatório de vendas por vendedor sai sem a margem, no menu "
                              "Relatórios > Vendas, desde a atualização")
    assert chat.prompt.text == pt("conv.intake.ask_prioridade")
    assert chat.prompt.choices[0].label == pt("conv.intake.priority_standard")


def test_r12_one_till_that_froze_is_not_pointed_out(world):
    chat = at_priority(world, "o caixa 3 travou de novo ao finalizar a venda, cupom 5531")
    assert chat.prompt.text == pt("conv.intake.ask_prioridade")


def test_r12_the_hint_in_english(world):
    chat = at_priority(world, "the stores are stopped, nobody can sell since 9 am", lang="en")
    assert "From what you described" in chat.prompt.text
    assert [c.label for c in chat.prompt.choices] == [en("conv.intake.priority_standard_plain"),
                                                      en("conv.intake.priority_critical_seems")]
