"""R3: the retail words customers use for a module pick it at the serviço's question as its
name does: "pvd" (ponto de venda, a common swap of "pdv") was "Não entendi", "tef", "pinpad",
"balança" and "gaveta" (the checkout's card machine, scale and cash drawer) named nothing, or
"balança" Contabilidade (a typo of "balancete"); "sat" named nothing for an implementation;
"NF-e" typed at the item's question was not kept for the serviço's; "etiqueta" named nothing
(the products' labels: Estoque or Cadastros, named back to choose)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.catalog import default_catalog
from core.conversation import intake_suggest


def at_servico(world, item="Suporte"):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click(item)
    assert chat.state().step == "intake.servico"
    return chat


@pytest.mark.parametrize(("typed", "servico"), [
    ("pvd", "pdv"), ("o pvd", "pdv"), ("PDV", "pdv"), ("frente de caixa", "pdv"),
    ("ponto de venda", "pdv"), ("caixa", "pdv"), ("tef", "pdv"), ("pinpad", "pdv"),
    ("maquininha", "pdv"), ("balança", "pdv"), ("gaveta", "pdv"), ("nfce", "nfce"),
    ("NFC-e", "nfce"), ("NF-e", "nfe"), ("sat", "nfce"), ("código de barras", "cadastros")])
def test_r3_retail_words_pick_the_servico_of_support(world, typed, servico):
    chat = at_servico(world)
    chat.send(typed)
    assert chat.state().data["intake"]["draft"]["servico_id"] == servico


@pytest.mark.parametrize(("typed", "servico"), [
    ("pvd", "pdv"), ("tef", "pdv"), ("sat", "fiscal"), ("nf-e", "fiscal"), ("nfce", "fiscal")])
def test_r3_retail_words_pick_the_servico_of_an_implementation(world, typed, servico):
    chat = at_servico(world, "implementação")
    chat.send(typed)
    assert chat.state().data["intake"]["draft"]["servico_id"] == servico


def test_r3_etiqueta_names_estoque_and_cadastros_to_choose_from(world):
    chat = at_servico(world)
    chat.send("etiqueta")
    assert pt("conv.error.ambiguous", text="etiqueta", options="Estoque; Cadastros") \
        in chat.text
    assert chat.state().step == "intake.servico"


@pytest.mark.parametrize(("typed", "servico"), [("pvd", "pdv"), ("NF-e", "nfe"),
                                                 ("tef", "pdv"), ("sat", "nfce")])
def test_r3_retail_words_typed_at_the_item_are_kept_for_the_servico(typed, servico):
    suporte = default_catalog().item("varejo", "suporte")
    named = intake_suggest.named(suporte, typed)
    assert named is not None
    assert named.id == servico
