"""Two instances of the help desk on one database, one person's Slack DM: the conversation each
saves with a version check, and what the person reads when another instance saved it first."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from fakes.databases import db_kinds
from slack_harness import SlackWorld
from sqlalchemy import text, update
from test_slack_cycle import modal, open_and_take

from bots.slack.direct import ATTEMPTS
from core.i18n import t
from core.services import closing
from storage.sql import SqlStore
from storage.tables import conversations

DM = "DCARLA"


def url_of(store: Any) -> str:
    return str(store.engine.url.render_as_string(hide_password=False))


def speaks_english(ctx: Any, user_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    user.language = "en"
    ctx.uow.users.update(user)


def answers(w: SlackWorld, since: int) -> list[str]:
    return [m["text"] for m in w.fake.messages(DM)[since:]]


class Saver:
    """Another instance saving Carla's DM conversation, in a real transaction of its own that
    holds the row until `commit()` (as a slow step of that instance would)."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.pid = 0
        self.saved = threading.Event()
        self._connected = threading.Event()
        self._commit = threading.Event()
        self._thread = threading.Thread(target=self._save, daemon=True)
        self._thread.start()
        self._connected.wait(10)

    def _save(self) -> None:
        with self.store() as uow:
            self.pid = uow.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            self._connected.set()
            uow.connection.execute(update(conversations).where(conversations.c.chat_id == DM)
                             .values(version=conversations.c.version + 1))
            self.saved.set()
            self._commit.wait(20)
            uow.commit()

    def commit(self) -> None:
        self._commit.set()
        self._thread.join(20)


def waiting(store: SqlStore) -> set[int]:
    """The sessions of this database waiting for a row lock."""
    with store.engine.connect() as conn:
        return set(conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalars())


def version(store: SqlStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT version FROM conversations WHERE chat_id = :dm"),
                                {"dm": DM}).scalar_one())


@pytest.mark.postgres
@pytest.mark.skipif("postgres" not in db_kinds(), reason="HELPDESK_TEST_DB excludes PostgreSQL")
@pytest.mark.parametrize("other_wins", [False, True])
def test_a_dm_step_another_instance_saved_first_is_run_again_then_the_person_asked_to_retry(
        new_db_url: Callable[[str], str], caplog: pytest.LogCaptureFixture,
        other_wins: bool) -> None:
    """Carla writes while another instance holds her conversation: her step waits, finds it
    saved meanwhile and runs again on what was saved, and she gets her answer. When the other
    instance saves first every time, she reads 'try again' in her language (nothing of hers was
    saved) and her next message is answered as usual."""
    store = SqlStore(new_db_url("postgres"))
    other = SqlStore(url_of(store))

    async def until_blocked(w: SlackWorld, saver: Saver) -> bool:
        """Wait until a step of Carla's waits behind saver (False: she was answered)."""
        def blocked() -> bool:
            return bool(waiting(store) - {saver.pid})
        return await w.until(lambda: answers(w, before) or asyncio.to_thread(blocked)) is True

    async def queued(w: SlackWorld, saver: Saver) -> None:
        await w.until(lambda: asyncio.to_thread(lambda: saver.pid in waiting(store)))

    async def scenario(w: SlackWorld) -> None:
        nonlocal before
        await w.core(speaks_english, w.ids["carla"])
        await w.dm("UCARLA", "oi")
        await w.until(lambda: w.fake.messages(DM))
        await w.idle()
        before, start = len(w.fake.messages(DM)), await asyncio.to_thread(version, store)
        saver = await asyncio.to_thread(Saver, other)
        await asyncio.to_thread(saver.saved.wait, 10)
        await w.dm("UCARLA", "meus tickets")
        while await until_blocked(w, saver):
            held = saver
            if other_wins:  # the next save queues for the row first: it wins her next try
                saver = await asyncio.to_thread(Saver, other)
                await queued(w, saver)
            await asyncio.to_thread(held.commit)
            if not other_wins:
                break
            await asyncio.to_thread(saver.saved.wait, 10)  # it holds the row now
        await w.until(lambda: answers(w, before))
        await w.idle()
        await asyncio.to_thread(saver.commit)
        if other_wins:
            assert answers(w, before) == [t("slack.dm.try_again", "en")]
            await w.dm("UCARLA", "meus tickets")  # the next message is answered as usual
            await w.until(lambda: answers(w, before + 1))
            assert t("slack.dm.try_again", "en") not in answers(w, before + 1)
        else:
            assert t("slack.dm.try_again", "en") not in answers(w, before)
            assert await asyncio.to_thread(version, store) == start + 2  # hers after the other's

    before = 0

    async def main() -> None:
        w = SlackWorld(store)
        await w.start()
        try:
            await scenario(w)
        finally:
            await w.stop()

    try:
        with caplog.at_level(logging.ERROR, logger="bots.slack.direct"):
            asyncio.run(main())
    finally:
        other.dispose()
        store.dispose()
    gave_up = [r for r in caplog.records
               if f"gave up after {ATTEMPTS} conflicts" in r.getMessage()]
    assert len(gave_up) == (1 if other_wins else 0)


