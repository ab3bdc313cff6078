"""R3, R17: the serviço typed as customers type it ("o pdv", "é na NF-e"), and with the
version in the same message ("pdv versão 2026.10"): both kept, the version not asked again."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt


def at_servico(world):
    chat = chat_for(world, "carla")
    chat.send("novo")
    chat.click("Suporte")
    assert chat.state().step == "intake.servico"
    return chat


def draft_of(chat):
    return chat.state().data["intake"]["draft"]


@pytest.mark.parametrize(("typed", "servico"), [
    ("o pdv", "pdv"), ("no PDV", "pdv"), ("é no pdv", "pdv"), ("na nfe", "nfe"),
    ("o sat", "nfce")])
def test_r3_a_short_name_with_small_words_around_names_the_servico(world, typed, servico):
    """"o pdv" read "Não entendi": the acronym has three letters, under the four a shared
    word needed, and "o" is no word of the label."""
    chat = at_servico(world)
    chat.send(typed)
    assert draft_of(chat)["servico_id"] == servico
    assert chat.state().step == "intake.versao"


def test_r3_a_negated_name_still_names_no_servico(world):
    chat = at_servico(world)
    chat.send("não é o pdv")
    assert draft_of(chat)["servico_id"] is None


@pytest.mark.parametrize(("typed", "version"), [
    ("pdv versão 2026.10", "2026.10"), ("pdv 2026.11", "2026.11"),
    ("PDV, versao 2026,10", "2026.10")])
def test_r17_the_version_typed_with_the_servico_is_kept_and_not_asked(world, typed, version):
    """The version typed with the serviço read "Não entendi" (and, the serviço picked, would
    have been asked again)."""
    chat = at_servico(world)
    chat.send(typed)
    assert draft_of(chat)["servico_id"] == "pdv"
    assert draft_of(chat)["versao"] == version
    assert pt("conv.intake.version_typed", version=version) in chat.text
    if version != "2026.11":
        assert pt("conv.intake.version_old", reported=version, current="2026.11") in chat.text
    assert chat.state().step == "intake.assunto"
