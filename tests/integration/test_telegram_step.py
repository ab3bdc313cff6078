"""A Telegram chat step on a real database: what it reads at once, how few statements it asks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from bots.telegram.steps import Inbound, chat_blocked, converse, delivered
from core.conversation.identity import telegram_key
from core.conversation.replies import UserInput, parse
from core.models import Role
from core.services import users
from core.services.context import Ctx
from core.services.handling import find_by_number
from storage.sql.telegram import ChatPrompt

CARLA, ANA, BRUNO, STRANGER = 5101, 5102, 5104, 5103


def seed(ctx: Ctx) -> None:
    """Carla, a customer of two companies (in this order), Bruno of one, Ana an agent."""
    users.add_company(ctx, "Mercado Exemplo Ltda")
    users.add_company(ctx, "Padaria Central")
    for name, telegram_id, companies, role in (
            ("Carla Souza", CARLA, ["Padaria Central", "Mercado Exemplo Ltda"], Role.CUSTOMER),
            ("Bruno Reis", BRUNO, ["Mercado Exemplo Ltda"], Role.CUSTOMER),
            ("Ana Lima", ANA, [], Role.AGENT)):
        user = users.add_user(ctx, name=name, email=f"{telegram_id}@example.com",
                              company_names=companies, role=role, trained=True)
        user.telegram_id = telegram_id
        ctx.uow.users.update(user)


@contextmanager
def statements(desk: Any) -> Iterator[list[str]]:
    """The SQL statements the desk's engine runs meanwhile."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    engine = desk.store.engine
    event.listen(engine, "after_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", note)


def said(update_id: int, chat: int, text: str) -> Inbound:
    return Inbound(update_ids=[update_id], chat_id=chat, user_id=chat, user_input=parse(text),
                   text=text)


def clicked(update_id: int, chat: int, message_id: int, data: str) -> Inbound:
    return Inbound(update_ids=[update_id], chat_id=chat, user_id=chat,
                   user_input=UserInput.of_choice(data), clicked=message_id)


def test_the_step_reads_the_user_chat_and_conversation_as_stored(desk: Any) -> None:
    desk.call(seed)

    def read(ctx: Ctx, chat: int) -> tuple[Any, ...]:
        key = telegram_key(chat, chat)
        return ctx.uow.users.by_telegram(chat), ctx.uow.conversations.get(key)

    def opened(ctx: Ctx, chat: int, update_id: int) -> tuple[Any, ...]:
        from bots.telegram.steps import telegram_repo

        key = telegram_key(chat, chat)
        event = ("test", str(update_id), ctx.now)
        start = telegram_repo(ctx).open_step(chat, key, ctx.uow.users,  # type: ignore[arg-type]
                                             ctx.uow.conversations,  # type: ignore[arg-type]
                                             event)
        if not start.recorded:  # PostgreSQL: recorded with the step's writes, here at commit
            ctx.uow.inbound.hold(*event)  # type: ignore[attr-defined]
        with statements(desk) as after:
            found = ctx.uow.users.by_telegram(chat), ctx.uow.conversations.get(key)
        assert after == [] or not start.fresh  # read with the step's first statement(s)
        return start, found

    desk.call(converse, said(1, CARLA, "/novo"))
    desk.call(chat_blocked, CARLA)
    for n, chat in enumerate((CARLA, ANA, STRANGER)):
        start, found = desk.call(opened, chat, 100 + n)
        assert start.fresh
        assert found == desk.call(read, chat)
        assert start.blocked is (chat == CARLA)
    carla = desk.call(read, CARLA)[0]
    assert carla.company_ids == [2, 1]  # in the order they were given
    assert desk.call(read, ANA)[0].company_ids == []
    assert desk.call(opened, CARLA, 100)[0].fresh is False


