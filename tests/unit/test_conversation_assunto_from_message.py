"""R3: a ticket opened from a message already typed has a summary of that message offered at
the assunto's question, taken with a tap or a yes ("o mesmo", "pode ser"). The question was
asked bare, and "o mesmo" became the assunto word for word."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t

MESSAGE = "meu pdv não imprime o cupom desde a atualização de ontem, já reiniciei a impressora"


def to_assunto(world, message=MESSAGE, person="carla"):
    chat = chat_for(world, person)
    chat.send("oi")
    chat.send(message)
    chat.click(chat.labels[0])  # Abrir ticket com essa mensagem
    chat.click(chat.labels[0])  # Suporte
    chat.click(chat.labels[1])  # PDV
    chat.click(chat.labels[0])  # the current version
    assert chat.state().step == "intake.assunto"
    return chat


def test_r3_the_message_is_offered_as_the_assunto_and_taken_with_a_tap(world):
    chat = to_assunto(world)
    assert pt("conv.intake.assunto_from_message", text=MESSAGE) in chat.prompt.text
    assert chat.labels == [pt("conv.intake.use_suggested")]
    chat.click(pt("conv.intake.use_suggested"))
    draft = chat.state().data["intake"]["draft"]
    assert draft["assunto"] == MESSAGE
    assert draft["descricao"] == MESSAGE
    assert chat.state().step == "intake.descricao"


@pytest.mark.parametrize("typed", ["o mesmo", "pode ser", "sim", "isso", "igual", "a mesma coisa",
                                   "pode usar"])
def test_r3_a_yes_takes_the_summary_offered(world, typed):
    chat = to_assunto(world)
    chat.send(typed)
    assert chat.state().data["intake"]["draft"]["assunto"] == MESSAGE


def test_r3_a_long_message_is_offered_cut_at_a_word(world):
    message = ("o caixa trava quando o cliente paga com dois cartões e depois tenta imprimir "
               "o cupom fiscal da venda anterior no PDV da loja 2")
    chat = to_assunto(world, message)
    offered = chat.state().data["intake"]["suggested"]
    assert len(offered) <= 100
    assert offered.endswith("…")
    assert message.startswith(offered.rstrip("…"))
    chat.send("o mesmo")
    assert chat.state().data["intake"]["draft"]["assunto"] == offered


def test_r3_an_assunto_typed_over_the_offer_is_the_assunto(world):
    chat = to_assunto(world)
    chat.send("Cupom não imprime após atualização")
    assert chat.state().data["intake"]["draft"]["assunto"] == "Cupom não imprime após atualização"


def test_r3_a_message_of_one_or_two_words_is_not_offered(world):
    chat = to_assunto(world, "erro pdv")
    assert chat.labels == []
    chat.send("o mesmo")  # nothing to take: a word for word assunto, as before
    assert chat.state().data["intake"]["draft"]["assunto"] == "o mesmo"


def test_r3_the_offer_reads_in_english(world):
    world.speaks("carla", "en")
    message = "my POS stopped printing receipts after yesterday's update"
    chat = to_assunto(world, message)
    assert t("conv.intake.assunto_from_message", "en", text=message) in chat.prompt.text
    chat.send("the same")
    assert chat.state().data["intake"]["draft"]["assunto"] == message
