"""R5: at "Qual campo você quer corrigir?", the new value typed instead of a field name read
"Não entendi" and was lost. It is kept and offered for the field it fits (or asked which)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt, to_summary
from test_conversation_rating import in_english

from core.i18n import t

LONG = ("Ao confirmar o pedido 4431 no menu Vendas / Pedidos de Vendas aparece a mensagem "
        "de estoque negativo, mas o produto tem saldo de 30 unidades no depósito principal.")


def at_fix(world):
    chat = to_summary(chat_for(world, "carla"))
    chat.click("Corrigir")
    assert chat.prompt.text == pt("conv.intake.ask_fix")
    return chat


def draft(chat):
    return chat.state().data["intake"]["draft"]


def test_r5_a_short_text_asks_whether_it_is_the_assunto_or_the_descricao(world):
    chat = at_fix(world)
    chat.send("Pedido de venda não confirma com estoque")
    assert chat.prompt.text == pt("conv.intake.fix_value",
                                  text="Pedido de venda não confirma com estoque")
    assert chat.labels == ["Usar como Assunto", "Usar como Descrição", "Outro campo",
                           "Voltar ao resumo"]
    chat.click("Usar como Assunto")
    assert chat.state().step == "intake.resumo"
    assert draft(chat)["assunto"] == "Pedido de venda não confirma com estoque"
    assert "Assunto: Pedido de venda não confirma com estoque" in chat.prompt.text


@pytest.mark.parametrize(("typed", "field", "key", "value"), [
    (LONG, "Descrição", "descricao", LONG),
    ("versão 2026.10", "Versão", "versao", "2026.10"),
    ("2026.9", "Versão", "versao", "2026.9"),
    ("Estoque", "Serviço", "servico_id", "estoque")])
def test_r5_a_value_that_fits_one_field_is_offered_for_it(world, typed, field, key, value):
    chat = at_fix(world)
    chat.send(typed)
    assert chat.prompt.text == pt("conv.intake.fix_value_one", text=typed, field=field)
    assert chat.labels == [f"Usar como {field}", "Outro campo", "Voltar ao resumo"]
    chat.click("Usar como")
    assert chat.state().step == "intake.resumo"
    assert draft(chat)[key] == value


def test_r5_another_field_or_the_summary_leave_the_draft_as_it_was(world):
    chat = at_fix(world)
    before = draft(chat)
    chat.send("Pedido de venda não confirma com estoque")
    chat.click("Outro campo")
    assert chat.prompt.text == pt("conv.intake.ask_fix")
    chat.send("Estoque")
    chat.click("Voltar ao resumo")
    assert chat.state().step == "intake.resumo"
    assert draft(chat) == before


def test_r5_a_value_typed_in_english(world):
    chat = at_fix(world)
    in_english(world)
    chat.send("Sales order does not confirm")
    assert chat.prompt.text == t("conv.intake.fix_value", "en",
                                 text="Sales order does not confirm")
    chat.click(t("conv.intake.fix_use", "en", field=t("field.assunto", "en")))
    assert draft(chat)["assunto"] == "Sales order does not confirm"


def test_r5_the_value_offered_is_answered_in_words(world):
    chat = at_fix(world)
    chat.send("versão 2026.10")
    chat.send("sim")
    assert draft(chat)["versao"] == "2026.10"
    assert chat.state().step == "intake.resumo"
    chat.click("Corrigir")
    chat.send("2026.9")
    chat.send("não")
    assert chat.prompt.text == pt("conv.intake.ask_fix")
    chat.send("Pedido não confirma")
    chat.send("Pedido de venda não confirma com estoque")  # typed again, better
    chat.click("Usar como Assunto")
    assert draft(chat)["assunto"] == "Pedido de venda não confirma com estoque"
    assert draft(chat)["versao"] == "2026.10"
