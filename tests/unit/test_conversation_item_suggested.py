"""R3: a ticket opened from a message already typed has the item that message points to said at
the item's question ("o PDV trava ao abrir o caixa": Suporte), taken with a yes; any other is
still chosen, and a message that points nowhere, or to two alike, has none said."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation.intake_suggest import suggested_item
from core.i18n import t
from core.services.reference import default_catalog


@pytest.mark.parametrize(("descricao", "item"), [
    ("o PDV trava ao abrir o caixa desde ontem", "suporte"),
    ("a nota fiscal 10125 foi rejeitada pela SEFAZ com erro 539", "suporte"),
    ("o sistema não abre, aparece uma mensagem de falha", "suporte"),
    ("the POS freezes when I open the cash register", "suporte"),
    ("gostaria de uma melhoria: um campo de observação no pedido", "implementacao"),
    ("we need a new feature in the sales order", "implementacao"),
    ("preciso de treinamento para dois funcionários novos no caixa", "servicos"),
    ("o pedido 10125", None),  # points nowhere
    ("o relatório novo dá erro", None),  # two alike: none said
])
def test_r3_the_item_a_descricao_points_to(descricao, item):
    tipo = default_catalog().tipo("varejo")
    found = suggested_item(tipo, descricao)
    assert (found.id if found else None) == item


def to_item(world, typed, who="carla"):
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(typed)
    chat.click(chat.labels[0])  # open a ticket with this message
    assert chat.state().step == "intake.item"
    return chat


def test_r3_the_item_suggested_is_said_and_taken_with_a_yes(world):
    chat = to_item(world, "o PDV trava ao abrir o caixa desde ontem")
    assert pt("conv.intake.item_suggested", item="Suporte TOTALL SISTEMAS") in chat.prompt.text
    assert len(chat.labels) == 3  # every item still offered
    chat.send("sim")
    assert chat.state().step == "intake.servico"
    assert chat.state().data["intake"]["draft"]["item_id"] == "suporte"
    assert "PDV / Frente de caixa" in chat.prompt.text  # the serviço suggested next


def test_r3_another_item_chosen_over_the_one_suggested(world):
    chat = to_item(world, "o PDV trava ao abrir o caixa desde ontem")
    chat.click("Serviços (fora do contrato)")
    assert chat.state().data["intake"]["draft"]["item_id"] == "servicos"


def test_r3_no_item_said_when_the_message_points_nowhere_and_a_yes_chooses_none(world):
    chat = to_item(world, "o pedido 10125 da loja 2")
    assert "parece ser" not in chat.prompt.text
    chat.send("sim")
    assert chat.state().step == "intake.item"
    assert chat.state().data["intake"]["draft"].get("item_id") is None


def test_r3_the_item_suggested_in_an_english_chat(world):
    world.speaks("carla", "en")
    chat = to_item(world, "the POS freezes when I open the cash register since the update")
    assert t("conv.intake.item_suggested", "en", item="Support (TOTALL SISTEMAS)") \
        in chat.prompt.text
    chat.send("yes")
    assert chat.state().data["intake"]["draft"]["item_id"] == "suporte"
