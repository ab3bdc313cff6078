"""R2, R8: a customer added to another company sees its tickets; taken off one, no longer
(their tickets there stay the company's). On the memory store and both databases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fakes.chat import chat_for

from core.errors import InvalidInput
from core.services.memberships import change_companies


@pytest.fixture
def world(store: Any, world_on: Callable[[Any], Any]) -> Any:
    return world_on(store)


def test_r8_a_customer_sees_the_tickets_of_a_company_added_and_not_of_one_left(world: Any):
    mine = world.open("carla", assunto="Pedido de venda travado")
    rival = world.open("rival", assunto="Caixa da Loja Rival")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {rival.number}")
    assert "Caixa da Loja Rival" not in chat.text  # not hers to see (R8)
    change = world.run(change_companies, "carla@exemplo.com.br", ["Loja Rival"], [])
    assert change.added == ["Loja Rival"]
    chat.send(f"ticket {rival.number}")
    assert "Caixa da Loja Rival" in chat.prompt.text
    world.run(change_companies, "carla@exemplo.com.br", [], ["Mercado Exemplo"])
    chat.send(f"ticket {mine.number}")
    assert "Pedido de venda travado" not in chat.text
    assert world.ticket(mine.id).company_id != world.ticket(rival.id).company_id  # stays


def test_r2_a_customer_keeps_one_company(world: Any):
    with pytest.raises(InvalidInput) as refused:
        world.run(change_companies, "carla@exemplo.com.br", [], ["Mercado Exemplo"])
    assert refused.value.key == "error.customer_needs_company"
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).company_ids
