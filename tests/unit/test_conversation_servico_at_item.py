"""R3: a serviço typed at the item's question ("nfce", "o PDV") was "Não entendi": the customer
names the system's module before the kind of help. Now it is kept, said so, and offered at the
serviço's question once the item is chosen, as a descrição's hint is."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t


def at_item(world, lang="pt_BR"):
    if lang != "pt_BR":
        world.speaks("carla", lang)
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click(t("conv.menu.new", lang))
    assert chat.state().step == "intake.item"
    return chat


@pytest.mark.parametrize(("typed", "servico", "label"), [
    ("nfce", "nfce", "NFC-e / SAT"), ("o PDV", "pdv", "PDV / Frente de caixa"),
    ("estoque", "estoque", "Estoque")])
def test_r3_a_servico_typed_at_the_item_is_kept_and_offered_at_its_question(
        world, typed, servico, label):
    chat = at_item(world)
    chat.send(typed)
    assert pt("conv.intake.servico_kept", typed=typed, servico=label) in chat.text
    assert chat.state().step == "intake.item"  # the item still asked
    chat.click("Suporte")
    assert pt("conv.intake.servico_typed", servico=label) in chat.prompt.text
    chat.send("sim")
    assert chat.state().data["intake"]["draft"]["servico_id"] == servico


def test_r3_another_servico_can_still_be_chosen(world):
    chat = at_item(world)
    chat.send("nfce")
    chat.click("Suporte")
    chat.click("Estoque")
    assert chat.state().data["intake"]["draft"]["servico_id"] == "estoque"


def test_r3_words_naming_neither_are_still_not_understood(world):
    chat = at_item(world)
    chat.send("xyz")
    assert pt("conv.error.choose") in chat.text


def test_r3_a_servico_typed_at_the_item_in_english(world):
    chat = at_item(world, "en")
    chat.send("inventory")
    assert t("conv.intake.servico_kept", "en", typed="inventory", servico="Inventory") \
        in chat.text
    chat.click("Support")
    assert t("conv.intake.servico_typed", "en", servico="Inventory") in chat.prompt.text
