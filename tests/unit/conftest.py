"""A small world for core's unit tests: two companies, customers, agents, an in-memory store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.models import Role
from core.outbox import DeliveryStatus
from core.policy import Policy
from core.services import intake, users
from core.services.context import Ctx
from storage.memory import MemoryStore

# Tuesday 2026-11-24 10:00 in São Paulo (13:00 UTC): business hours.
T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


class World:
    """Runs use cases against one store with a movable clock, committing each call."""

    def __init__(self, store: Any = None) -> None:
        self.store = store if store is not None else MemoryStore()
        self.now = T0
        self.policy = Policy()
        self.ids: dict[str, int] = {}

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call a use case in its own committed unit of work."""
        with self.store() as uow:
            result = fn(Ctx(uow, self.now, self.policy), *args, **kwargs)
            uow.commit()
            return result

    def read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Call a function with an open unit of work, without committing."""
        with self.store() as uow:
            return fn(uow, *args)

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**delta)

    def ticket(self, ticket_id: int) -> Any:
        """The stored ticket."""
        return self.read(lambda uow, i: uow.tickets.get(i), ticket_id)

    def outbox(self) -> list[Any]:
        """Every notification written so far."""
        with self.store() as uow:
            return uow.outbox.all()

    def deliver(self) -> None:
        """Mark every outbox row so far sent, as the dispatcher would."""
        with self.store() as uow:
            for row in uow.outbox.rows.values():
                row.status = DeliveryStatus.SENT
            uow.commit()

    def speaks(self, who: str, language: str) -> None:
        """Set the person's language, as the profile's Idioma does."""
        with self.store() as uow:
            user = uow.users.get(self.ids[who])
            user.language = language
            uow.users.update(user)
            uow.commit()

    def open(self, who: str = "carla", **fields: Any) -> Any:
        """Open a complete ticket as a customer."""
        draft = intake.TicketDraft(
            tipo_id="varejo", item_id=fields.pop("item_id", "suporte"),
            servico_id=fields.pop("servico_id", "vendas"),
            versao="2026.11", assunto=fields.pop("assunto", "Erro ao confirmar pedido de venda"),
            descricao=fields.pop("descricao", "Vendas / Pedidos / Novo: erro no pedido 10125"),
            **fields,
        )
        return self.run(intake.open_ticket, self.ids[who], draft)


@pytest.fixture
def world() -> World:
    """Companies A (Mercado Exemplo) and B (Loja Rival), their users, and two agents."""
    return seeded(World())


def seeded(w: World) -> World:
    """The world's companies and people, added to its store (a memory one, or a database)."""
    w.run(users.add_company, "Mercado Exemplo")
    w.run(users.add_company, "Loja Rival")
    people = [
        ("carla", "Carla Souza", ["Mercado Exemplo"], Role.CUSTOMER, True),
        ("joao", "João Lima", ["Mercado Exemplo"], Role.CUSTOMER, True),
        ("novato", "Pedro Novato", ["Mercado Exemplo"], Role.CUSTOMER, False),
        ("rival", "Rita Rival", ["Loja Rival"], Role.CUSTOMER, True),
        ("ana", "Ana Atendente", [], Role.AGENT, True),
        ("bruno", "Bruno Suporte", [], Role.AGENT, True),
        ("coord", "Anderson Coordenação", [], Role.COORDINATOR, True),
    ]
    for key, name, companies, role, trained in people:
        user = w.run(users.add_user, name=name, email=f"{key}@exemplo.com.br",
                     company_names=companies, role=role, trained=trained,
                     slack_id=f"U{key.upper()}" if role != Role.CUSTOMER else None)
        w.ids[key] = user.id
    return w


@pytest.fixture
def world_on() -> Callable[[Any], World]:
    """The same world on a given store: a SqlStore on `db_url`, for a rule on both databases."""
    return lambda store: seeded(World(store))
