"""A chat step's statements compiled at a process's start (bots.warmup, storage.sql.warm)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bots.telegram.steps import Inbound, Outcome, converse, delivered, telegram_repo
from bots.warmup import compile_statements
from core.conversation.identity import telegram_key
from core.conversation.replies import UserInput, parse
from core.services import users
from core.services.context import Ctx
from storage.sql import prepared

CHAT = 6101
INTAKE = [("say", "/novo"), ("click", "Suporte"), ("click", "Vendas"), ("click", "atual"),
          ("say", "Erro ao confirmar pedido de venda para cliente do PR"),
          ("say", "Vendas > Pedidos > Novo: o pedido 4431 não confirma na versão 2026.11 e o "
                  "caixa fica parado; segue o passo a passo usado para reproduzir o erro."),
          ("click", "Concluir"), ("click", "Padrão")]
"""An intake up to its summary, as the bench's customers type it."""
REGISTERED = [*INTAKE, ("click", "Registrar o Ticket")]
"""The whole intake: the ticket registered."""


def seed(ctx: Ctx) -> None:
    users.add_company(ctx, "Mercado Exemplo Ltda")
    user = users.add_user(ctx, name="Carla Souza", email="carla@example.com",
                          company_names=["Mercado Exemplo Ltda"], trained=True)
    user.telegram_id = CHAT
    ctx.uow.users.update(user)


def compiled() -> int:
    """Statements compiled for the driver's cursor so far, in this process."""
    return prepared._prepared.cache_info().misses


def cached(desk: Any) -> int:
    """Statements SQLAlchemy compiled into the engine's cache so far."""
    return len(desk.store.engine._compiled_cache)


def intake(desk: Any, steps: list[tuple[str, str]] = INTAKE) -> tuple[list[Outcome], Any]:
    """The steps as the Telegram adapter runs them: each answer sent and recorded, and the
    next step of the chat starting from what the last one kept (Inbound.known)."""
    outcomes: list[Outcome] = []
    shown: list[tuple[int, Any]] = []
    known = None
    for n, (kind, arg) in enumerate(steps, start=1):
        if kind == "say":
            inbound = Inbound(update_ids=[n], chat_id=CHAT, user_id=CHAT,
                              user_input=parse(arg), text=arg)
        else:
            message_id, data = next((mid, d) for mid, m in reversed(shown)
                                    for row in m.buttons for label, d in row if arg in label)
            inbound = Inbound(update_ids=[n], chat_id=CHAT, user_id=CHAT,
                              user_input=UserInput.of_choice(data), clicked=message_id)
        inbound.known = known
        outcome = desk.call(converse, inbound)
        assert outcome.accepted, (arg, outcome.refusal)
        sent = [(1000 + 10 * n + i, m) for i, m in enumerate(outcome.messages)]
        desk.call(delivered, CHAT, sent, outcome.outbox_id)
        shown += sent
        prompts = [(mid, m.has_keyboard) for mid, m in sent if m.prompt]
        known = outcome.known.shown(prompts[-1]) if outcome.known and prompts else outcome.known
        outcomes.append(outcome)
    return outcomes, known


def test_the_first_customer_after_a_start_compiles_no_statement_in_their_steps(desk: Any
                                                                               ) -> None:
    """Each engine compiled the chat step's statements on their first use: ~25 ms of CPU
    inside the first intake after a start, 4 ms of it before the first click's answer. The
    start compiles them now; the first intake's steps compile nothing (they compiled 6 on
    PostgreSQL, 9 on SQLite)."""
    desk.call(seed)
    asyncio.run(compile_statements(desk))
    before = compiled()
    outcomes, _ = intake(desk)
    assert compiled() == before
    assert "Confira" in outcomes[-1].messages[-1].html  # the summary, asked as usual
    if desk.store.engine.dialect.name == "postgresql":
        assert all(o.known is not None for o in outcomes[1:])  # the kept chat's steps


def test_the_first_intake_after_a_start_compiles_nothing_in_novo_nor_in_registrar(desk: Any
                                                                                  ) -> None:
    """R1, R10: after the start's warm-up, /novo still compiled its reads of the customer's
    tickets awaiting approval and of the catalog (4.3 ms of CPU, in SQLAlchemy's cache) and
    *Registrar o Ticket* its numbered insert with the ticket's notices (4.6 ms) inside the
    first intake. The start compiles those too: on PostgreSQL the whole intake compiles
    nothing; on SQLite the numbered ticket's statements are compiled at start, the reads and
    the ticket's notices' insert are left (a read at start would take the write lock; the
    notices' rows follow the channels a notice goes out on)."""
    desk.call(seed)
    asyncio.run(compile_statements(desk))
    before, in_cache = compiled(), cached(desk)
    outcomes, _ = intake(desk, REGISTERED)
    assert "registrado" in outcomes[-1].messages[0].html
    if desk.store.engine.dialect.name == "postgresql":
        assert cached(desk) == in_cache
        assert compiled() == before
    else:
        assert compiled() <= before + 1


