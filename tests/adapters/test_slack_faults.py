"""Faults at the Slack edge: signatures, retries, strangers, rate limits and server errors."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
import telegram_harness
from slack_harness import SECRET, TRIAGE, Scenario, SlackWorld, card_fields, sign

from bots.delivery.results import Permanent, RetryAfter, Sent, Transient
from bots.settings import Settings
from bots.slack.app import build_app, make_client
from bots.slack.sender import CHANNEL_HINT, classify
from core.i18n import t
from core.models import Status
from core.services import tramites


async def posted_card(w: SlackWorld) -> tuple[Any, str]:
    """A ticket whose card is in the triage channel."""
    ticket = await w.open_ticket()
    await w.deliver()
    return ticket, await w.card_ts(ticket.id)


def test_the_harness_waits_as_long_as_telegram_s_for_what_happens_later() -> None:
    """until() gave up after 5 s, the Telegram harness's after 20: at a load of 12,
    test_app_home_shows_the_agents_queue_and_counts[postgres] ran out. Every wait of the Slack
    harness has the Telegram harness's bound (a passing test still goes on at once)."""
    bound = inspect.signature(telegram_harness.until).parameters["within"].default
    for wait in (SlackWorld.until, SlackWorld.quiet, SlackWorld.idle):
        assert inspect.signature(wait).parameters["timeout"].default == bound, wait.__name__


def test_idle_waits_for_a_listener_still_at_work_after_its_ack(
        run: Callable[[Scenario], None]) -> None:
    """What the tests' checks that nothing happened stand on: the harness's idle() returns only
    once bolt's listener of an answered event has ended (here, posting to a Slack that has not
    answered yet), and once an acked click has run."""
    async def scenario(w: SlackWorld) -> None:
        gate = w.fake.hold("chat.postMessage")
        assert (await w.dm("UCARLA", "oi"))[0] == 200
        await w.until(lambda: w.fake.of("chat.postMessage"))
        waiting = asyncio.create_task(w.idle())
        await asyncio.sleep(0.1)  # time for a wrong idle() to return
        assert not waiting.done()
        gate.set()
        await waiting
        assert w.fake.messages("DCARLA")
        gate = w.fake.hold("chat.postEphemeral")
        assert (await w.click("UANA", "tk.take", "999999"))[0] == 200  # no such ticket
        waiting = asyncio.create_task(w.idle())
        await w.until(lambda: w.fake.of("chat.postEphemeral"))
        assert not waiting.done()
        gate.set()
        await waiting
        assert w.receiver is not None
        assert not w.receiver.unfinished

    run(scenario)


def test_bad_signature_is_refused_and_nothing_happens(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        rows = len(await w.outbox())
        calls = len(w.fake.calls)
        forged = sign("something else", str(int(time.time())))
        status, _ = await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts,
                                  signature=forged)
        assert status == 401
        wrong_secret = "v0=" + "0" * 64
        status, _ = await w.thread_reply("UANA", ts, "oi", signature=wrong_secret)
        assert status == 401
        await w.idle()
        assert (await w.ticket(ticket.id)).status == Status.NEW
        assert len(await w.outbox()) == rows
        assert len(w.fake.calls) == calls

    run(scenario)


def test_stale_timestamp_is_refused(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        old = str(int(time.time()) - 6 * 60)
        status, _ = await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts,
                                  timestamp=old)  # signed correctly, but replayable
        assert status == 401
        await w.idle()
        assert (await w.ticket(ticket.id)).status == Status.NEW

    run(scenario)


def test_env_does_not_override_settings(run: Callable[[Scenario], None], monkeypatch: Any
                                        ) -> None:
    async def scenario(w: SlackWorld) -> None:
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "from-the-environment")
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
        app = build_app(w.settings, w.desk, make_client(w.settings))
        assert app.client.token == "xoxb-test"
        assert app._signing_secret == SECRET
        assert make_client(w.settings).retry_handlers == []

    run(scenario)