def test_a_chat_step_and_its_bookkeeping_ask_few_statements(desk: Any) -> None:
    """PostgreSQL: the update id and every read in one statement, the conversation's save with
    the answer's outbox row in another, then after the send one statement closing that row and
    recording the new question (they were 6 and 3, then 3 and 1). SQLite, where a statement is
    no round trip: 4 and 3 (6 and 3)."""
    desk.call(seed)
    first = desk.call(converse, said(1, BRUNO, "/novo"))
    desk.call(delivered, BRUNO, [(900, m) for m in first.messages], first.outbox_id)
    data = next(d for m in first.messages for row in m.buttons for label, d in row
                if "Suporte" in label)
    with statements(desk) as step:
        outcome = desk.call(converse, clicked(2, BRUNO, 900, data))
    assert outcome.accepted
    assert outcome.messages
    with statements(desk) as after:
        previous = desk.call(delivered, BRUNO, [(901, m) for m in outcome.messages],
                             outcome.outbox_id)
    assert previous == ChatPrompt(900, True)
    postgres = desk.store.engine.dialect.name == "postgresql"
    assert (len(step), len(after)) == ((2, 1) if postgres else (4, 3))


def test_the_record_of_a_send_is_one_round_trip_on_postgresql(desk: Any, tmp_path: Any
                                                              ) -> None:
    """PostgreSQL: after the answer went out, closing its safety-net row and recording the
    new question is one statement committing on its own (it was BEGIN, the statement,
    COMMIT); a message naming a ticket is remembered with it in one transaction."""
    from bots.telegram.render import Outgoing
    from bots.telegram.steps import delivered_many, telegram_repo
    from tests.fakes.wire_trace import wire_round_trips

    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips to save")
    desk.call(seed)
    first = desk.call(converse, said(1, BRUNO, "/novo"))
    desk.call(delivered, BRUNO, [(900, m) for m in first.messages], first.outbox_id)
    data = next(d for m in first.messages for row in m.buttons for label, d in row
                if "Suporte" in label)
    outcome = desk.call(converse, clicked(2, BRUNO, 900, data))
    with wire_round_trips(desk, tmp_path / "trace") as sent:  # as the chat's GroupCommit
        previous = desk.call(delivered_many, [(BRUNO, [(901, m) for m in outcome.messages],
                                               outcome.outbox_id)])
    assert sent == ["Sync"], sent
    assert previous == [ChatPrompt(900, True)]
    assert desk.call(lambda ctx: telegram_repo(ctx).prompt(BRUNO)) == ChatPrompt(901, True)
    assert desk.call(lambda ctx: ctx.uow.outbox.get(outcome.outbox_id)).status.value == "sent"
    with wire_round_trips(desk, tmp_path / "trace2") as sent:
        desk.call(delivered, BRUNO, [(902, Outgoing(html="Ticket 202612/0001", ticket_id=1))])
    assert (sent[0], sent[-1]) == ("Query", "Query"), sent  # BEGIN … COMMIT


def test_the_records_of_several_chats_sends_are_one_round_trip_on_postgresql(
        desk: Any, tmp_path: Any) -> None:
    """Under a burst the chats' GroupCommit records many sends at once: on PostgreSQL one
    statement for all of them, committing on its own (it was BEGIN, one statement per chat,
    COMMIT: the one writer's batch took a round trip per chat while every chat in it waited to
    go on, issue 7). Each chat gets the question its new one replaced (whose buttons then go),
    its safety-net row closed and the new question recorded; a row already sent stays as it
    was; a send with no question and no row records nothing. The same on SQLite."""
    from bots.telegram.render import Outgoing
    from bots.telegram.steps import delivered_many, telegram_repo
    from tests.fakes.wire_trace import executed, wire_round_trips

    desk.call(seed)
    steps = {}
    for chat, first_message in ((BRUNO, 900), (CARLA, 800)):
        first = desk.call(converse, said(1 + chat, chat, "/novo"))
        desk.call(delivered, chat, [(first_message, m) for m in first.messages], first.outbox_id)
        data = next(d for m in first.messages for row in m.buttons for _, d in row)
        steps[chat] = desk.call(converse, clicked(2 + chat, chat, first_message, data))
    sent_before = desk.call(delivered, CARLA, [], steps[CARLA].outbox_id)  # the dispatcher's
    assert sent_before is None
    stamp = desk.call(lambda ctx: ctx.uow.outbox.get(steps[CARLA].outbox_id)).sent_at
    question = Outgoing(html="Qual?", buttons=[[("Sim", "s")]], prompt=True)
    batch = [(BRUNO, [(901, m) for m in steps[BRUNO].messages], steps[BRUNO].outbox_id),
             (CARLA, [(801, question)], steps[CARLA].outbox_id),
             (ANA, [(700, Outgoing(html="Olá"))], None)]
    postgres = desk.store.engine.dialect.name == "postgresql"
    if postgres:
        with wire_round_trips(desk, tmp_path / "trace"):
            previous = desk.call(delivered_many, batch)
        ran = executed(tmp_path / "trace")  # (its first time on a connection, also a Parse)
        assert len(ran) == 1, ran
        assert ran[0].startswith("WITH sent AS"), ran
    else:
        previous = desk.call(delivered_many, batch)
    assert previous == [ChatPrompt(900, True), ChatPrompt(800, True), None]
    prompt = lambda chat: desk.call(lambda ctx: telegram_repo(ctx).prompt(chat))  # noqa: E731
    assert (prompt(BRUNO), prompt(CARLA), prompt(ANA)) == (ChatPrompt(901, True),
                                                           ChatPrompt(801, True), None)
    rows = [desk.call(lambda ctx, i=i: ctx.uow.outbox.get(i))
            for i in (steps[BRUNO].outbox_id, steps[CARLA].outbox_id)]
    assert [r.status.value for r in rows] == ["sent", "sent"]
    assert rows[1].sent_at == stamp


