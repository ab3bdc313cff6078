"""Part 2: tickets registered per second through Desk.call(open_ticket) vs a raw INSERT."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert

from bench.context import Bench
from bench.dbs import FreshDatabase
from bench.fixtures import People, draft, setup_people
from bench.results import Figure, Target, ratio_of
from bench.stats import clock, rate
from bots.runtime import Desk
from core.catalog import default_catalog
from core.models import Priority, Status, format_number
from core.services.intake import open_ticket
from storage.search import stored_roots
from storage.sql import SqlStore
from storage.tables import tickets

PART = "2. Registration"
RAW_PERIOD = "209912"  # a period of its own, so raw rows never take the service's numbers
ROUNDS = 5


def raw_row(people: People, seq: int, now: datetime) -> dict[str, Any]:
    """The row open_ticket writes for the benchmark's draft, numbered in RAW_PERIOD."""
    d = draft()
    catalog = default_catalog()
    tipo = catalog.tipo(d.tipo_id or "")
    item = catalog.item(tipo.id, d.item_id or "")
    servico = catalog.servico(tipo.id, item.id, d.servico_id or "")
    return {
        "period": RAW_PERIOD, "seq": seq, "number": format_number(RAW_PERIOD, seq),
        "company_id": people.company_id, "requester_id": people.customer_id,
        "tipo": tipo.label, "item": item.label, "servico": servico.label, "versao": d.versao,
        "assunto": d.assunto, "descricao": d.descricao, "priority": Priority.STANDARD.value,
        "status": Status.NEW.value, "opened_at": now, "updated_at": now, "reminders_sent": 0,
        "due_warnings_sent": 0, "first_response_flagged": False, "billable": False,
        "unreachable_telegram": False,
        "search_roots": stored_roots(d.assunto or "", d.descricao or ""),
    }


class RawInserter:
    """The baseline: one SQLAlchemy Core INSERT of the same row and a commit, per ticket."""

    def __init__(self, engine: Engine, people: People) -> None:
        self.engine = engine
        self.people = people
        self.seq = 0
        self.stmt = insert(tickets)

    def __call__(self) -> None:
        self.seq += 1
        row = raw_row(self.people, self.seq, datetime.now(UTC))
        with self.engine.connect() as conn:
            conn.execute(self.stmt, row)
            conn.commit()


def measure(desk: Desk, engine: Engine, people: People, n: int) -> tuple[float, float]:
    """(service tickets/s, raw inserts/s), interleaved in rounds so drift hits both alike."""
    raw = RawInserter(engine, people)
    the_draft = draft()

    def service() -> None:
        desk.call(open_ticket, people.customer_id, the_draft, alone=True)

    for _ in range(max(2, n // 50)):  # warm-up: caches, pool, statement compilation
        raw()
        service()
    per_round = max(1, n // ROUNDS)
    t_raw = t_service = 0.0
    done = 0
    for _ in range(ROUNDS):
        start = clock()
        for _ in range(per_round):
            raw()
        t_raw += clock() - start
        start = clock()
        for _ in range(per_round):
            service()
        t_service += clock() - start
        done += per_round
    return rate(done, t_service), rate(done, t_raw)


def run(bench: Bench, kind: str) -> None:
    """Measure on a fresh database of this kind and add the figure."""
    with FreshDatabase(kind) as url:
        store = SqlStore(url)
        desk = Desk(store)
        try:
            people = setup_people(desk)
            ours, raw = measure(desk, store.engine, people, bench.scale.registrations)
        finally:
            desk.close()
            store.dispose()
    bench.report.add(Figure(
        PART, kind, "tickets/s via Desk.call(open_ticket), sequential", ours, "/s",
        "raw Core INSERT+commit/s", raw, ratio_of(ours, raw), Target(">=", 0.5),
        note="open_ticket also numbers the ticket, loads user and catalog, and writes 3 outbox "
             "rows (Telegram, e-mail, Slack card) in the same transaction (alone=True: the "
             "call writes nothing else; on PostgreSQL that transaction is then one statement). "
             "The chat's Registrar o Ticket step is not alone: the conversation is saved in the "
             "same transaction, 4-5 round trips on PostgreSQL."))
