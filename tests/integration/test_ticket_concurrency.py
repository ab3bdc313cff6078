"""Two use cases changing one ticket at the same moment never lose each other's change."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from core.models import Company, Role, Status, User
from core.services import handling, intake
from core.services.context import Ctx

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def _seed(store) -> tuple[int, int]:
    with store() as uow:
        company = uow.companies.add(Company(name="Mercado Exemplo"))
        carla = uow.users.add(User(name="Carla", email="carla@exemplo.com.br", trained=True,
                                   company_ids=[company.id]))
        ana = uow.users.add(User(name="Ana", email="ana@suporte.com.br", role=Role.AGENT,
                                 trained=True))
        draft = intake.TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas",
                                   assunto="Erro no pedido", descricao="Vendas / Pedidos: 10125")
        ticket = intake.open_ticket(Ctx(uow, NOW), carla.id, draft)
        uow.commit()
        return ticket.id, ana.id


def test_concurrent_take_and_unreachable_flag_both_survive(sql_store):
    ticket_id, ana_id = _seed(sql_store)
    taken = threading.Event()
    with sql_store() as first:
        handling.take(Ctx(first, NOW), ana_id, ticket_id)  # reads and writes the ticket

        def mark_unreachable() -> None:
            with sql_store() as second:
                taken.set()
                ticket = second.tickets.get(ticket_id)  # must wait for `first` to commit
                ticket.unreachable_telegram = True
                second.tickets.update(ticket)
                second.commit()

        worker = threading.Thread(target=mark_unreachable)
        worker.start()
        # On SQLite the second unit of work cannot open before this one ends (the process's
        # turn): `taken` is set only after the commit, and this wait runs out.
        taken.wait(1)
        time.sleep(0.3)  # give the second transaction time to (wrongly) read the old row
        first.commit()
    worker.join(10)
    with sql_store() as uow:
        ticket = uow.tickets.get(ticket_id)
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.assignee_id == ana_id
    assert ticket.unreachable_telegram is True
