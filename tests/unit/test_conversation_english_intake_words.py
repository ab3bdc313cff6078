"""R3, R17: an English customer's words at the intake's questions are read as the Portuguese
ones are: "training" picks the paid services as "treinamento" does, "idk" at the version is
"não sei", "no idea" at the assunto asks what to write as "sei lá" does."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t


def english_intake(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("new")
    assert chat.state().step == "intake.item"
    return chat


def draft_of(chat):
    return chat.state().data["intake"]["draft"]


@pytest.mark.parametrize("typed", ["training", "installation", "install the system"])
def test_r3_english_words_for_a_paid_service_pick_the_services_item(world, typed):
    """"treinamento" and "instalação" picked it; "training" was not understood."""
    chat = english_intake(world)
    chat.send(typed)
    assert draft_of(chat).get("item_id") == "servicos"


@pytest.mark.parametrize("typed", ["idk", "dunno", "no clue"])
def test_r17_english_shorthand_for_i_dont_know_at_the_version_moves_on(world, typed):
    """Refused as "not a version number", as "Gold" is."""
    chat = english_intake(world)
    chat.send("support")
    chat.send("sales")
    assert chat.state().step == "intake.versao"
    chat.send(typed)
    assert chat.state().step == "intake.assunto"
    assert draft_of(chat)["versao"] is None


@pytest.mark.parametrize("typed", ["no idea", "idk", "not sure"])
def test_r3_not_knowing_what_to_write_at_the_assunto_in_english_explains_it(world, typed):
    """"sei lá" explains the question; "no idea" became the assunto."""
    chat = english_intake(world)
    for answer in ("support", "sales", "2026.11"):
        chat.send(answer)
    assert chat.state().step == "intake.assunto"
    chat.send(typed)
    assert t("conv.confused.intake.assunto", "en") in chat.text
    assert draft_of(chat).get("assunto") is None
