"""Words typed at the version question that are the matter, not a version, are kept (R3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import T0, carla_and_ana
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk
from core.conversation.fmt import preview


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


@pytest.mark.parametrize(("words", "field"), [
    ("Erro ao confirmar o pedido de venda com desconto", "assunto"),
    ("O caixa 2 trava ao emitir a NFC-e de uma venda com troco", "assunto"),
    ("Ao confirmar o pedido de venda com desconto de cliente especial o sistema fecha sem "
     "mensagem nenhuma e o pedido fica pela metade, sem itens", "descricao"),
])
def test_r3_a_sentence_over_40_characters_typed_at_the_version_is_kept(
        desk: Desk, tmp_path: Path, words: str, field: str) -> None:
    """Carla typed her matter a question early, at the version, in more than 40 characters:
    'Versão: o texto tem 49 caracteres e o máximo é 40. Encurte e envie de novo.', the words
    gone (a shorter sentence was kept for the assunto). Kept as the assunto, or the
    descrição past 100 characters, and the version asked again; a number in them ('caixa 2')
    makes them no version."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"novo\n1\n1\n{words}\nsair\n")
    after = shown.split(f"> {words}\n", 1)[1]
    typed = words if field == "assunto" else preview(words, 60)
    assert after.startswith(t(f"conv.intake.version_words_{field}", typed=typed,
                              current="2026.11"))
    assert t("conv.intake.ask_versao", current="2026.11") in after


def test_r17_the_version_typed_is_shown_and_kept_when_voltar_comes_back_to_it(
        desk: Desk, tmp_path: Path) -> None:
    """Carla typed 2026.9, then voltar at the assunto: the version question came back with
    no word of 2026.9 and no way to keep it but typing it again (the assunto's question, back,
    shows its value and Manter este assunto). It shows it, and Manter 2026.9 keeps it."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, "novo\n1\n1\n2026.9\nvoltar\n1\nsair\n")
    back = shown.split("> voltar\n", 1)[1].split("> 1\n", 1)
    assert t("conv.intake.current", value="2026.9") in back[0]
    assert "  1. " + t("conv.intake.keep_versao", version="2026.9") in back[0]
    assert back[1].startswith(t("conv.intake.ask_assunto", max=100))


def test_r3_a_second_sentence_typed_at_the_version_is_kept_as_the_descricao(
        desk: Desk, tmp_path: Path) -> None:
    """João typed his assunto at the version, then his descrição: the first was kept as the
    assunto, the second refused ('não parece uma versão') and lost. It is kept as the
    descrição, a third joins it, and nothing is lost when he gives the version."""
    carla, _ = carla_and_ana(desk)
    first = "Instalar o sistema no computador novo do caixa"
    second = "Precisamos instalar o PDV no computador novo da loja 2"
    third = "O computador antigo queimou ontem"
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"novo\n1\n1\n{first}\n{second}\n{third}\n1\n1\n1\nsair\n")
    after = shown.split(f"> {second}\n", 1)[1]
    assert after.startswith(t("conv.intake.version_words_descricao", typed=second,
                              current="2026.11"))
    after = shown.split(f"> {third}\n", 1)[1]
    assert after.startswith(t("conv.intake.version_words_joined", typed=third,
                              current="2026.11"))
    assert t("conv.intake.current", value=first) in shown  # at the assunto's question
    assert t("conv.intake.current", value=f"{second}\n{third}") in shown  # the descrição's