def test_slack_retry_of_the_same_event_is_dropped(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        event = {"type": "message", "channel": TRIAGE, "user": "UANA", "ts": "1700000200.000001",
                 "thread_ts": ts, "text": "Pode reenviar a nota?", "channel_type": "channel"}
        assert (await w.event(event, event_id="EvSAME"))[0] == 200
        status, _ = await w.event(event, event_id="EvSAME",
                                  headers={"X-Slack-Retry-Num": "1",
                                           "X-Slack-Retry-Reason": "http_timeout"})
        assert status == 200
        await w.event(event, event_id="EvSAME", headers={"X-Slack-Retry-Num": "2"})
        await w.until(lambda: w.fake.of("reactions.add"))
        await w.idle()
        entries = await w.read(lambda uow, i: uow.entries.list(i, True), ticket.id)
        assert [e.text for e in entries].count("Pode reenviar a nota?") == 1
        assert len(w.fake.of("reactions.add")) == 1

    run(scenario)


RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def test_slack_retries_of_a_refused_reply_and_of_an_edit_say_so_once(
        run: Callable[[Scenario], None]) -> None:
    """Slack delivers an event again when our answer was late: a thread reply refused (not
    an agent), an edit in the DM, each delivered twice, is answered once. A refusal records
    nothing else, so the retry said it again."""
    async def scenario(w: SlackWorld) -> None:
        _, ts = await posted_card(w)
        reply = {"type": "message", "channel": TRIAGE, "user": "USTRANGER",
                 "ts": "1700000200.000001", "thread_ts": ts, "text": "posso ajudar?",
                 "channel_type": "channel"}
        await w.event(reply, event_id="EvREFUSED")
        await w.event(reply, event_id="EvREFUSED", headers=RETRY)
        old = {"type": "message", "user": "UCARLA", "text": "oi", "ts": "1700000300.000001"}
        edit = {"type": "message", "subtype": "message_changed", "hidden": True,
                "channel": "DCARLA", "channel_type": "im", "ts": "1700000999.000002",
                "message": {**old, "text": "olá", "edited": {"user": "UCARLA", "ts": "1.0"}},
                "previous_message": old}
        await w.event(edit, event_id="EvEDIT")
        await w.event(edit, event_id="EvEDIT", headers=RETRY)
        await w.idle()
        assert [e["user"] for e in w.fake.of("chat.postEphemeral")] == ["USTRANGER"]
        told = [m for m in w.fake.messages("DCARLA") if m["text"] == t("conv.edited", "pt_BR")]
        assert len(told) == 1

    run(scenario)


def test_a_refused_click_delivered_again_is_refused_once(
        run: Callable[[Scenario], None]) -> None:
    """The same click (its trigger_id) delivered again by Slack: one refusal."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        body = urlencode({"payload": json.dumps({
            "type": "block_actions", "user": {"id": "UCARLA", "team_id": "T1"},
            "team": {"id": "T1"}, "api_app_id": "AHELP", "trigger_id": "5.5.take",
            "channel": {"id": TRIAGE}, "container": {"type": "message", "message_ts": ts},
            "message": {"ts": ts, "text": "card", "type": "message"},
            "actions": [{"action_id": "tk.take", "block_id": f"card.{ticket.id}",
                         "type": "button", "value": str(ticket.id), "action_ts": "1"}]})})
        stamp = str(int(time.time()))
        for retry in ({}, RETRY):
            await w.post(body, "application/x-www-form-urlencoded", timestamp=stamp,
                         headers=retry)
        await w.idle()
        assert [e["user"] for e in w.fake.of("chat.postEphemeral")] == ["UCARLA"]

    run(scenario)


def test_non_agent_pressing_a_button_is_refused_politely(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        for who in ("UCARLA", "USTRANGER"):
            await w.click(who, "tk.take", str(ticket.id), message_ts=ts)
        refusals = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                                 and w.fake.of("chat.postEphemeral"))
        assert {r["user"] for r in refusals} == {"UCARLA", "USTRANGER"}
        assert all("atendentes cadastrados" in r["text"] for r in refusals)
        await w.click("UCARLA", "tk.approval", str(ticket.id), message_ts=ts)
        await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 3)
        assert not w.fake.of("views.open")
        assert (await w.ticket(ticket.id)).status == Status.NEW

    run(scenario)


def test_forged_button_value_gets_a_clear_refusal(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.click("UANA", "tk.take", "999999", message_ts=ts)
        await w.click("UANA", "tk.origin", f"{ticket.id}:nao-existe", select=True,
                      message_ts=ts)
        refusals = await w.until(lambda: len(w.fake.of("chat.postEphemeral")) >= 2
                                 and w.fake.of("chat.postEphemeral"))
        assert "ticket" in refusals[0]["text"].lower()
        assert (await w.ticket(ticket.id)).origin is None

    run(scenario)


def test_ack_comes_before_slow_work(run: Callable[[Scenario], None]) -> None:
    """A click is answered while its work still waits: here for Slack, which has not answered
    the taken card's post to the response_url (Abrir's card in the bot's DM)."""
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket()
        slack = w.fake.hold("response_url")
        # Were the answer to wait for the work, it would wait for Slack until released.
        status, _ = await asyncio.wait_for(
            w.click("UANA", "tk.take", str(ticket.id), channel="DANA"), 20)
        assert status == 200
        await w.until(lambda: [c for c in w.fake.calls if c.method.startswith("response_url:")])
        assert w.receiver is not None
        assert w.receiver.unfinished == 1  # the click's work is still on
        slack.set()
        await w.idle()
        assert (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

    run(scenario)


def test_url_verification_and_ssl_check(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        body = json.dumps({"token": "x", "challenge": "desafio-123", "type": "url_verification"})
        status, text = await w.post(body, "application/json")
        assert status == 200
        assert "desafio-123" in text
        status, _ = await w.post(urlencode({"ssl_check": "1", "token": "x"}),
                                 "application/x-www-form-urlencoded", signature="v0=nope")
        assert status == 200

    run(scenario)


def test_429_with_retry_after_then_sent_without_loss(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Alguma novidade?")
        w.fake.fail("chat.postMessage", status=429, headers={"Retry-After": "7"},
                    body={"ok": False, "error": "ratelimited"})
        results = await w.deliver()
        # Slack answered: nothing was posted, and the row says so.
        assert RetryAfter(7.0, "slack rate limited (ratelimited)", unposted=True) in results
        assert not any("Alguma novidade" in m["text"] for m in w.fake.thread(TRIAGE, ts))
        results = await w.deliver()
        assert all(isinstance(r, Sent) for r in results)
        assert "Alguma novidade" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        # So the retry posts without looking for an earlier post (conversations.replies is
        # limited to 1 a minute for apps outside the Marketplace).
        assert not w.fake.of("conversations.replies")

    run(scenario)


def test_5xx_is_transient_and_retried(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Alô?")
        w.fake.fail("chat.postMessage", status=503, body="upstream down",
                    content_type="text/html")
        w.fake.fail("chat.postMessage", status=500,
                    body={"ok": False, "error": "internal_error"})
        first = await w.deliver()
        second = await w.deliver()
        assert isinstance(first[0], Transient)
        assert isinstance(second[0], Transient)
        await w.deliver()
        assert "Alô?" in w.fake.thread(TRIAGE, ts)[-1]["text"]
        assert len([m for m in w.fake.thread(TRIAGE, ts) if "Alô?" in m["text"]]) == 1

    run(scenario)


def test_r7_an_agents_answer_written_elsewhere_reaches_the_thread_after_a_failed_post(
        run: Callable[[Scenario], None]) -> None:
    """Ana answers in the terminal chat (not in the card's thread): its line for the thread
    failed once (a 500), and the retry took it for one typed in the thread (its check had
    marked the entry as it read it) and dropped it: the team never saw the answer."""
    async def scenario(w: SlackWorld) -> None:
        ticket, ts = await posted_card(w)
        await w.core(tramites.add_tramite, w.ids["ana"], ticket.id, "Reinstale o pacote 10125")
        w.fake.fail("chat.postMessage", status=500, body={"ok": False, "error": "internal_error"},
                    when=lambda args: "Reinstale o pacote" in str(args.get("text")))
        first = await w.deliver()
        assert any(isinstance(r, Transient) for r in first)
        await w.deliver()
        lines = [m for m in w.fake.thread(TRIAGE, ts) if "Reinstale o pacote" in m["text"]]
        assert len(lines) == 1

    run(scenario)


def test_card_that_cannot_be_posted_is_retried_never_skipped(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        w.fake.known_channels = {"COTHER"}  # the bot is not in the triage channel yet
        ticket = await w.open_ticket()
        results = await w.deliver()
        assert any(isinstance(r, Transient) and "card not posted" in r.error for r in results)
        assert not w.fake.messages(TRIAGE)
        w.fake.known_channels = None  # someone invited the bot
        await w.deliver()
        ts = await w.card_ts(ticket.id)
        assert ticket.number in card_fields(w.fake.find(TRIAGE, ts))

    run(scenario)


def test_thread_reply_to_a_gone_channel_is_permanent(run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket, _ = await posted_card(w)
        await w.core(tramites.add_tramite, w.ids["carla"], ticket.id, "Oi?")
        w.fake.archived.add(TRIAGE)
        results = await w.deliver()
        assert Permanent(f"slack is_archived: {CHANNEL_HINT}", unposted=True) in results

    run(scenario)


def test_classify_maps_slack_errors() -> None:
    class Response:
        def __init__(self, status: int, data: dict[str, Any], headers: dict[str, str]) -> None:
            self.status_code, self.data, self.headers = status, data, headers

    from slack_sdk.errors import SlackApiError

    def err(status: int, error: str, **headers: str) -> Any:
        return classify(SlackApiError("x", Response(status, {"ok": False, "error": error},
                                                    headers)))

    assert err(429, "ratelimited", **{"Retry-After": "30"}) == RetryAfter(
        30.0, "slack rate limited (ratelimited)")
    assert isinstance(err(502, "bad_gateway"), Transient)
    assert isinstance(err(200, "invalid_auth"), Transient)
    for gone in ("channel_not_found", "not_in_channel", "is_archived"):
        assert err(200, gone) == Permanent(f"slack {gone}: the app cannot post there: invite it; "
                                           "check SLACK_TRIAGE_CHANNEL/SLACK_DEV_CHANNEL")
    assert err(200, "invalid_blocks") == Permanent("slack invalid_blocks")
    assert err(200, "user_not_found") == Permanent("slack user_not_found", unreachable=True)


def test_settings_without_signing_secret_refuse_http(tmp_path: Any) -> None:
    settings = Settings(_env_file=None, slack_bot_token="xoxb-x", slack_signing_secret=None,
                        slack_api_url="http://127.0.0.1:9/api/")
    with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET"):
        build_app(settings, None)  # type: ignore[arg-type]
