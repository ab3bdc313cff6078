"""The Slack card names a ticket's type, item and service in the reader's language, as the
ticket's page does (stored in pt-BR at registration)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from test_terminal_typed import DRAFT, T0, carla_and_ana

from bots.runtime import Desk
from bots.slack.card_blocks import ticket_card
from bots.slack.cards import card_data
from core.services import intake
from core.services.reference import load_catalog


@pytest.fixture
def desk(sql_store: Any) -> Iterator[Desk]:
    desk = Desk(sql_store, clock=lambda: T0, workers=1)
    yield desk
    desk.close()


def test_an_english_card_names_the_type_item_and_service_in_english(desk: Desk) -> None:
    """With LANGUAGE=en the card said 'Sistemas de Varejo / Suporte TOTALL SISTEMAS / …'."""
    carla, _ = carla_and_ana(desk)
    ticket = desk.call(intake.open_ticket, carla.id, DRAFT)
    data = desk.call(card_data, ticket.id)
    labels = desk.call(lambda ctx: load_catalog(ctx.uow).shown_labels(
        ticket.tipo, ticket.item, ticket.servico, "en"))
    english = json.dumps(ticket_card(data, lang="en"), ensure_ascii=False)
    assert " / ".join(labels) in english
    assert ticket.tipo not in english
    portuguese = json.dumps(ticket_card(data, lang="pt_BR"), ensure_ascii=False)
    assert f"{ticket.tipo} / {ticket.item} / {ticket.servico}" in portuguese
