"""Words typed at 'continuar esse ou começar outro?' (a ticket parked) are kept (R3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import T0, carla_and_ana

from bots.runtime import Desk
from core.i18n import t


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


PARKED = "novo\n1\n1\n1\nErro ao confirmar pedido de venda\nmenu\nnovo\n"
"""A ticket begun, its assunto typed, set aside by 'menu'; then a new one asked for."""
WORDS = "a nota 10127 também volta com rejeição 539"


def test_r3_a_matter_typed_at_the_parked_ticket_question_goes_with_the_new_ticket(
        desk: Desk, tmp_path: Path) -> None:
    """Asked 'Quer continuar esse ou começar outro?', Carla typed her new problem: 'Não
    entendi. Escolha uma das opções', the words gone. They are kept, said so, and Começar
    outro opens the ticket with them as its descrição."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"{PARKED}{WORDS}\n2\n1\n1\n1\nRejeição 539 de novo\nsair\n")
    after = shown.split(f"> {WORDS}\n", 1)[1]
    assert after.startswith(t("conv.parked.typed_kept"))
    at_descricao = after.split("> Rejeição 539 de novo\n", 1)[1]
    assert t("conv.intake.current", value=WORDS) in at_descricao


def test_r3_words_typed_there_are_shown_back_when_the_parked_ticket_goes_on(
        desk: Desk, tmp_path: Path) -> None:
    """Continuar o ticket after typing words there: they are not put in the old ticket, and
    shown back to send when their time comes, as a message held before the question is."""
    carla, _ = carla_and_ana(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"{PARKED}{WORDS}\n1\nsair\n")
    after = shown.split(f"> {WORDS}\n", 1)[1].split("> 1\n", 1)[1]
    assert t("conv.parked.typed_unused", text=WORDS) in after
