"""R19 in the terminal chat: a ticket's page awaiting approval lists 1. Aprovar; Carla, used to
typing 1 for the first option of other pages, approved and closed it for good. Aprovar picked
by its number is confirmed first (1 again goes back); 2 then, or "aprovar" typed, approves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _awaiting, _chat
from test_terminal_typed import T0
from test_terminal_typed import terminal_t as t

from bots.runtime import Desk
from core.models import Status


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def _status(desk: Desk, ticket_id: int) -> Status:
    with desk.store() as uow:
        stored = uow.tickets.get(ticket_id)
    assert stored is not None
    return stored.status


def test_r19_1_typed_at_the_page_asks_before_approving_and_1_again_goes_back(
        desk: Desk, tmp_path: Path) -> None:
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"2\nticket {ticket.number}\n1\n1\nsair\n")
    after = shown.split(f"> ticket {ticket.number}\n", 1)[1].split("> 1\n", 1)[1]
    assert after.startswith(t("conv.closing.confirm_number", number=ticket.number))
    assert f"1. {t('conv.closing.back')}" in after
    assert _status(desk, ticket.id or 0) == Status.AWAITING_APPROVAL


@pytest.mark.parametrize("typed", ["1\n2", "aprovar"])
def test_r19_the_customer_who_means_it_still_approves(desk: Desk, tmp_path: Path,
                                                      typed: str) -> None:
    carla, ticket = _awaiting(desk)
    shown = _chat(desk, carla.id or 0, tmp_path, f"2\nticket {ticket.number}\n{typed}\nsair\n")
    assert t("conv.closing.approved", number=ticket.number) in shown
    assert _status(desk, ticket.id or 0) == Status.CLOSED
