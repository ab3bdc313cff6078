"""The App Home follows the queue: an agent who keeps the Home tab open sees new tickets, who
took them and what is overdue, redrawn through the outbox (one publish per agent for a burst
of changes, shared by every instance)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.delivery_world import dispatcher
from slack_harness import TRIAGE, Scenario, SlackWorld

from bots.delivery.limits import Limits
from bots.delivery.results import RetryAfter, Sent
from bots.runtime import Desk
from bots.slack.app import make_client
from bots.slack.sender import SlackSender
from core.outbox import Channel, DeliveryStatus
from core.services import closing, handling, sweeps


def published(w: SlackWorld, user: str) -> list[str]:
    """Every Home view published to this person, oldest first, as text."""
    return [json.dumps(v["view"], ensure_ascii=False) for v in w.fake.of("views.publish")
            if v["user_id"] == user]


async def open_home(w: SlackWorld, user: str) -> str:
    """The person clicks the Home tab; returns the Home they get."""
    before = len(published(w, user))
    await w.event({"type": "app_home_opened", "user": user, "channel": "DX", "tab": "home"})
    await w.until(lambda: len(published(w, user)) > before)
    return published(w, user)[-1]


async def deliver_all(w: SlackWorld) -> None:
    """Deliver until nothing is left (a card's row adds the Homes' rows)."""
    for _ in range(5):
        if not await w.deliver():
            return
    raise AssertionError("the outbox never emptied")


async def home_rows(w: SlackWorld) -> list[Any]:
    return [m for m in await w.outbox() if m.target.startswith("home:")]


def test_an_open_home_shows_the_new_ticket_who_took_it_and_its_close(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        first = await open_home(w, "UANA")
        assert "Novos:* 0" in first
        ticket = await w.open_ticket()
        await deliver_all(w)
        home = published(w, "UANA")[-1]
        assert ticket.number in home
        assert "Novos:* 1" in home
        assert "sem responsável" in home
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        await deliver_all(w)
        home = published(w, "UANA")[-1]
        assert "Em atendimento:* 1" in home
        assert "com Bruno Suporte" in home
        await w.core(handling.assign, w.ids["bruno"], ticket.id, w.ids["ana"])
        await deliver_all(w)
        mine = published(w, "UANA")[-1].split("Comigo")[1].split("Fila")[0]
        assert ticket.number in mine, "handed to Ana: under Comigo"
        await w.core(closing.request_approval, w.ids["ana"], ticket.id, "Pronto.",
                     origin_id="erro_sistema")
        await w.core(closing.approve, w.ids["carla"], ticket.id)
        await deliver_all(w)
        home = published(w, "UANA")[-1]
        assert ticket.number not in home
        assert "Em atendimento:* 0" in home
        assert published(w, "UBRUNO") == [], "Bruno never opened the Home: nothing to redraw"

    run(scenario)


def test_a_burst_of_changes_is_one_publish_per_agent_whichever_instance_delivers(
        run: Callable[[Scenario], None]) -> None:
    """Five new tickets, their cards delivered by two instances in turn: each agent's Home is
    redrawn once, showing all five."""
    async def scenario(w: SlackWorld) -> None:
        await open_home(w, "UANA")
        await open_home(w, "UBRUNO")
        other_desk = Desk(w.store, clock=lambda: w.now, workers=2)
        other = SlackSender(make_client(w.settings), other_desk, triage_channel=TRIAGE)
        try:
            tickets = [await w.open_ticket(assunto=f"Erro {i}") for i in range(5)]
            for i, msg in enumerate(await w.outbox()):
                if msg.channel == Channel.SLACK and msg.target == "triage":
                    assert isinstance(await (w.sender, other)[i % 2].send(msg), Sent)
                    w.done.add(msg.id or 0)
        finally:
            other_desk.close()
        assert sorted(m.target for m in await home_rows(w)) == ["home:UANA", "home:UBRUNO"]
        await deliver_all(w)
        for user in ("UANA", "UBRUNO"):
            opened, redrawn = published(w, user)
            assert all(t.number in redrawn for t in tickets)
            assert "Novos:* 5" in redrawn
        assert published(w, "UCARLA") == []

    run(scenario)


def test_the_home_header_counts_the_overdue_tickets_and_follows_the_sweep(
        run: Callable[[Scenario], None]) -> None:
    """R13: next to the queue's counts, how many open tickets are past their prazo de entrega;
    the sweep that finds one overdue redraws the Home."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        await w.core(handling.take, w.ids["bruno"], ticket.id)
        await deliver_all(w)
        due = (await w.ticket(ticket.id)).due_at
        w.now = due - timedelta(hours=1)
        assert "Atrasados:* 0" in await open_home(w, "UANA")
        w.now = due + timedelta(hours=22)  # due Sunday 10:00: told on Monday at 08:00 (R14)
        await w.core(sweeps.deadlines, sweeps.SweepReport())
        before = len(published(w, "UANA"))
        await deliver_all(w)
        assert len(published(w, "UANA")) == before + 1
        assert "Atrasados:* 1" in published(w, "UANA")[-1]
        assert "Atrasados" not in await open_home(w, "UCARLA"), "staff only"

    run(scenario)


