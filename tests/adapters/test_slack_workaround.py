"""R12 from Slack: the card's *Solução de contorno* sends the customer a workaround, told as
one with the definitive fix to follow; the ticket stays open, its card offering the solution
still, the workaround quoted in the card's thread."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable

from slack_harness import TRIAGE, Scenario, SlackWorld, card_fields
from sqlalchemy import text
from test_slack_cycle import modal, open_and_take
from test_slack_instances import url_of

from core.i18n import t
from core.models import Status
from storage.sql import SqlStore

TEXT = "Emita em contingência (Fiscal / NF-e / Contingência) até a correção."


def test_r12_a_workaround_from_the_card_reaches_the_customer_and_keeps_the_ticket_open(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        view = await modal(w, "UANA", "tk.workaround", ticket.id, ts)
        assert view["callback_id"] == "md.workaround"
        status, _ = await w.submit_view("UANA", view, TEXT)
        assert status == 200

        async def sent() -> object:
            stored = await w.ticket(ticket.id)
            return stored if stored.workaround_at is not None else None

        stored = await w.until(sent)
        assert (stored.status, stored.awaiting_since) == (Status.IN_PROGRESS, None)
        await w.deliver()
        log = w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert log.startswith(t("notify.card.workaround", "pt_BR", actor="Ana Atendente"))
        assert TEXT in log
        told = [c["text"] for c in w.fake.of("chat.postMessage") if c["channel"] == "DCARLA"]
        assert any(TEXT in x and "solução de contorno" in x and "solução definitiva" in x
                   for x in told), told
        card = card_fields(w.fake.find(TRIAGE, ts) or {})
        assert "Em atendimento" in card
        assert "tk.approval" in card  # the definitive fix is still to be sent

    run(scenario)


def test_r12_the_workaround_form_sent_twice_reaches_the_customer_once(
        run: Callable[[Scenario], None]) -> None:
    """Ana pressed *Solução de contorno* twice and sent both forms with the same words (as
    the solution's form can be, refused then as sent already): Carla got the workaround
    twice. The second is told, in Ana's language, that it was sent already; other words in
    a second form are a new workaround, and go."""
    from test_slack_own_language import speaks

    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await open_and_take(w)
        first, second = (await modal(w, "UANA", "tk.workaround", ticket.id, ts),
                         await modal(w, "UANA", "tk.workaround", ticket.id, ts))
        await w.core(speaks, w.ids["ana"])
        assert (await w.submit_view("UANA", first, TEXT))[0] == 200
        before = len(w.fake.of("chat.postEphemeral"))
        status, body = await w.submit_view("UANA", second, TEXT)
        assert (status, body) == (200, "")
        [told] = await w.until(lambda: w.fake.of("chat.postEphemeral")[before:])
        assert told["text"] == t("error.workaround_already_sent", "en", number=ticket.number)

        async def notices() -> int:
            return len({m.params.get("solution") for m in await w.outbox()
                        if m.kind == "ticket.workaround" and m.channel == "slack"}), len(
                [m for m in await w.outbox()
                 if m.kind == "ticket.workaround" and m.channel == "slack"])

        assert await notices() == (1, 1)
        third = await modal(w, "UANA", "tk.workaround", ticket.id, ts)
        await w.submit_view("UANA", third, "Outra: use o PDV 2 por enquanto.")
        await w.idle()
        assert await notices() == (2, 2)

    run(scenario)


class TicketHolder:
    """Another transaction holding the ticket (its row on PostgreSQL, the database's write lock
    on SQLite) until `release()`: what reaches it meanwhile queues behind it."""

    def __init__(self, store: SqlStore, ticket_id: int) -> None:
        self._held, self._release = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._hold, args=(store, ticket_id), daemon=True)
        self._thread.start()
        self._held.wait(10)

    def _hold(self, store: SqlStore, ticket_id: int) -> None:
        lock = " FOR UPDATE" if store.engine.dialect.name == "postgresql" else ""
        with store() as uow:
            # SQLite's transactions begin IMMEDIATE (storage/engine.py): the read takes the lock
            uow.connection.execute(text("SELECT id FROM tickets WHERE id = :id" + lock),
                                   {"id": ticket_id})
            self._held.set()
            self._release.wait(20)
            uow.rollback()

    def release(self) -> None:
        self._release.set()
        self._thread.join(20)


def test_r12_two_agents_sending_different_workarounds_at_once_reach_the_customer_once(
        run: Callable[[Scenario], None]) -> None:
    """Ana and Bruno each opened *Solução de contorno* on the same card and sent different
    words at the same moment, each form to another instance: Carla got two workarounds, each
    told as "the" one. The first to reach the ticket goes; the other agent's form comes back
    (in their language) naming who sent what meanwhile, their own words kept: sent again on
    purpose, they go as a second workaround."""
    from test_slack_own_language import speaks

    async def scenario(a: SlackWorld) -> None:
        ticket, ts = await open_and_take(a)
        forms = {"UANA": await modal(a, "UANA", "tk.workaround", ticket.id, ts),
                 "UBRUNO": await modal(a, "UBRUNO", "tk.workaround", ticket.id, ts)}
        words = {"UANA": TEXT, "UBRUNO": "Use o PDV 2 até a correção."}
        await a.core(speaks, a.ids["bruno"])  # Bruno reads English
        b = await a.another(SqlStore(url_of(a.store)))
        try:
            holder = await asyncio.to_thread(TicketHolder, a.store, ticket.id)
            sends = [asyncio.ensure_future(w.submit_view(who, forms[who], words[who]))
                     for w, who in ((a, "UANA"), (b, "UBRUNO"))]
            await asyncio.sleep(0.3)  # both requests reach core, queued behind the holder
            await asyncio.to_thread(holder.release)
            answers = dict(zip(words, await asyncio.gather(*sends), strict=True))
            await a.idle()
            await b.idle()
        finally:
            await b.stop()
            b.store.dispose()

        async def sent() -> list[str]:
            return [m.params["solution"] for m in await a.outbox()
                    if m.kind == "ticket.workaround" and m.channel == "slack"]

        [first] = await sent()
        winner = next(who for who in words if words[who] == first)
        loser = next(who for who in words if who != winner)
        assert answers[winner] == (200, "")
        status, body = answers[loser]
        assert status == 200
        again = json.loads(body)
        assert again["response_action"] == "update", again
        lang = "en" if loser == "UBRUNO" else "pt_BR"
        shown = json.dumps(again["view"], ensure_ascii=False)
        name = "Ana Atendente" if winner == "UANA" else "Bruno Suporte"
        assert name in shown, shown
        assert words[winner] in shown
        assert t("slack.modal.workaround.again", lang) in shown
        [field] = [blk for blk in again["view"]["blocks"] if blk.get("block_id") == "input"]
        assert field["element"]["initial_value"] == words[loser]  # nothing typed is lost
        assert await a.submit_view(loser, again["view"], words[loser]) == (200, "")
        await a.idle()
        assert sorted(await sent()) == sorted(words.values())  # sent on purpose: it goes

    run(scenario)
