"""R3: words typed at the descrição question when a descrição was already written (the
message the ticket was opened with) join it, said so; they replaced it, silently, and the
first words (the pedido 4431, the error) were lost."""

from __future__ import annotations

from fakes.chat import chat_for, pt

FIRST = "o pedido 4431 não confirma, dá erro de estoque negativo"
MORE = "Vendas > Pedidos > Novo pedido, acontece na filial 2 desde ontem"


def at_descricao_with_the_first_message(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(FIRST)
    chat.click("Abrir ticket")
    chat.click("Suporte")
    chat.click("Vendas")
    chat.click("atual")
    chat.send("Pedido não confirma")
    assert chat.state().step == "intake.descricao"
    return chat


def descricao(chat):
    return chat.state().data["intake"]["draft"]["descricao"]


def test_r3_more_words_join_the_descricao_written_before(world):
    chat = at_descricao_with_the_first_message(world)
    assert pt("conv.intake.descricao_add") in chat.prompt.text
    chat.send(MORE)
    assert descricao(chat) == f"{FIRST}\n{MORE}"
    assert pt("conv.intake.descricao_joined") in chat.text


def test_r3_the_whole_descricao_typed_again_is_not_doubled(world):
    chat = at_descricao_with_the_first_message(world)
    chat.send(f"{FIRST}. {MORE}")
    assert descricao(chat) == f"{FIRST}. {MORE}"


def test_r3_a_descricao_corrected_from_the_summary_is_replaced(world):
    chat = at_descricao_with_the_first_message(world)
    chat.send(MORE)
    while chat.state().step != "intake.resumo":
        chat.send(chat.prompt.choices[0].label if chat.prompt.choices else "x")
    chat.click("Corrigir")
    chat.click("Descrição")
    chat.send("Vendas > Pedidos: o pedido 4432 também não confirma desde ontem")
    assert descricao(chat) == "Vendas > Pedidos: o pedido 4432 também não confirma desde ontem"


def test_r3_an_empty_line_joins_nothing_and_keeps_the_descricao(world):
    # the terminal sends Enter alone as an empty text: it said "Juntei ao texto" and added a line
    chat = at_descricao_with_the_first_message(world)
    chat.send("   ")
    assert descricao(chat) == FIRST
    assert pt("conv.intake.descricao_joined") not in chat.text
    assert pt("error.empty", field_label="Descrição") in chat.text
    assert chat.state().step == "intake.descricao"