def test_two_instances_answer_one_persons_messages_sent_at_the_same_moment(
        run: Callable[[Any], None]) -> None:
    """Slack hands Carla's quick messages to two instances, three to each at once: every one
    is answered, none with 'try again' (SQLite takes one step at a time; on PostgreSQL a step
    that finds the conversation saved meanwhile runs again). On PostgreSQL an instance's step
    lost its three tries, run back to back, to the other's steps and the message was lost."""

    async def scenario(a: SlackWorld) -> None:
        b = await a.another(SqlStore(url_of(a.store)))
        try:
            await a.dm("UCARLA", "oi")
            await a.until(lambda: a.fake.messages(DM))
            await a.idle()
            before = len(a.fake.messages(DM))
            for _ in range(3):
                await asyncio.gather(a.dm("UCARLA", "meus tickets"), b.dm("UCARLA", "menu"))
            await a.until(lambda: len(answers(a, before)) >= 6)
            await a.idle()
            assert t("slack.dm.try_again") not in answers(a, before)
        finally:
            await b.stop()
            b.store.dispose()

    run(scenario)


class RowHolder:
    """Another transaction holding a ticket's row (SELECT … FOR UPDATE) until `release()`:
    what reaches the row meanwhile queues behind it, as behind a slow use case."""

    def __init__(self, store: SqlStore, ticket_id: int) -> None:
        self.pid = 0
        self._held = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._hold, args=(store, ticket_id), daemon=True)
        self._thread.start()
        self._held.wait(10)

    def _hold(self, store: SqlStore, ticket_id: int) -> None:
        with store() as uow:
            self.pid = uow.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            uow.connection.execute(text("SELECT id FROM tickets WHERE id = :id FOR UPDATE"),
                                   {"id": ticket_id})
            self._held.set()
            self._release.wait(20)
            uow.rollback()

    def release(self) -> None:
        self._release.set()
        self._thread.join(20)


@pytest.mark.postgres
@pytest.mark.skipif("postgres" not in db_kinds(), reason="HELPDESK_TEST_DB excludes PostgreSQL")
def test_r19_the_solution_form_sent_to_two_instances_at_once_goes_once(
        new_db_url: Callable[[str], str]) -> None:
    """The Solicitar aprovação form submitted twice, each submit handed to another instance
    while the ticket's row is busy: both reach core together. The second waits for the first
    and finds its solution: the customer is asked once, the thread holds the solution once,
    and the agent reads that it had already gone (no 'nada foi enviado')."""
    store = SqlStore(new_db_url("postgres"))

    async def scenario(a: SlackWorld) -> None:
        ticket, ts = await open_and_take(a)
        view = await modal(a, "UANA", "tk.approval", ticket.id, ts)
        b = await a.another(SqlStore(url_of(store)))
        try:
            holder = await asyncio.to_thread(RowHolder, store, ticket.id)
            sends = [asyncio.ensure_future(w.submit_view("UANA", view, "CFOP corrigido."))
                     for w in (a, b)]
            await a.until(lambda: asyncio.to_thread(
                lambda: len(waiting(store) - {holder.pid}) >= 2))  # both queued for the row
            await asyncio.to_thread(holder.release)
            assert await asyncio.gather(*sends) == [(200, ""), (200, "")]
            await a.idle()
            await b.idle()
        finally:
            await b.stop()
            b.store.dispose()
        told = [m["text"] for m in a.fake.of("chat.postEphemeral")]
        assert told == [t(closing.ALREADY_SENT, number=ticket.number)]
        asked = [m for m in await a.outbox()
                 if m.ticket_id == ticket.id and m.kind == "ticket.approval_requested"]
        assert sorted(m.channel.value for m in asked) == ['email', 'slack'], asked  # once each
        entries = await a.read(lambda uow: uow.entries.list(ticket.id, True))
        assert [e.text for e in entries].count("CFOP corrigido.") == 1

    async def main() -> None:
        w = SlackWorld(store)
        await w.start()
        try:
            await scenario(w)
        finally:
            await w.stop()

    try:
        asyncio.run(main())
    finally:
        store.dispose()


