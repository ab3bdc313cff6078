"""R3, R16, R23: "implantação" at the item question names the two items it may mean (an
implementation request, or the paid services: installation, configuration, training)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt


@pytest.mark.parametrize("typed", ["implantação", "Implantacao", "implantar"])
def test_r3_implantacao_at_the_item_question_offers_the_items_it_may_mean(world, typed):
    chat = chat_for(world, "carla")
    chat.send("novo")
    assert chat.prompt.text == pt("conv.intake.ask_item")
    chat.send(typed)
    assert chat.replies[0].text == pt(
        "conv.error.ambiguous", text=typed,
        options="Solicitação de implementação; Serviços (fora do contrato)")
    assert chat.state().step == "intake.item"
    chat.click("Serviços")
    assert chat.state().data["intake"]["draft"]["item_id"] == "servicos"
