"""A seeded store for the storage tests: two companies, their customers and an agent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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


def add_tickets(uow: Any, n: int, requester: int, assunto: str, at: datetime = T0) -> None:
    """n tickets of the requester about assunto, opened a minute apart up to at, added in this
    unit of work at once (a busy desk's common word: its search finds them all)."""
    user = uow.users.get(requester)
    for minutes in range(n - 1, -1, -1):
        opened = at - timedelta(minutes=minutes)
        period = opened.strftime("%Y%m")
        uow.tickets.add(Ticket(
            period=period, seq=uow.tickets.next_seq(period), company_id=user.company_ids[0],
            requester_id=requester, tipo="varejo", item="suporte", servico="vendas",
            assunto=assunto, descricao="Vendas > Notas > Emitir", opened_at=opened,
            updated_at=opened))
