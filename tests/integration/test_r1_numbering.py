"""R1: ticket numbers are unique and gap-free per month, also under concurrent openings."""

from __future__ import annotations

import multiprocessing
import queue
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from core.models import Company, Ticket, User
from core.ports import TicketQuery
from storage.sql import SqlStore
from storage.tables import ticket_counters

PROCESSES = 8
OPENINGS = 50
PERIOD = "202611"
T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def _ticket(period: str, seq: int, company_id: int, requester_id: int) -> Ticket:
    return Ticket(period=period, seq=seq, company_id=company_id, requester_id=requester_id,
                  tipo="varejo", item="suporte", servico="vendas", assunto="Concorrência",
                  descricao="Aberto em paralelo", opened_at=T0, updated_at=T0)


def open_many(url: str, company_id: int, requester_id: int, start: Any, results: Any) -> None:
    """Open OPENINGS tickets, one unit of work each (runs in a process of its own)."""
    store = SqlStore(url)
    try:
        start.wait(timeout=60)
        numbers = []
        for _ in range(OPENINGS):
            with store() as uow:
                ticket = uow.tickets.add_numbered(_ticket(PERIOD, 0, company_id, requester_id))
                uow.commit()
            numbers.append(ticket.number)
        results.put(("ok", numbers))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        store.dispose()


def test_r1_concurrent_numbering_is_unique_and_gap_free(db_url: str) -> None:
    store = SqlStore(db_url)
    with store() as uow:
        company = uow.companies.add(Company(name="Mercado Exemplo")).id
        requester = uow.users.add(User(name="Carla", email="carla@exemplo.com.br",
                                       company_ids=[company], trained=True)).id
        uow.commit()
    store.dispose()

    # Separate processes, each with its own engine and connections; forked from one server that
    # imported the store once (8 spawned interpreters importing it took seconds on 2 cores).
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["storage.sql", "core.models", __name__])
    start, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [
        ctx.Process(target=open_many, args=(db_url, company, requester, start, results))
        for _ in range(PROCESSES)
    ]
    began = time.monotonic()
    for w in workers:
        w.start()
    outcomes = []
    try:
        for _ in workers:
            outcomes.append(results.get(timeout=120))
    except queue.Empty:
        outcomes.append(("error", "a worker did not report within 120 s"))
    finally:
        for w in workers:
            w.join(timeout=10)
            if w.is_alive():
                w.kill()
    elapsed = time.monotonic() - began

    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == []
    numbers = [n for _, batch in outcomes for n in batch]
    assert len(numbers) == PROCESSES * OPENINGS
    assert sorted(numbers) == [f"{PERIOD}/{i:04d}" for i in range(1, PROCESSES * OPENINGS + 1)]
    assert elapsed < 60

    store = SqlStore(db_url)
    try:
        with store() as uow:
            assert uow.tickets.next_seq("202612") == 1
            assert uow.tickets.next_seq(PERIOD) == PROCESSES * OPENINGS + 1
            december = uow.tickets.add(_ticket("202612", 1, company, requester))
            assert december.number == "202612/0001"
    finally:
        store.dispose()


def test_r1_numbers_past_9999_keep_every_digit(db_url: str) -> None:
    store = SqlStore(db_url)
    try:
        with store() as uow:
            company = uow.companies.add(Company(name="Mercado Exemplo")).id
            requester = uow.users.add(User(name="Carla", email="carla@exemplo.com.br",
                                           company_ids=[company], trained=True)).id
            assert uow.tickets.add_numbered(_ticket(PERIOD, 0, company, requester)).seq == 1
            uow.connection.execute(update(ticket_counters).values(last_seq=9998))
            numbers = [uow.tickets.add_numbered(_ticket(PERIOD, 0, company, requester)).number
                       for _ in range(2)]
            assert numbers == [f"{PERIOD}/9999", f"{PERIOD}/10000"]
            found = uow.tickets.list(TicketQuery(text=f"{PERIOD}/10000"))
            assert [t.number for t in found] == [f"{PERIOD}/10000"]
            uow.commit()
    finally:
        store.dispose()


def test_r1_a_ticket_found_by_number_as_its_unit_of_work_sees_it(db_url: str) -> None:
    """A ticket opened in a unit of work is found by its number there as last written, without
    a read (the chat's registration links its answer to it); rolled back, it is not found, and
    the number is given again."""
    store = SqlStore(db_url)
    try:
        with store() as uow:
            company = uow.companies.add(Company(name="Mercado Exemplo")).id or 0
            requester = uow.users.add(User(name="Carla", email="carla@exemplo.com.br",
                                           company_ids=[company], trained=True)).id or 0
            uow.commit()
        with store() as uow:
            ticket = uow.tickets.add_numbered(_ticket(PERIOD, 0, company, requester))
            ticket.assunto = "Mudou antes do commit"
            uow.tickets.update(ticket)
            found = uow.tickets.by_number(PERIOD, ticket.seq)
            assert found is not None
            assert found.id == ticket.id
            assert found.assunto == "Mudou antes do commit"
            uow.rollback()
            assert uow.tickets.by_number(PERIOD, ticket.seq) is None
            again = uow.tickets.add_numbered(_ticket(PERIOD, 0, company, requester))
            uow.commit()
        assert again.number == ticket.number
        with store() as uow:
            stored = uow.tickets.by_number(PERIOD, again.seq)
        assert stored is not None
        assert stored.assunto == "Concorrência"
    finally:
        store.dispose()
