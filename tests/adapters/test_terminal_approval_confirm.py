"""Words typed at 'Aprovar e encerrar o ticket …?' (R19): read, never dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _awaiting, _chat
from test_terminal_typed import T0

from bots.runtime import Desk
from core.i18n import t
from core.models import Status

WORDS = "espera, a nota 10127 ainda dá rejeição"


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def test_r19_words_typed_at_the_approval_s_confirmation_are_kept_for_the_reason(
        desk: Desk, tmp_path: Path) -> None:
    """Carla typed 'funcionou', was asked to confirm, then wrote that the nota 10127 still
    fails: 'Não entendi. Escolha uma das opções', her words gone. They are read as at the
    decision question: kept, then offered as the reason of Não aprovar."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"1\nfuncionou\n{WORDS}\n2\n1\nsair\n")
    after = shown.split(f"> {WORDS}\n", 1)[1]
    assert after.startswith(t("conv.closing.said_kept"))
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
        texts = [e.text for e in uow.entries.list(ticket.id or 0, include_internal=True)]
    assert stored is not None
    assert stored.status != Status.AWAITING_APPROVAL
    assert any(WORDS in (text or "") for text in texts), texts


@pytest.mark.parametrize(("typed", "approved"), [("não", False), ("pode", True)])
def test_r19_a_short_yes_or_no_at_the_confirmation_answers_it(
        desk: Desk, tmp_path: Path, typed: str, approved: bool) -> None:
    """'não' and 'pode' at 'Aprovar e encerrar?' were 'Não entendi': a no goes back to the
    three answers, a yes approves, as 'sim' did."""
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"1\nfuncionou\n{typed}\nsair\n")
    after = shown.split(f"> {typed}\n", 1)[1]
    assert not after.startswith(t("conv.error.choose")), after
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
    assert stored is not None
    assert (stored.status == Status.CLOSED) is approved


def test_r19_approve_with_restrictions_typed_at_the_confirmation_asks_the_restriction(
        desk: Desk, tmp_path: Path) -> None:
    """'aprovar com restrições: o relatório ainda está lento' at 'Aprovar e encerrar?' picked
    the button sharing 'aprovar': the ticket closed with no restriction. It is the restriction,
    offered at its question."""
    carla, ticket = _awaiting(desk)
    words = "aprovar com restrições: o relatório ainda está lento"
    shown = _chat(desk, carla.id or 0, tmp_path, f"1\nfuncionou\n{words}\nsair\n")
    after = shown.split(f"> {words}\n", 1)[1]
    assert t("conv.closing.use_said") in after
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
    assert stored is not None
    assert stored.status == Status.AWAITING_APPROVAL


def test_r19_more_words_at_the_restriction_check_join_the_reason(
        desk: Desk, tmp_path: Path) -> None:
    """At 'Pelo que você escreveu, a solução não resolveu… O que prefere?' Carla added a
    line: 'Não entendi', the line gone. It joins the words kept, and Não aprovar sends both."""
    carla, ticket = _awaiting(desk)
    first, more = "não funcionou, a nota continua rejeitada", "a nota 10130 também volta"
    shown = _chat(desk, carla.id or 0, tmp_path, f"1\n3\n{first}\n{more}\n1\nsair\n")
    after = shown.split(f"> {more}\n", 1)[1]
    assert after.startswith(t("conv.closing.said_kept"))
    with desk.store() as uow:
        stored = uow.tickets.get(ticket.id or 0)
        texts = "\n".join(e.text or "" for e in uow.entries.list(ticket.id or 0,
                                                                 include_internal=True))
    assert stored is not None
    assert stored.status != Status.AWAITING_APPROVAL
    assert first in texts
    assert more in texts