def test_a_message_about_a_ticket_gone_meanwhile_is_not_linked(desk: Any) -> None:
    """A reply to it cannot become a trâmite of a ticket that no longer exists."""
    from bots.telegram.render import Outgoing
    from bots.telegram.steps import telegram_repo

    desk.call(seed)
    assert desk.call(delivered, BRUNO, [(950, Outgoing(html="Ticket 202612/0001",
                                                       ticket_id=999_999))]) is None
    assert desk.call(lambda ctx: telegram_repo(ctx).ticket_of(BRUNO, 950)) is None


def test_a_step_s_writes_go_in_one_statement_all_or_none(desk: Any) -> None:
    """PostgreSQL: the conversation's save and the update id wait for the answer's outbox
    INSERT and go in the same statement; if another instance moved the conversation, or
    recorded the same update meanwhile, none of the three is written (Conflict: the step runs
    again and answers the fresh state, or finds the repeat)."""
    from core.errors import Conflict
    from core.outbox import Channel, OutboxMessage

    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("a data-modifying CTE: PostgreSQL only (SQLite has no round trip to save)")
    desk.call(seed)
    desk.call(converse, said(1, BRUNO, "/novo"))
    key = telegram_key(BRUNO, BRUNO)

    def step(ctx: Ctx, update_id: int, meanwhile: str) -> int:
        uow: Any = ctx.uow
        uow.conversations.hold_saves()
        state = uow.conversations.get(key)
        state.step = f"held {update_id}"
        if meanwhile == "moved":  # another instance answers in between
            desk.call(lambda other: other.uow.conversations.save(
                other.uow.conversations.get(key)))
        if meanwhile == "repeat":  # another instance took the same update
            desk.call(lambda other: other.uow.inbound.record("test", str(update_id), other.now))
        with statements(desk) as saving:
            uow.conversations.save(state)
        assert saving == []  # held
        message = OutboxMessage(channel=Channel.TELEGRAM, target=str(BRUNO), kind="test",
                                params={}, created_at=ctx.now, next_attempt_at=ctx.now)
        row = uow.outbox.add_with(message, uow.conversations.take_held(),
                                  ("test", str(update_id), ctx.now))
        return int(row.id)

    def now(ctx: Ctx) -> tuple[Any, ...]:
        state = ctx.uow.conversations.get(key)
        assert state is not None
        rows = ctx.uow.connection.execute(  # type: ignore[attr-defined]
            text("SELECT id FROM outbox WHERE kind = 'test'")).scalars().all()
        ids = ctx.uow.connection.execute(  # type: ignore[attr-defined]
            text("SELECT key FROM inbound_events WHERE source = 'test'")).scalars().all()
        return state.step, state.version, rows, sorted(ids)

    step_before, version, _, _ = desk.call(now)
    with pytest.raises(Conflict) as moved:
        desk.call(step, 7, "moved")
    assert desk.call(now) == (step_before, version + 1, [], [])
    with pytest.raises(Conflict) as repeat:
        desk.call(step, 8, "repeat")
    for refused in (moved, repeat):  # by its name (migration 0017), not a division by zero
        cause: Any = refused.value.__cause__
        assert cause.orig.sqlstate == "HD409"
        assert "chat step refused" in str(cause.orig)
    assert desk.call(now) == (step_before, version + 1, [], ["8"])
    row = desk.call(step, 9, "")
    assert desk.call(now) == ("held 9", version + 2, [row], ["8", "9"])


