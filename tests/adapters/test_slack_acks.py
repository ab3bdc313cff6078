"""Button clicks are acknowledged before their work: signed, queued, never lost at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from fakes.slack_api import TEAM
from slack_harness import Scenario, SlackWorld, sign

from bots.app import Host
from bots.bootstrap import Container
from bots.slack import receiver
from bots.slack.listeners import Listeners
from core.models import Status


async def statuses(w: SlackWorld, ids: list[int]) -> list[Status]:
    """The stored status of each ticket."""
    return [(await w.ticket(i)).status for i in ids]


def in_host(sql_store: Any, monkeypatch: pytest.MonkeyPatch, scenario: Any,
            **settings: Any) -> None:
    """Run the scenario against `helpdesk run`'s host serving the Slack channel."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    async def main() -> None:
        w = SlackWorld(sql_store)
        w.now = datetime.now(UTC)
        await w.start(serve=False, http_host="127.0.0.1", http_port=0, **settings)
        container = Container(settings=w.settings, store=w.store, policy=w.desk.policy,
                              desk=w.desk)
        try:
            await scenario(w, Host(container))
        finally:
            await w.stop()

    asyncio.run(main())


def test_burst_of_signed_clicks_all_acked_and_all_taken(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ids = [(await w.open_ticket()).id for _ in range(30)]
        answers = await asyncio.gather(*(w.click("UANA", "tk.take", str(i)) for i in ids))
        assert answers == [(200, "")] * len(ids)

        async def all_taken() -> bool:
            return set(await statuses(w, ids)) == {Status.IN_PROGRESS}

        await w.until(all_taken, timeout=20)

    run(scenario)


def test_click_whose_payload_does_not_start_with_its_type_still_goes_the_quick_way(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 200}}] * 20
        # Take, on the card Abrir posts in the bot's DM: the card comes back through the
        # response_url, which a slow Slack does not answer until told.
        payload = {"user": {"id": "UANA", "team_id": TEAM}, "team": {"id": TEAM},
                   "channel": {"id": "DANA"}, "message": {"ts": "1.0", "blocks": blocks},
                   "container": {"type": "message", "message_ts": "1.0"},
                   "response_url": w.fake.response_url("late"),
                   "trigger_id": "tr-late", "type": "block_actions",
                   "actions": [{"action_id": "tk.take", "type": "button",
                                "value": str(ticket.id)}]}
        slack = w.fake.hold("response_url")
        assert w.receiver is not None
        await w.receiver.close()  # from now on the quick way runs a click before answering
        answer = asyncio.create_task(w.interactive(payload))
        await w.until(lambda: w.fake.of("response_url:late"))
        assert not answer.done()  # bolt's own way would have answered before the work
        slack.set()
        assert await answer == (200, "")
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

    run(scenario)


def test_one_persons_clicks_take_effect_in_the_order_they_came(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        slack = w.fake.hold("chat.postEphemeral")  # the first click's refusal, answered late
        await w.click("UANA", "tk.take", "999999")
        await w.click("UANA", "tk.origin", f"{ticket.id}:nao-existe", select=True)
        await w.until(lambda: w.fake.of("chat.postEphemeral"))
        with contextlib.suppress(AssertionError):  # the second click's, were it run meanwhile
            await w.until(lambda: len(w.fake.of("chat.postEphemeral")) > 1, timeout=1.0)
        meanwhile = len(w.fake.of("chat.postEphemeral"))
        slack.set()
        refusals = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                                 and w.fake.of("chat.postEphemeral"))
        assert meanwhile == 1  # the second click waited for the first one's work to end
        assert "ticket" in refusals[0]["text"].lower()
        assert "catálogo" in refusals[1]["text"]

    run(scenario)


