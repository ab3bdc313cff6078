"""R7: the card's own *Nota interna* pressed twice opens two forms with one identity: both
sent, the note is added once (on one instance or two sharing PostgreSQL) and the agent is told
it was added already, what else she typed given back; a later press is a new form."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from fakes.databases import db_kinds
from slack_harness import Scenario, SlackWorld
from test_slack_cycle import modal, open_and_take
from test_slack_instances import KeptHolder, url_of, waiting

from bots.slack import actions
from core.i18n import t
from core.models import EntryKind
from storage.sql import SqlStore

NOTE = "Cliente ligou: o pedido 10125 saiu sem o desconto"


async def notes(w: SlackWorld, ticket_id: int) -> list[str]:
    entries = await w.read(lambda uow: uow.entries.list(ticket_id, include_internal=True))
    return [e.text for e in entries if e.kind == EntryKind.INTERNAL]


async def told_after(w: SlackWorld, before: int) -> str:
    """The one thing said to the agent since `before` ephemerals."""
    [told] = await w.until(lambda: w.fake.of("chat.postEphemeral")[before:])
    return str(told["text"])


def test_r7_the_cards_note_pressed_twice_and_both_forms_sent_adds_it_once(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)  # every answer comes after the ack

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        first = await modal(w, "UANA", "tk.note", ticket.id, ts)
        second = await modal(w, "UANA", "tk.note", ticket.id, ts)
        await w.submit_view("UANA", first, NOTE)
        await w.until(lambda: notes(w, ticket.id))
        before = len(w.fake.of("chat.postEphemeral"))
        await w.submit_view("UANA", second, NOTE)
        assert await told_after(w, before) == t("slack.note.already_added",
                                                number=ticket.number)
        await w.idle()
        assert await notes(w, ticket.id) == [NOTE]

        # The same form sent again with other words: not added, but given back to her.
        before = len(w.fake.of("chat.postEphemeral"))
        retyped = "Cliente ligou de novo: sem o desconto no pedido 10125"
        await w.submit_view("UANA", second, retyped)
        said = await told_after(w, before)
        assert said.startswith(t("slack.note.already_added", number=ticket.number))
        assert retyped in said
        await w.idle()
        assert await notes(w, ticket.id) == [NOTE]

        # A press after the note was added is a new form: its note (even the same words) goes.
        third = await modal(w, "UANA", "tk.note", ticket.id, ts)
        await w.submit_view("UANA", third, NOTE)
        await w.until(lambda: _count(w, ticket.id, 2))
        # Bruno's own press is a form of his own, not Ana's.
        bruno = await modal(w, "UBRUNO", "tk.note", ticket.id, ts)
        await w.submit_view("UBRUNO", bruno, "Bruno: confirmei com o financeiro")
        await w.until(lambda: _count(w, ticket.id, 3))

    run(scenario)


async def _count(w: SlackWorld, ticket_id: int, n: int) -> bool:
    return len(await notes(w, ticket_id)) == n


@pytest.mark.postgres
@pytest.mark.skipif("postgres" not in db_kinds(), reason="HELPDESK_TEST_DB excludes PostgreSQL")
def test_r7_the_cards_two_note_forms_sent_to_two_instances_at_once_add_it_once(
        new_db_url: Callable[[str], str], monkeypatch: Any) -> None:
    """Both forms of a double press sent at once, each to another instance, while the form's
    identity row is busy: one note, and Ana reads that it was added already."""
    from sqlalchemy import select

    from storage.tables import slack_kept_notes

    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)
    store = SqlStore(new_db_url("postgres"))

    async def scenario(a: SlackWorld) -> None:
        ticket, ts = await open_and_take(a)
        forms = [await modal(a, "UANA", "tk.note", ticket.id, ts) for _ in range(2)]
        b = await a.another(SqlStore(url_of(store)))
        with store.engine.connect() as conn:
            token = conn.execute(select(slack_kept_notes.c.token)).scalar_one()
        try:
            holder = await asyncio.to_thread(KeptHolder, store, token)
            told = len(a.fake.of("chat.postEphemeral"))
            sends = [asyncio.ensure_future(w.submit_view("UANA", form, NOTE))
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
        assert await notes(a, ticket.id) == [NOTE]

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


def test_r7_a_note_typed_in_the_thread_between_the_two_presses_leaves_one_form(
        run: Callable[[Scenario], None], monkeypatch: Any) -> None:
    """A `!nota` Ana types in the card's thread between her two presses does not make the two
    forms two (both sent, the form's note was added twice): the forms' note once, the
    thread's note kept, and a press after it was added is a new form."""
    monkeypatch.setattr(actions, "MODAL_BUDGET", 0.0)

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        first = await modal(w, "UANA", "tk.note", ticket.id, ts)
        typed = "cliente mandou o XML por e-mail"
        await w.thread_reply("UANA", ts, f"!nota {typed}")
        await w.until(lambda: _count(w, ticket.id, 1))
        second = await modal(w, "UANA", "tk.note", ticket.id, ts)
        await w.submit_view("UANA", second, NOTE)
        await w.until(lambda: _count(w, ticket.id, 2))
        before = len(w.fake.of("chat.postEphemeral"))
        await w.submit_view("UANA", first, NOTE)
        assert await told_after(w, before) == t("slack.note.already_added",
                                                number=ticket.number)
        await w.idle()
        assert await notes(w, ticket.id) == [typed, NOTE]

        later = await modal(w, "UANA", "tk.note", ticket.id, ts)
        await w.submit_view("UANA", later, "Ligar amanhã às 9h")
        await w.until(lambda: _count(w, ticket.id, 3))
        assert await notes(w, ticket.id) == [typed, NOTE, "Ligar amanhã às 9h"]

    run(scenario)
