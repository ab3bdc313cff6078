"""A seeded store for the storage tests: two companies, their customers and an agent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.models import Company, Role, Ticket, User

T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


class World:
    """Two companies, their customers and an agent, in a store."""

    def __init__(self, store: Any) -> None:
        self.store = store
        with store() as uow:
            self.a = uow.companies.add(Company(name="Mercado Exemplo")).id
            self.b = uow.companies.add(Company(name="Loja Rival")).id
            self.carla = self._user(uow, "Carla", [self.a])
            self.joao = self._user(uow, "João", [self.a])
            self.rita = self._user(uow, "Rita", [self.b])
            self.ana = self._user(uow, "Ana", [], Role.AGENT)
            uow.commit()

    @staticmethod
    def _user(uow: Any, name: str, companies: list[int], role: Role = Role.CUSTOMER) -> int:
        user = User(name=name, email=f"{name.lower()}@exemplo.com.br", company_ids=companies,
                    role=role, trained=True)
        return uow.users.add(user).id

    def open(self, uow: Any, *, company: int | None = None, requester: int | None = None,
             at: datetime = T0, **fields: Any) -> Ticket:
        """Number and insert a ticket in this unit of work."""
        period = at.strftime("%Y%m")
        values: dict[str, Any] = {
            "tipo": "varejo", "item": "suporte", "servico": "vendas",
            "assunto": "Erro ao confirmar pedido", "descricao": "Vendas / Pedidos: erro",
        }
        values.update(fields)
        ticket = Ticket(period=period, seq=uow.tickets.next_seq(period),
                        company_id=company or self.a, requester_id=requester or self.carla,
                        opened_at=at, updated_at=at, **values)
        return uow.tickets.add(ticket)

    def open_committed(self, **kw: Any) -> Ticket:
        """Open a ticket in its own committed unit of work."""
        with self.store() as uow:
            ticket = self.open(uow, **kw)
            uow.commit()
            return ticket
