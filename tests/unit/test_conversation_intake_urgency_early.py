"""R12, R3: "urgente" ("é urgente!!", "crítico", "prioridade alta") typed at the assunto or
the descrição became the ticket's assunto or was joined to its descrição, the priority still
Padrão; the customer's word on it was lost. It is noted for the priority question, asked at
its end, and the question at hand is asked again; a sentence with it is still the answer."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt


def draft(chat):
    return chat.state().data["intake"]["draft"]


def at(world, step):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("novo")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    if step != "intake.assunto":
        chat.send("Erro ao confirmar pedido de venda")
    if step == "intake.descricao_mais":
        chat.send("o pedido não confirma")
    assert chat.state().step == step
    return chat


@pytest.mark.parametrize("step", ["intake.assunto", "intake.descricao", "intake.descricao_mais"])
@pytest.mark.parametrize("typed", ["urgente", "É urgente!!", "crítico", "prioridade alta",
                                   "urgent please"])
def test_r12_urgency_typed_early_is_noted_for_the_priority_not_kept_as_text(world, step, typed):
    chat = at(world, step)
    before = dict(draft(chat))
    chat.send(typed)
    assert chat.state().step == step
    assert pt("conv.intake.urgency_noted") in chat.text
    assert (draft(chat)["assunto"], draft(chat)["descricao"]) == \
        (before["assunto"], before["descricao"])


def test_r12_the_priority_question_then_recalls_it(world):
    chat = at(world, "intake.assunto")
    chat.send("urgente")
    chat.send("Erro ao confirmar pedido de venda")
    chat.send("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma")
    chat.click("Concluir")
    assert chat.state().step == "intake.prioridade"
    assert chat.prompt.text.startswith(pt("conv.intake.priority_urgent_said"))


def test_r12_the_priority_question_says_nothing_of_it_otherwise(world):
    chat = at(world, "intake.assunto")
    chat.send("Erro ao confirmar pedido de venda")
    chat.send("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma")
    chat.click("Concluir")
    assert pt("conv.intake.priority_urgent_said") not in chat.prompt.text


@pytest.mark.parametrize("typed", ["Pedido urgente não confirma", "não é urgente"])
def test_r12_an_assunto_with_more_words_is_the_assunto(world, typed):
    chat = at(world, "intake.assunto")
    chat.send(typed)
    assert draft(chat)["assunto"] == typed