def test_only_recent_staff_homes_are_redrawn(run: Callable[[Scenario], None]) -> None:
    """A Home opened days ago is not kept up (opening it again redraws it), and a customer's
    Home is not the queue's."""
    async def scenario(w: SlackWorld) -> None:
        await open_home(w, "UBRUNO")
        w.now += timedelta(days=2)
        await open_home(w, "UANA")
        await open_home(w, "UCARLA")
        await w.open_ticket()
        await deliver_all(w)
        assert len(published(w, "UANA")) == 2
        assert len(published(w, "UBRUNO")) == 1
        assert len(published(w, "UCARLA")) == 1

    run(scenario)


def test_slack_limiting_the_home_holds_only_that_home(run: Callable[[Scenario], None]) -> None:
    """views.publish has its own limit (Tier 4): a 429 waits as Slack asks for that Home
    alone, the cards and threads go on."""
    async def scenario(w: SlackWorld) -> None:
        await open_home(w, "UANA")
        ticket = await w.open_ticket()
        await w.deliver()
        w.fake.fail("views.publish", status=429, headers={"Retry-After": "7"},
                    body={"ok": False, "error": "ratelimited"})
        await w.deliver()
        [held] = [r for m, r in w.results if m.target == "home:UANA"]
        assert isinstance(held, RetryAfter)
        assert held.seconds == 7
        assert not held.channel_wide
        await w.deliver()
        assert ticket.number in published(w, "UANA")[-1]

    run(scenario)


class Clock:
    """The instances' clock, moved by the test alone: no time of theirs (a Home's wait, its
    interval, a row's due time) passes while the machine is merely slow."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@contextlib.asynccontextmanager
async def two_instances(w: SlackWorld, home_delay: timedelta) -> AsyncIterator[Clock]:
    """The dispatchers of two instances over the world's database, on a clock the test moves,
    Ana's Home open; stopped after. A send that fails under load is tried again at once (no
    backoff: on this clock a retry due later would wait for the test)."""
    clock = Clock()
    w.desk.clock = clock
    await open_home(w, "UANA")
    limits = Limits(slack_channel_interval=0.0, slack_home_interval=0.5)
    desks = [Desk(w.store, clock=clock, workers=2) for _ in range(2)]
    runs = [dispatcher(d, {"slack": SlackSender(make_client(w.settings), d,
                                                triage_channel=TRIAGE, home_delay=home_delay)},
                       limits=limits, worker_id=f"instance-{i}", clock=clock, base=0.0,
                       cap=0.0)
            for i, d in enumerate(desks)]
    try:
        for d in runs:
            await d.start()
        yield clock
    finally:
        for d in runs:
            await d.stop()
        for desk in desks:
            desk.close()


async def cards_posted(w: SlackWorld, tickets: list[Any], homes_sent: int = 0) -> bool:
    """Every ticket's card row sent, and at least `homes_sent` Home rows."""
    rows = await w.outbox()
    cards = [m for m in rows if m.target == "triage" and m.kind == "card"]
    homes = [m for m in rows if m.target.startswith("home:")]
    return len({m.ticket_id for m in cards}) == len(tickets) \
        and all(m.status == DeliveryStatus.SENT for m in cards) \
        and sum(m.status == DeliveryStatus.SENT for m in homes) >= homes_sent


async def slack_done(w: SlackWorld) -> bool:
    """No Slack row left to send (the e-mail ones wait for no sender here)."""
    return all(m.status != DeliveryStatus.PENDING for m in await w.outbox()
               if m.channel == Channel.SLACK)