def test_a_kept_chat_s_check_is_compiled_once(desk: Any) -> None:
    """PostgreSQL: a step that started from what the process kept and wrote no answer checks
    that none of it moved with a statement built anew each time, so compiled each time."""
    desk.call(seed)
    known = intake(desk)[1]
    if known is None:  # SQLite keeps nothing: it reads
        return
    key = telegram_key(CHAT, CHAT)

    def check(ctx: Ctx) -> None:
        telegram_repo(ctx).check_unmoved(CHAT, key, known)

    desk.call(check)
    before = compiled()
    desk.call(check)
    desk.call(check)
    assert compiled() == before


def test_postgresql_the_first_step_s_server_process_is_ready_for_it(desk: Any) -> None:
    """A new server process's first folded write planned ~3 ms longer (the step's tables, their
    indexes, helpdesk_all_written loaded then). The start reads them on the connection the
    first step takes, writing nothing: the step's opening read is already prepared there."""
    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server process")
    desk.call(seed)
    asyncio.run(compile_statements(desk))

    def server_side(ctx: Ctx) -> tuple[list[str], int]:
        conn: Any = ctx.uow.connection  # type: ignore[attr-defined]
        kept = conn.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars()
        events = conn.exec_driver_sql("SELECT count(*) FROM inbound_events").scalar_one()
        return list(kept), events

    kept, events = desk.call(server_side)
    assert any("telegram_chats" in s and "conversations" in s for s in kept), kept
    assert events == 0


def folded_plans(ctx: Ctx) -> list[tuple[int, int]]:
    """(custom plans, generic plans) of the kept chat's folded write prepared on this
    connection (the middle steps' one statement: the save, the update id, the answer's row and
    the check that nothing moved, committed unflushed)."""
    conn: Any = ctx.uow.connection  # type: ignore[attr-defined]
    return [tuple(r) for r in conn.exec_driver_sql(
        "SELECT custom_plans, generic_plans FROM pg_prepared_statements WHERE statement LIKE "
        "'%%helpdesk_all_written%%' AND statement LIKE '%%known_u%%' AND statement LIKE "
        "'%%synchronous_commit%%' AND statement LIKE '%%fresh%%' AND statement LIKE '%%saved%%'")]


def left(ctx: Ctx) -> list[int]:
    """Rows of the tables a chat step writes."""
    conn: Any = ctx.uow.connection  # type: ignore[attr-defined]
    return [conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one() for table in
            ("telegram_chats", "conversations", "inbound_events", "outbox")]


def test_postgresql_the_first_customer_s_steps_find_the_step_s_write_planned(desk: Any
                                                                            ) -> None:
    """PostgreSQL plans a prepared statement for its values its first five executions on a
    connection (then keeps a generic plan): the first customer after a start paid it on the
    first six middle steps' folded write, ~0.3 ms of the server's time each and 1-2 ms on the
    first (bench/HISTORY.md, h144). The start runs it six times on the connection the first step
    takes, in a transaction that leaves nothing; the first intake's steps plan nothing."""
    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans nothing ahead")
    desk.call(seed)
    asyncio.run(compile_statements(desk))
    assert desk.call(left) == [0, 0, 0, 0]
    before = desk.call(folded_plans)
    outcomes, _ = intake(desk)
    assert "Confira" in outcomes[-1].messages[-1].html
    after = desk.call(folded_plans)
    assert len(after) == 1, after
    planned = before[0][0] if before else 0
    assert after[0][0] == planned, (before, after)  # the intake planned none for its values
    assert after[0][1] >= len(INTAKE) - 1  # its steps after /novo ran the generic plan


def test_r10_the_first_novo_after_a_start_lists_the_tickets_awaiting_approval_uncompiled(
        desk: Any) -> None:
    """R10: /novo lists the customer's tickets awaiting approval and reads the catalog. On
    SQLite both ran through SQLAlchemy's execution (the listing 97 µs a /novo against 30 on
    the driver's cursor), compiled into its cache by the first /novo after a start. They
    now run on the driver's cursor, compiled at start: the first /novo compiles nothing."""
    desk.call(seed)
    asyncio.run(compile_statements(desk))
    before, in_cache = compiled(), cached(desk)
    outcomes, _ = intake(desk, INTAKE[:1])
    assert outcomes[0].messages  # the greeting and the first question
    if desk.store.engine.dialect.name == "sqlite":
        assert compiled() == before
        assert cached(desk) == in_cache