def test_click_with_unreadable_or_missing_signature_headers_is_refused(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        calls = len(w.fake.calls)
        for headers in ({"X-Slack-Request-Timestamp": "not-a-number"},
                        {"X-Slack-Signature": ""}):
            status, _ = await w.click("UANA", "tk.take", str(ticket.id), headers=headers)
            assert status == 401
        future = str(int(time.time()) + 6 * 60)
        status, _ = await w.click("UANA", "tk.take", str(ticket.id), timestamp=future,
                                  signature=None)  # signed by the harness with that time
        assert status == 401
        status, _ = await w.click("UANA", "tk.take", str(ticket.id),
                                  signature=sign("x", str(int(time.time())), "other-secret"))
        assert status == 401
        await w.idle()
        assert (await w.ticket(ticket.id)).status == Status.NEW
        assert len(w.fake.calls) == calls

    run(scenario)


def test_click_after_the_receiver_closed_runs_before_its_answer(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        assert w.receiver is not None
        await w.receiver.close()
        status, _ = await w.click("UANA", "tk.take", str(ticket.id))
        assert status == 200
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

    run(scenario)


def test_click_acked_just_before_the_receiver_closes_is_still_taken(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        assert w.receiver is not None
        assert (await w.click("UANA", "tk.take", str(ticket.id)))[0] == 200
        await w.receiver.close()
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

    run(scenario)


def test_click_acked_just_before_host_stop_is_still_taken(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(w: SlackWorld, host: Host) -> None:
        ticket = await w.open_ticket()
        await host.start()
        receiver = next(c.receiver for c in host.channels if c.name == "slack")
        slack = w.fake.hold("response_url")  # the taken card, answered late by Slack
        stopping = None
        try:
            w.url = host.http_url + "/slack/events"
            assert (await w.click("UANA", "tk.take", str(ticket.id), channel="DANA"))[0] == 200
            stopping = asyncio.create_task(host.stop())
            await w.until(lambda: receiver.closed)  # the stop has come to the Slack channel
            await w.until(lambda: [c for c in w.fake.calls
                                   if c.method.startswith("response_url:")])
            assert not stopping.done()  # it waits for the click still at work
        finally:
            slack.set()
            await (stopping or host.stop())
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

    in_host(sql_store, monkeypatch, scenario)


STOP_LINES = {
    "pt_BR": ["Slack: concluindo 1 clique já confirmado",
              "Slack: esperando 2 tarefas em andamento terminarem",
              "Slack: 2 tarefas ainda em andamento após 0 s; parando assim mesmo"],
    "en": ["Slack: finishing 1 acknowledged click",
           "Slack: letting 2 listeners at work finish",
           "Slack: 2 listeners still at work after 0 s; stopping anyway"]}


@pytest.mark.parametrize("language", ["pt_BR", "en"])
def test_the_slack_stop_lines_follow_the_language(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        language: str) -> None:
    """'Slack: finishing 1 acknowledged clicks', 'letting 2 listener(s) finish' and '… still
    at work after 20 s; stopping anyway' were English at a pt-BR desk's stop, between the
    other stop lines in Portuguese."""
    async def scenario(w: SlackWorld, host: Host) -> None:
        ticket = await w.open_ticket()
        await host.start()
        receiver = next(c.receiver for c in host.channels if c.name == "slack")
        slack = w.fake.hold("response_url")  # the taken card, answered late by Slack
        stopping = None
        try:
            w.url = host.http_url + "/slack/events"
            assert (await w.click("UANA", "tk.take", str(ticket.id), channel="DANA"))[0] == 200
            await w.until(lambda: [c for c in w.fake.calls
                                   if c.method.startswith("response_url:")])
            stopping = asyncio.create_task(host.stop())
            await w.until(lambda: receiver.closed)
        finally:
            slack.set()
            await (stopping or host.stop())
        listeners = Listeners(language)
        listeners.started()
        listeners.started()
        await listeners.wait(bound=0.01)

    with caplog.at_level(logging.INFO, logger="bots.slack"):
        in_host(sql_store, monkeypatch, scenario, language=language)
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Slack: ")]
    assert said[1:] == STOP_LINES[language]  # after the start's 'Slack: receiving on …'



def test_channel_asks_auth_test_once_at_start_not_per_click(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(w: SlackWorld, host: Host) -> None:
        ids = [(await w.open_ticket()).id for _ in range(5)]
        await host.start()
        try:
            assert len(w.fake.of("auth.test")) == 1
            w.url = host.http_url + "/slack/events"
            await asyncio.gather(*(w.click("UANA", "tk.take", str(i)) for i in ids))

            async def all_taken() -> bool:
                return set(await statuses(w, ids)) == {Status.IN_PROGRESS}

            await w.until(all_taken, timeout=10)
            assert len(w.fake.of("auth.test")) == 1
        finally:
            await host.stop()

    in_host(sql_store, monkeypatch, scenario)


def test_failed_auth_test_at_start_does_not_stop_the_channel(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(w: SlackWorld, host: Host) -> None:
        ticket = await w.open_ticket()
        w.fake.fail("auth.test", status=503, body="down", content_type="text/html")
        await host.start()
        try:
            w.url = host.http_url + "/slack/events"
            assert (await w.click("UANA", "tk.take", str(ticket.id)))[0] == 200

            async def taken() -> bool:
                return (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

            await w.until(taken)
            assert len(w.fake.of("auth.test")) == 2  # bolt asked again on the click
        finally:
            await host.stop()

    in_host(sql_store, monkeypatch, scenario)


def test_bolt_reads_no_click_while_clicks_keep_arriving(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    read_at: list[float] = []
    request = receiver.Click.request

    def timed(self: receiver.Click) -> Any:
        read_at.append(time.monotonic())
        return request(self)

    monkeypatch.setattr(receiver, "QUIET", 0.5)
    monkeypatch.setattr(receiver, "MAX_DEFER", 10.0)
    monkeypatch.setattr(receiver.Click, "request", timed)

    async def scenario(w: SlackWorld) -> None:
        ids = [(await w.open_ticket()).id for _ in range(4)]
        for i in ids:  # a burst arriving one click at a time, each acked at once
            assert await w.click("UANA", "tk.take", str(i)) == (200, "")
        last_ack = time.monotonic()

        async def all_taken() -> bool:
            return set(await statuses(w, ids)) == {Status.IN_PROGRESS}

        await w.until(all_taken, timeout=10)
        assert len(read_at) == len(ids)
        assert min(read_at) > last_ack

    run(scenario)


@pytest.mark.parametrize(("payload", "separators", "kind"), [
    ({"type": "block_actions", "user": {"id": "U1"}}, None, "block_actions"),
    ({"type": "block_actions", "user": {"id": "U1"}}, (",", ":"), "block_actions"),
    ({"type": "view_submission"}, None, "view_submission"),
    ({"user": {"id": "U1"}, "type": "block_actions"}, None, "block_actions"),
    ({"type": "block_actions_v2"}, None, "block_actions_v2"),
    ({"type": 3}, None, None),
])
def test_payload_type_read_from_the_encoded_form_as_from_the_decoded_one(
        payload: dict[str, Any], separators: tuple[str, str] | None, kind: str | None) -> None:
    text = json.dumps(payload, separators=separators)
    for body in (urlencode({"payload": text}), "payload=" + quote(text, safe="")):
        assert receiver.payload_type(body) == kind
    assert receiver.payload_type("payload=%7b%0a++%22type%22+%3a+%22block_actions%22%2c") \
        == "block_actions"
    assert receiver.payload_type("command=%2Fhelp") is None


def test_stop_lets_a_tramite_at_work_after_its_ack_finish(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """An agent's reply with a file in a card's thread: bolt acks the event and runs its
    listener in a task of its own, which fetches the file, then saves the trâmite. The stop
    waited for acked clicks only: it ended with that listener half-way (the file held by a slow
    Slack), and the trâmite was lost. Now it waits for it (for a while: listeners.WAIT)."""
    async def scenario(w: SlackWorld, host: Host) -> None:
        ticket = await w.open_ticket()
        await host.start()
        channel = next(c for c in host.channels if c.name == "slack")
        stopping = None
        slack = w.fake.hold("file:log.txt")  # the download, answered late by Slack
        try:
            w.url = host.http_url + "/slack/events"
            host.wake_outbox()
            card = await w.until(lambda: w.read(lambda uow: uow.slack_cards.get(ticket.id)))
            log_file = w.fake.add_file("log.txt", b"stack trace", "text/plain")
            status, _ = await w.thread_reply("UANA", card.ts, "Segue o log do erro",
                                             subtype="file_share", files=[log_file])
            assert status == 200
            await w.until(lambda: w.fake.of("file:log.txt"))  # the listener is half-way
            stopping = asyncio.create_task(host.stop())
            await w.until(lambda: stopping.done() or getattr(
                getattr(channel, "listeners", None), "waiting", False))
            assert not stopping.done()  # the stop waits for the listener still at work
        finally:
            slack.set()
            await (stopping or host.stop())
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        [said] = [e for e in entries if e.text == "Segue o log do erro"]
        assert [a.filename for a in said.attachments] == ["log.txt"]

    in_host(sql_store, monkeypatch, scenario)


def test_the_wait_for_listeners_is_bounded() -> None:
    """A listener that never ends does not hold the stop for ever: the wait says how many were
    left at work when its bound ran out."""
    async def main() -> None:
        listeners = Listeners()
        assert await listeners.wait() == 0
        listeners.started()
        assert await listeners.wait(bound=0.01) == 1
        assert not listeners.waiting
        listeners.ended()
        assert await listeners.wait() == 0

    asyncio.run(main())


def test_click_whose_signature_has_letters_beyond_ascii_is_refused_like_a_wrong_one(
        run: Callable[[Scenario], None]) -> None:
    """A signature header with a letter beyond ASCII failed inside the check (hmac refuses to
    compare such text): aiohttp answered 500, not the 401 of any other wrong signature."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        calls = len(w.fake.calls)
        signed = sign("x", str(int(time.time())))
        for signature in ("v0=é" + signed[4:], signed[:-1] + "é"):
            status, body = await w.click("UANA", "tk.take", str(ticket.id), signature=signature)
            assert (status, json.loads(body)) == (401, receiver.INVALID)
        await w.idle()
        assert (await w.ticket(ticket.id)).status == Status.NEW
        assert len(w.fake.calls) == calls

    run(scenario)


def test_quick_signature_check_decides_as_bolts_verifier() -> None:
    """The click route checks signatures itself (over the body's bytes, from a copy of the
    secret's HMAC state); it accepts and refuses exactly what slack_sdk's SignatureVerifier,
    bolt's own check, does."""
    from slack_sdk.signature import Clock, SignatureVerifier

    now = 1_764_930_000

    class Fixed(Clock):
        def now(self) -> float:
            return float(now)

    secret = "s3cr3t"
    ours = receiver.Signature(secret, clock=lambda: float(now))
    bolts = SignatureVerifier(secret, clock=Fixed())
    bodies = ["", "payload=%7B%22type%22%3A%22block_actions%22%7D", "a=1&b=%C3%A9", "é ç"]
    stamps = [str(now), str(now - 300), str(now - 301), str(now + 300), str(now + 301),
              f" {now} ", f"+{now}", f"{now}.0", "", "abc", "1_764_930_000", "١" * 3, None]
    cases = 0
    for body in bodies:
        for stamp in stamps:
            good = sign(body, stamp, secret) if stamp is not None else None
            for signature in (good, sign(body, stamp or "0", "other"), good and good.upper(),
                              good and good[:-1], good and good + "0", "", None):
                try:
                    expected = bolts.is_valid(body, stamp, signature)
                except ValueError:  # a timestamp that is not a number: bolt's own 401
                    expected = False
                assert ours.valid(body.encode(), stamp, signature) is expected, \
                    (body, stamp, signature)
                cases += expected
    assert cases == len(bodies) * 6  # the right signature, for each timestamp in the window


def test_the_bolt_internals_we_lean_on_are_still_there() -> None:
    """Two things slack-bolt has no public way to do, done through its internals: handing the
    start's auth.test answer to its single-team authorization (receiver.warm_authorization,
    through AsyncApp._async_middleware_list) and counting listeners still at work at a stop
    (listeners.Listeners, through the public listener_runner's start and completion handlers).
    An upgrade of slack-bolt that moves them fails here, saying what to adapt, rather than as
    a slower start or a stop that cuts an agent's trâmite half-way."""
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.middleware.authorization.async_single_team_authorization import (
        AsyncSingleTeamAuthorization,
    )
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(client=AsyncWebClient(token="xoxb-pinned"), signing_secret="s",
                   ssl_check_enabled=False)
    listed = getattr(app, "_async_middleware_list", None)
    assert isinstance(listed, list), (
        "slack-bolt no longer has AsyncApp._async_middleware_list: "
        "bots/slack/receiver.py warm_authorization cannot give bolt the start's auth.test "
        "answer (every cold request would ask again); find bolt's way to do it now")
    [auth] = [m for m in listed if isinstance(m, AsyncSingleTeamAuthorization)]
    assert hasattr(auth, "auth_test_result"), (
        "slack-bolt's AsyncSingleTeamAuthorization no longer keeps auth_test_result: "
        "bots/slack/receiver.py warm_authorization must change with it")
    runner = app.listener_runner
    for handler in ("listener_start_handler", "listener_completion_handler"):
        assert hasattr(runner, handler), (
            f"slack-bolt's listener runner no longer has {handler}: bots/slack/listeners.py "
            "cannot count the listeners at work, so a stop would not wait for them")
    Listeners().install(app)  # wraps both, as the channel does
    assert type(runner.listener_start_handler).__name__ == "_Started"
    assert type(runner.listener_completion_handler).__name__ == "_Ended"
