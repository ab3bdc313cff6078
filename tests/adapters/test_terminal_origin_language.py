"""R11, R22, R23: the contract table's origins follow the reader's language. A customer reading
in English was asked to authorize a charge 'outside the contract (Hardware / infraestrutura de
TI)', and her ticket's page said so; the demo's data (companies, tickets) stays Portuguese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_terminal_customer_paths import _chat
from test_terminal_typed import DRAFT, T0, carla_and_ana

from bots.runtime import Desk
from core.i18n import render_notification
from core.services import billing, handling, intake, users


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    """The desk over a fresh database of each kind, its clock at business hours."""
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def test_r22_an_origin_outside_the_contract_is_named_in_english_to_an_english_reader(
        desk: Desk, tmp_path: Path) -> None:
    carla, ana = carla_and_ana(desk)
    desk.call(users.set_language, "carla@example.com", "en")
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.take, ana.id, ticket.id)
    desk.call(billing.classify_origin, ana.id, ticket.id, "infraestrutura")
    shown = _chat(desk, carla.id or 0, tmp_path, f"ticket {ticket.number}\nsair\n")
    assert "Hardware / IT infrastructure" in shown
    assert "infraestrutura de TI" not in shown
    with desk.store() as uow:
        asked = [m for m in uow.outbox.all()  # type: ignore[attr-defined]
                 if m.kind == "ticket.billing_prompt"]
    assert asked
    _, text = render_notification(asked[0].kind, asked[0].params)
    assert "(Hardware / IT infrastructure)" in text
    _, text = render_notification(asked[0].kind, asked[0].params, "pt_BR")
    assert "(Hardware / infraestrutura de TI)" in text


def test_r23_a_refused_origin_is_named_in_the_agent_s_language(desk: Desk) -> None:
    """An agent reading in English was refused 'outside the contract (Hardware /
    infraestrutura de TI)' for a closed ticket: the origin in Portuguese amid English."""
    from core.conversation.turn import error_text
    from core.errors import HelpdeskError
    from core.services import closing

    carla, ana = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    desk.call(handling.take, ana.id, ticket.id)
    desk.call(closing.request_approval, ana.id, ticket.id, "Rode isso.", origin_id="erro_sistema")
    desk.call(closing.approve, carla.id, ticket.id)
    with pytest.raises(HelpdeskError) as refused:
        desk.call(billing.classify_origin, ana.id, ticket.id, "infraestrutura")
    assert "(Hardware / IT infrastructure)" in error_text(refused.value, "en")
    assert "(Hardware / infraestrutura de TI)" in error_text(refused.value, "pt_BR")