def test_a_postgresql_step_waits_for_no_begin_or_commit(desk: Any) -> None:
    """PostgreSQL: a step that writes only its conversation and its answer runs its two
    statements each as a transaction of its own (no BEGIN, no COMMIT round trip), the pooled
    connection back in transactions after; one that writes more keeps one transaction."""
    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips to save")
    desk.call(seed)
    first = desk.call(converse, said(1, BRUNO, "/novo"))
    desk.call(delivered, BRUNO, [(900, m) for m in first.messages], first.outbox_id)
    data = next(d for m in first.messages for row in m.buttons for label, d in row
                if "Suporte" in label)
    modes: list[bool] = []

    def note(conn: Any, *args: Any) -> None:
        modes.append(conn.connection.dbapi_connection.autocommit)

    engine = desk.store.engine
    event.listen(engine, "after_cursor_execute", note)
    try:
        outcome = desk.call(converse, clicked(2, BRUNO, 900, data))
    finally:
        event.remove(engine, "after_cursor_execute", note)
    assert outcome.accepted
    assert modes == [True, True]
    assert desk.call(lambda ctx: ctx.uow.connection.connection.dbapi_connection.autocommit) \
        is False
    assert desk.call(converse, clicked(2, BRUNO, 900, data)).duplicate
    modes.clear()
    event.listen(engine, "after_cursor_execute", note)
    try:  # a first conversation is inserted: the read alone, then one transaction
        assert desk.call(converse, said(3, CARLA, "/novo")).messages
    finally:
        event.remove(engine, "after_cursor_execute", note)
    assert modes[0] is True
    assert len(modes) > 2
    assert not any(modes[1:])


def test_a_connection_lost_outside_a_transaction_never_goes_back_to_the_pool_so(
        desk: Any) -> None:
    """PostgreSQL: a statement run on its own (autocommit) whose connection is lost raises the
    loss itself, and the next unit of work gets a connection in transactions again."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    from storage.sql.base import SqlRepo

    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("autocommit is PostgreSQL's")
    desk.call(seed)

    def lost(ctx: Ctx) -> None:
        conn = ctx.uow.connection  # type: ignore[attr-defined]
        url = desk.store.engine.url.set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
            backend = conn.connection.dbapi_connection.info.backend_pid
            repo = SqlRepo(conn)
            with repo.on_its_own() as alone:
                assert alone
                admin.execute("SELECT pg_terminate_backend(%s)", [backend])
                conn.execute(text("SELECT 1"))

    with pytest.raises(OperationalError):
        desk.call(lost)
    for _ in range(6):  # every pooled connection the desk's threads get
        assert desk.call(lambda ctx: (
            ctx.uow.connection.execute(text("SELECT 1")).scalar(),
            ctx.uow.connection.connection.dbapi_connection.autocommit)) == (1, False)


def test_the_steps_own_statements_skip_sqlalchemys_execution_context(
        desk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The update id's INSERT, the opening read, the conversation's save and the answer's
    outbox row (on PostgreSQL: the read and the one write that records the id, saves and
    queues) run on the driver's cursor (storage.sql.prepared), as registration's statements
    do: SQLAlchemy builds no execution context for them (its CPU is most of theirs on SQLite,
    as much as psycopg's own on PostgreSQL).
    """
    from sqlalchemy.engine.default import DefaultExecutionContext
    from sqlalchemy.sql.compiler import Compiled

    desk.call(seed)
    contexts: list[str] = []
    original = DefaultExecutionContext._init_compiled.__func__  # type: ignore[attr-defined]

    def noted(cls: Any, *args: Any, **kwargs: Any) -> Any:
        contexts.extend(a.string for a in args if isinstance(a, Compiled))
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(DefaultExecutionContext, "_init_compiled", classmethod(noted))
    first = desk.call(converse, said(1, BRUNO, "/novo"))  # the conversation's INSERT
    data = first.messages[-1].buttons[0][0][1]
    second = desk.call(converse, clicked(2, BRUNO, 900, data))  # its UPDATE
    assert first.outbox_id
    assert second.outbox_id
    assert second.accepted
    assert desk.call(lambda ctx: ctx.uow.conversations.get(telegram_key(BRUNO, BRUNO))
                     ).version == 2
    assert contexts  # the rest still goes through conn.execute (e.g. pending approvals)
    own = [s for s in contexts
           if s.startswith(("INSERT INTO inbound_events", "INSERT INTO outbox",
                            "UPDATE conversations", "INSERT INTO conversations",
                            "WITH queued"))
           or "1 AS one" in s]
    assert own == []
    contexts.clear()
    desk.call(delivered, BRUNO, [(901, m) for m in second.messages], second.outbox_id)
    assert not [s for s in contexts if s.startswith(("WITH closed", "WITH prev"))]


