"""Opening a ticket on a real database: one transaction, few statements, its notices with it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from core.models import Role
from core.outbox import Channel
from core.services import users
from core.services.context import Ctx
from core.services.intake import TicketDraft, open_ticket
from tests.fakes.wire_trace import wire_round_trips

DRAFT = TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="nfe", versao="2026.11",
                    assunto="Rejeição 539 na NF-e", descricao="A SEFAZ devolve a rejeição 539.")


def seed(ctx: Ctx) -> int:
    """Carla, a trained customer linked to Telegram (so three notices: chat, e-mail, card)."""
    users.add_company(ctx, "Mercado Exemplo Ltda")
    carla = users.add_user(ctx, name="Carla Souza", email="carla@mercado.example.com",
                           company_names=["Mercado Exemplo Ltda"], role=Role.CUSTOMER,
                           trained=True)
    carla.telegram_id = 5001
    ctx.uow.users.update(carla)
    assert carla.id is not None
    return carla.id


@contextmanager
def round_trips(desk: Any) -> Iterator[list[tuple[str, int]]]:
    """What the desk's engine sends meanwhile: BEGIN, each statement with its number of
    parameters, COMMIT."""
    seen: list[tuple[str, int]] = []

    def statement(*args: Any) -> None:
        seen.append((args[2], len(args[3])))

    listeners = [("begin", lambda *_: seen.append(("BEGIN", 0))),
                 ("after_cursor_execute", statement),
                 ("commit", lambda *_: seen.append(("COMMIT", 0)))]
    engine = desk.store.engine
    for name, fn in listeners:
        event.listen(engine, name, fn)
    try:
        yield seen
    finally:
        for name, fn in listeners:
            event.remove(engine, name, fn)


def test_a_registration_is_one_transaction_of_few_statements(desk: Any) -> None:
    """PostgreSQL: BEGIN, the user, then the number, the ticket and its three notices in one
    statement, COMMIT (the notices were a statement of their own: 5 round trips against a
    bare INSERT's 3). SQLite, which allows no INSERT inside a WITH: the user, the number, the
    ticket, the notices."""
    carla = desk.call(seed)
    desk.call(open_ticket, carla, DRAFT)  # the catalog is read once and kept
    with round_trips(desk) as sent:
        ticket = desk.call(open_ticket, carla, DRAFT)
    postgres = desk.store.engine.dialect.name == "postgresql"
    assert (sent[0][0], sent[-1][0]) == ("BEGIN", "COMMIT")
    assert len(sent) == (4 if postgres else 6), sent
    assert ticket.number.endswith("/0002")
    # psycopg parses a longer statement or one of more parameters again on every execution
    # (a first version, eleven parameters a notice, cost 40 % more CPU than two statements).
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH, MAX_CACHED_STATEMENT_PARAMS

    assert all(len(sql) <= MAX_CACHED_STATEMENT_LENGTH and params <= MAX_CACHED_STATEMENT_PARAMS
               for sql, params in sent), [(len(sql), params) for sql, params in sent]

    with desk.store() as uow:
        notices = [m for m in uow.outbox.all() if m.ticket_id == ticket.id]
    assert sorted((m.channel, m.kind) for m in notices) == [
        (Channel.EMAIL, "ticket.registered"), (Channel.SLACK, "card"),
        (Channel.TELEGRAM, "ticket.registered")]
    assert {m.params["number"] for m in notices} == {ticket.number}
    assert all(m.params["assunto"] == DRAFT.assunto for m in notices)


def test_a_registration_on_its_own_is_two_round_trips_on_postgres(desk: Any, tmp_path: Any
                                                                  ) -> None:
    """Desk.call(open_ticket, alone=True), nothing else written: the user read on its own,
    then the number, the ticket and its notices as one statement committing on its own (a
    bare INSERT and its commit are 3: BEGIN, INSERT, COMMIT); it was 4 (BEGIN, the user, the
    ticket, COMMIT). The ticket and its notices are kept; a second registration is numbered
    next."""
    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips to save")
    carla = desk.call(seed)
    desk.call(open_ticket, carla, DRAFT)  # the catalog is read once and kept
    with wire_round_trips(desk, tmp_path / "trace") as sent:
        ticket = desk.call(open_ticket, carla, DRAFT, alone=True)
    assert sent == ["Sync", "Sync"], sent
    assert ticket.number.endswith("/0002")
    assert desk.call(open_ticket, carla, DRAFT, alone=True).number.endswith("/0003")
    with desk.store() as uow:
        notices = [m for m in uow.outbox.all() if m.ticket_id == ticket.id]
        assert uow.tickets.read(ticket.id or 0) is not None
    assert sorted((m.channel, m.kind) for m in notices) == [
        (Channel.EMAIL, "ticket.registered"), (Channel.SLACK, "card"),
        (Channel.TELEGRAM, "ticket.registered")]