def test_two_instances_dispatching_redraw_a_home_once_for_a_burst(
        run: Callable[[Scenario], None]) -> None:
    """The real dispatchers of two instances over one database: six tickets in a row, their
    cards delivered by either, redraw Ana's Home once, after the changes settled (the Home
    waits 10 s). On the wall clock, six cards delivered in over 10 s under load (29) redrew it
    twice; on a clock the test moves, the wait ends when the test says: the cards are posted
    meanwhile, however slowly, and the Home is drawn once, with all six."""
    async def scenario(w: SlackWorld) -> None:
        async with two_instances(w, home_delay=timedelta(seconds=10)) as clock:
            tickets = [await w.open_ticket(assunto=f"Erro {i}") for i in range(6)]
            await w.until(lambda: cards_posted(w, tickets))
            assert len(published(w, "UANA")) == 1  # the Home opened, not redrawn yet
            clock.advance(10)
            await w.until(lambda: slack_done(w))
        opened, *redrawn = published(w, "UANA")
        assert len(redrawn) == 1
        assert all(t.number in redrawn[-1] for t in tickets)

    run(scenario)


def test_two_instances_keep_a_home_redrawn_at_most_once_per_interval(
        run: Callable[[Scenario], None]) -> None:
    """Without the wait, the first change is shown at once and the rest wait for the Home's
    interval (0.5 s here, shared by the instances through the database), drawn together: a
    ticket redraws Ana's Home at once; five more, their cards posted by either instance
    within the interval, redraw it once when the interval has passed, with all six. On the
    wall clock, cards posted slower than the interval under load each redrew it; the test's
    clock passes only when it says."""
    async def scenario(w: SlackWorld) -> None:
        async with two_instances(w, home_delay=timedelta(0)) as clock:
            tickets = [await w.open_ticket(assunto="Erro 0")]
            await w.until(lambda: cards_posted(w, tickets, homes_sent=1))  # at once
            tickets += [await w.open_ticket(assunto=f"Erro {i}") for i in range(1, 6)]
            await w.until(lambda: cards_posted(w, tickets, homes_sent=1))
            clock.advance(0.6)  # past the interval
            await w.until(lambda: slack_done(w))
        opened, *redrawn = published(w, "UANA")
        assert len(redrawn) == 2
        assert tickets[0].number in redrawn[0]
        assert all(t.number in redrawn[1] for t in tickets)
        sent = sorted(m.sent_at for m in await home_rows(w) if m.status == DeliveryStatus.SENT)
        assert len(sent) == 2
        assert sent[1] - sent[0] >= timedelta(seconds=0.5)

    run(scenario)


def test_r9_a_customers_home_counts_their_closed_tickets_too(
        run: Callable[[Scenario], None]) -> None:
    """R9 (§5 1.4): the customer's first screen maps their tickets 'abertos, em atendimento e
    encerrados'. The Home counted only the open ones' tabs: a closed ticket was nowhere."""
    async def scenario(w: SlackWorld) -> None:
        closed = await w.open_ticket()
        await w.open_ticket(assunto="Erro ao emitir NFC-e")
        await w.core(handling.take, w.ids["ana"], closed.id)
        await w.core(closing.request_approval, w.ids["ana"], closed.id, "Pronto.",
                     origin_id="erro_sistema")
        await w.core(closing.approve, w.ids["carla"], closed.id)
        home = await open_home(w, "UCARLA")
        assert "*Novos:* 1" in home
        assert "*Encerrados:* 1" in home
        agents = await open_home(w, "UANA")
        assert "Encerrados" not in agents  # the desk's closed tickets: no use in the queue's

    run(scenario)


def test_r13_r23_the_home_names_the_report_and_the_billable_tickets(
        run: Callable[[Scenario], None]) -> None:
    """The Home's line of other views named the worklists but neither `/ticket relatorio` nor
    `/ticket faturaveis`: a coordinator opening the Home tab to close the month found neither
    the report nor what to invoice. It names both, in the agent's language."""
    async def scenario(w: SlackWorld) -> None:
        home = await open_home(w, "UANA")
        assert "`/ticket relatorio [DIAS | MÊS]` (o relatório do atendimento)" in home
        assert "`/ticket faturaveis [MÊS] [EMPRESA]` (os tickets fora do contrato, para faturar)" \
            in home

    run(scenario)