def test_a_connection_lost_under_the_drivers_cursor_is_dropped_as_conn_execute_drops_it(
        desk: Any) -> None:
    """PostgreSQL: a statement on psycopg's cursor (storage.sql.prepared) whose connection is
    lost raises SQLAlchemy's OperationalError with the connection invalidated, as conn.execute
    does; the next units of work get working connections."""
    import psycopg
    from sqlalchemy import literal_column, select
    from sqlalchemy.exc import OperationalError

    from storage.sql.base import SqlRepo
    from storage.sql.prepared import rows

    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("a server that hangs up is PostgreSQL's")
    desk.call(seed)
    one = select(literal_column("1"))

    def lost(ctx: Ctx) -> None:
        conn = ctx.uow.connection  # type: ignore[attr-defined]
        url = desk.store.engine.url.set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
            backend = conn.connection.dbapi_connection.info.backend_pid
            with SqlRepo(conn).on_its_own():
                admin.execute("SELECT pg_terminate_backend(%s)", [backend])
                rows(conn, one, {})

    with pytest.raises(OperationalError) as caught:
        desk.call(lost)
    assert caught.value.connection_invalidated
    for _ in range(6):  # every pooled connection the desk's threads get
        assert desk.call(lambda ctx: rows(ctx.uow.connection, one, {})) == [(1,)]


def test_the_summary_step_reads_its_company_with_no_transaction_to_open(desk: Any) -> None:
    """PostgreSQL: the step that shows the intake's summary reads the company besides its
    opening read; each of its three statements is a transaction of its own (no BEGIN, no
    COMMIT round trip: there were five round trips), and the summary names the company."""
    from bench.driver import INTAKE

    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips to save")
    desk.call(seed)
    buttons: list[tuple[str, str]] = []
    modes: list[bool] = []

    def note(conn: Any, *args: Any) -> None:
        modes.append(conn.connection.dbapi_connection.autocommit)

    engine = desk.store.engine
    outcome = None
    for n, (kind, value) in enumerate(INTAKE[:8], start=1):
        if kind == "say":
            inbound = said(n, BRUNO, value)
        else:
            inbound = clicked(n, BRUNO, 900 + n - 1,
                              next(d for label, d in buttons if value.lower() in label.lower()))
        modes.clear()
        event.listen(engine, "after_cursor_execute", note)
        try:
            outcome = desk.call(converse, inbound)
        finally:
            event.remove(engine, "after_cursor_execute", note)
        desk.call(delivered, BRUNO, [(900 + n, m) for m in outcome.messages], outcome.outbox_id)
        buttons = [(label, d) for m in outcome.messages for row in m.buttons for label, d in row]
    assert outcome is not None
    assert "Mercado Exemplo Ltda" in outcome.messages[-1].html
    assert modes == [True, True, True]


