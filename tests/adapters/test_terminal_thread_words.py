"""A message typed while a ticket's whole thread is shown (R7): offered as its trâmite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _awaiting, _chat
from test_terminal_typed import T0
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk

WORDS = "o campo de vigência ficou em branco no contrato 4411"


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def test_r7_a_message_typed_at_the_whole_thread_is_offered_as_the_ticket_s_trâmite(
        desk: Desk, tmp_path: Path) -> None:
    """Reading 'Ver o histórico completo', Carla answered the team there: 'Não entendi.
    Escolha uma das opções', her words gone (at the ticket's page they are offered as its
    trâmite). Offered the same; Enviar sends it."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"ticket {ticket.number}\nVer o histórico completo\n{WORDS}\n1\nsair\n")
    after = shown.split(f"> {WORDS}\n", 1)[1]
    assert not after.startswith(t("conv.error.choose")), after
    with desk.store() as uow:
        texts = [e.text for e in uow.entries.list(ticket.id or 0, include_internal=False)]
    assert WORDS in texts


def test_r7_meus_tickets_typed_at_the_whole_thread_runs(desk: Desk, tmp_path: Path) -> None:
    """'meus tickets' typed there was not understood; it runs, as at the ticket's page."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"ticket {ticket.number}\nVer o histórico completo\nmeus tickets\nsair\n")
    after = shown.split("> meus tickets\n", 1)[1]
    assert ticket.number in after.split("\n\n", 1)[1]
    assert not after.startswith(t("conv.error.choose")), after


def test_r7_a_menu_number_typed_at_the_trâmite_question_is_no_trâmite(
        desk: Desk, tmp_path: Path) -> None:
    """At 'Escreva o trâmite' (one button, Voltar ao ticket) Carla typed '4', the page's Menu a
    moment before: the trâmite '4' went to the team (and by e-mail). A number of one or two
    digits names a button there, as at the other written answers with buttons."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path,
                  f"ticket {ticket.number}\nAdicionar trâmite\n4\nsair\n")
    after = shown.split("> 4\n", 1)[1]
    assert after.startswith(t("conv.error.no_option_or_words.one", number=4, last=1, count=1))
    with desk.store() as uow:
        texts = [e.text for e in uow.entries.list(ticket.id or 0, include_internal=False)]
    assert "4" not in texts
