"""R18: the original of a duplicate may be named by the end of its number, as "ticket 1" opens a
ticket in the chat and `/ticket 1` in Slack: "1", "0001" or "#1" is the company's one recent
ticket ending in /0001. The duplicate form and the chat refused them ("Nenhum ticket tem o
número 1")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.errors import InvalidInput, NotFound
from core.models import Status
from core.services import handling


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


@pytest.mark.parametrize("typed", ["1", "0001", "#1", " #0001 "])
def test_r18_the_end_of_the_original_s_number_names_it(world: Any, typed: str) -> None:
    original = world.open("carla", assunto="Backup não roda")
    duplicate = world.open("carla", assunto="Backup não roda de novo")
    assert original.number.endswith("/0001")
    world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, typed)
    stored = world.ticket(duplicate.id)
    assert (stored.status, stored.duplicate_of_id) == (Status.REJECTED, original.id)


def test_r18_another_company_s_ticket_ending_so_is_not_taken(world: Any) -> None:
    """Numbers run across companies (R1): Loja Rival's 0001 is never Mercado's original."""
    world.open("rival", assunto="Caixa não abre")
    duplicate = world.open("carla", assunto="Backup não roda")
    with pytest.raises(NotFound) as caught:
        world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, "1")
    assert caught.value.key == "error.short_number_not_found"
    assert world.ticket(duplicate.id).status != Status.REJECTED


def test_r18_two_recent_tickets_ending_so_ask_for_the_whole_number(world: Any) -> None:
    first = world.open("carla", assunto="Backup não roda")
    world.advance(days=10)  # into December: its counter starts again at 0001
    second = world.open("carla", assunto="Backup não roda em dezembro")
    duplicate = world.open("carla", assunto="Backup não roda de novo")
    assert first.number[:6] != second.number[:6]
    assert second.number.endswith("/0001")
    with pytest.raises(InvalidInput) as caught:
        world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, "1")
    assert caught.value.key == "error.duplicate_short_ambiguous"
    assert caught.value.params["numbers"] == f"{second.number}, {first.number}"
    assert world.ticket(duplicate.id).status != Status.REJECTED


def test_r18_a_ticket_is_not_its_own_original_by_the_end_of_its_number(world: Any) -> None:
    duplicate = world.open("carla", assunto="Backup não roda")
    with pytest.raises(InvalidInput) as caught:
        world.run(handling.reject_duplicate, world.ids["ana"], duplicate.id, "1")
    assert caught.value.key == "error.duplicate_of_itself"
