"""A customer asking what to write ("o que coloco aqui?") or saying they do not know at the
assunto or the descrição gets the question explained; those words were kept as the answer."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt


def at_assunto(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    assert chat.state().step == "intake.assunto"
    return chat


@pytest.mark.parametrize("typed", ["o que coloco aqui?", "o que eu escrevo?", "não sei",
                                   "nao sei o que colocar", "o que é assunto?",
                                   "what should I write?"])
def test_asking_what_to_write_at_the_assunto_explains_it(world, typed):
    chat = at_assunto(world)
    chat.send(typed)
    assert pt("conv.confused.intake.assunto") in chat.text
    assert chat.state().step == "intake.assunto"
    assert chat.state().data["intake"]["draft"]["assunto"] is None


def test_asking_what_to_write_at_the_descricao_explains_it(world):
    chat = at_assunto(world)
    chat.send("Pedido não confirma")
    chat.send("o que devo escrever aqui?")
    assert pt("conv.confused.intake.descricao") in chat.text
    assert chat.state().data["intake"]["draft"]["descricao"] is None


def test_a_question_that_tells_the_matter_is_still_the_assunto(world):
    chat = at_assunto(world)
    chat.send("o que fazer quando o pedido não confirma?")
    assert chat.state().data["intake"]["draft"]["assunto"] == \
        "o que fazer quando o pedido não confirma?"


def test_nao_sei_at_the_version_still_moves_on_as_unknown(world):
    chat = at_assunto(world)
    chat.send("voltar")
    chat.send("não sei")
    assert chat.state().step == "intake.assunto"
    assert chat.state().data["intake"]["draft"]["versao"] is None


@pytest.mark.parametrize(("step", "typed"), [("intake.item", "não sei"),
                                             ("intake.servico", "nao sei"),
                                             ("intake.servico", "sei lá"),
                                             ("intake.prioridade", "não sei")])
def test_nao_sei_at_a_question_with_options_explains_it(world, step, typed):
    """'não sei' at the item, the service (module) or the priority was answered 'Não entendi.
    Escolha uma das opções'; the explanation says how to choose ('Na dúvida, … Outros')."""
    chat = chat_for(world, "carla")
    chat.send("novo")
    if step != "intake.item":
        chat.click("Suporte")
    if step == "intake.prioridade":
        chat.click("Vendas")
        chat.click("atual")
        chat.send("Pedido não confirma")
        chat.send("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma")
        chat.click("Concluir")
    assert chat.state().step == step
    chat.send(typed)
    assert pt(f"conv.confused.{step}") in chat.text
    assert chat.state().step == step