@pytest.mark.postgres
@pytest.mark.skipif("postgres" not in db_kinds(), reason="HELPDESK_TEST_DB excludes PostgreSQL")
def test_r15_the_kept_notes_two_forms_sent_to_two_instances_at_once_add_it_once(
        new_db_url: Callable[[str], str], monkeypatch: Any) -> None:
    """A refused Encaminhar's note offered by a button, its form opened twice and both sent at
    once, each to another instance, while the kept note's row is busy: the note is added once,
    and Ana reads that it was added already."""
    from sqlalchemy import select
    from test_slack_development import kept_offer, press_kept

    from bots.slack import actions
    from core.models import EntryKind
    from storage.tables import slack_kept_notes

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)
    store = SqlStore(new_db_url("postgres"))

    async def scenario(a: SlackWorld) -> None:
        note = "Ana: a alíquota do RS errada no XML 10125"
        ticket, button = await kept_offer(a, note)
        forms = [await press_kept(a, button), await press_kept(a, button)]
        b = await a.another(SqlStore(url_of(store)))
        with store.engine.connect() as conn:
            token = conn.execute(select(slack_kept_notes.c.token)).scalar_one()
        try:
            holder = await asyncio.to_thread(KeptHolder, store, token)
            told = len(a.fake.of("chat.postEphemeral"))
            sends = [asyncio.ensure_future(w.submit_view("UANA", form, note))
                     for w, form in zip((a, b), forms, strict=True)]
            await a.until(lambda: asyncio.to_thread(
                lambda: len(waiting(store) - {holder.pid}) >= 2))  # both queued for the row
            await asyncio.to_thread(holder.release)
            assert await asyncio.gather(*sends) == [(200, ""), (200, "")]
            await a.until(lambda: a.fake.of("chat.postEphemeral")[told:])
            await a.idle()
            await b.idle()
        finally:
            await b.stop()
            b.store.dispose()
        said = [m["text"] for m in a.fake.of("chat.postEphemeral")[told:]]
        assert said == [t("slack.note.already_added", number=ticket.number)]
        entries = await a.read(lambda uow: uow.entries.list(ticket.id, True))
        assert [e.text for e in entries if e.kind == EntryKind.INTERNAL] == [note]

    async def main() -> None:
        w = SlackWorld(store)
        await w.start()
        try:
            await scenario(w)
        finally:
            await w.stop()

    try:
        asyncio.run(main())
    finally:
        store.dispose()


class KeptHolder(RowHolder):
    """Another transaction holding a kept note's row until `release()`."""

    def __init__(self, store: SqlStore, token: str) -> None:
        self.token = token
        super().__init__(store, 0)

    def _hold(self, store: SqlStore, ticket_id: int) -> None:
        with store() as uow:
            self.pid = uow.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
            uow.connection.execute(text("SELECT token FROM slack_kept_notes WHERE token = :t "
                                        "FOR UPDATE"), {"t": self.token})
            self._held.set()
            self._release.wait(20)
            uow.rollback()