def test_a_postgresql_step_kept_from_the_last_one_is_one_statement(desk: Any) -> None:
    """PostgreSQL: a step given what the chat's last one read and wrote (Inbound.known, with
    the question its answer showed; /novo's too, which made the conversation) asks nothing
    before its write, which is its one statement;
    that write refuses a repeated update (Conflict: the caller runs it again with a read, which
    finds the repeat) and a state moved meanwhile."""
    from dataclasses import replace

    from core.errors import Conflict

    if desk.store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps nothing between steps")
    desk.call(seed)
    first = desk.call(converse, said(1, BRUNO, "/novo"))
    assert first.known is not None  # with the mark of the conversation it made
    desk.call(delivered, BRUNO, [(900, m) for m in first.messages], first.outbox_id)
    data = next(d for m in first.messages for row in m.buttons for label, d in row
                if "Suporte" in label)
    with statements(desk) as seen:
        second = desk.call(converse, replace(clicked(2, BRUNO, 900, data),
                                             known=first.known.shown((900, True))))
    assert len(seen) == 1
    assert second.accepted
    assert second.known is not None
    desk.call(delivered, BRUNO, [(901, m) for m in second.messages], second.outbox_id)
    known = second.known.shown((901, True))
    data = next(d for m in second.messages for row in m.buttons for label, d in row
                if "Vendas" in label)
    with statements(desk) as seen:
        third = desk.call(converse, replace(clicked(3, BRUNO, 901, data), known=known))
    assert third.accepted
    assert len(seen) == 1
    assert third.known is not None
    assert third.known.conversation is not None
    assert third.known.conversation["step"] != known.conversation["step"]  # type: ignore[index]
    with pytest.raises(Conflict):  # the same update again
        desk.call(converse, replace(clicked(3, BRUNO, 901, data), known=third.known))
    assert desk.call(converse, clicked(3, BRUNO, 901, data)).duplicate
    with pytest.raises(Conflict):  # a state older than the one stored
        desk.call(converse, replace(said(4, BRUNO, "atual"), known=known))


def test_registrar_o_ticket_links_its_answer_without_reading_the_ticket_back(
        desk: Any, tmp_path: Any) -> None:
    """*Registrar o Ticket*: its answer names the ticket it opened, and a reply to it becomes
    a trâmite of that ticket (the message is linked to it). The ticket's id came back from its
    INSERT, so the step no longer reads the ticket again by its number: on PostgreSQL the
    opening read, BEGIN, the numbered ticket with its notices, the answer's write and COMMIT
    (it was 6 round trips, a SELECT by number after the INSERT)."""
    from bench.driver import INTAKE
    from tests.fakes.wire_trace import executed, wire_round_trips

    postgres = desk.store.engine.dialect.name == "postgresql"
    desk.call(seed)
    buttons: list[tuple[str, str]] = []
    outcome = None
    for n, (kind, value) in enumerate(INTAKE, start=1):
        if kind == "say":
            inbound = said(n, BRUNO, value)
        else:
            inbound = clicked(n, BRUNO, 900 + n - 1,
                              next(d for label, d in buttons if value.lower() in label.lower()))
        if n < len(INTAKE) or not postgres:
            outcome = desk.call(converse, inbound)
        else:
            with wire_round_trips(desk, tmp_path / "trace"):
                outcome = desk.call(converse, inbound)
            ran = executed(tmp_path / "trace")
            assert not any(s.startswith("SELECT tickets.") for s in ran), ran
            assert len(ran) == 5, ran
            assert (ran[1], ran[-1]) == ("BEGIN", "COMMIT"), ran
        desk.call(delivered, BRUNO, [(900 + n, m) for m in outcome.messages], outcome.outbox_id)
        buttons = [(label, d) for m in outcome.messages for row in m.buttons for label, d in row]
    assert outcome is not None
    named = re.search(r"\d{6}/\d{4}", outcome.messages[0].html)
    assert named is not None
    ticket = desk.call(find_by_number, named.group(0))
    assert outcome.messages[0].ticket_id == ticket.id
    reply = Inbound(update_ids=[99], chat_id=BRUNO, user_id=BRUNO,
                    user_input=parse("Segue o print do erro"), text="Segue o print do erro",
                    reply_to=900 + len(INTAKE))
    assert desk.call(converse, reply).messages
    entries = desk.call(lambda ctx: ctx.uow.entries.list(ticket.id, True))
    assert any("Segue o print do erro" in (e.text or "") for e in entries)
