"""Slack inside `helpdesk run`'s host: the real dispatcher, the shared HTTP server, Socket Mode."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_harness import TRIAGE, SlackWorld, card_fields

from bots.app import Host
from bots.bootstrap import Container
from bots.slack.channel import SlackChannel, build
from bots.warmup import YOUNG_OBJECTS
from core.models import Status


def host_for(w: SlackWorld) -> Host:
    """A host over the world's store and desk, with whatever channels its settings enable."""
    container = Container(settings=w.settings, store=w.store, policy=w.desk.policy, desk=w.desk)
    return Host(container)


def run_in_world(sql_store: Any, monkeypatch: pytest.MonkeyPatch, scenario: Any,
                 **settings: Any) -> None:
    """Start a world without its own server and run the scenario with the host's."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    async def main() -> None:
        w = SlackWorld(sql_store)
        w.now = datetime.now(UTC)  # the dispatcher gives up on rows older than 72 h
        await w.start(serve=False, http_host="127.0.0.1", http_port=0,
                      outbox_poll_seconds=0.05, **settings)
        try:
            await scenario(w)
        finally:
            await w.stop()

    asyncio.run(main())


def test_helpdesk_run_hosts_slack_on_the_shared_server(sql_store: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(w: SlackWorld) -> None:
        host = host_for(w)
        assert [c.name for c in host.channels] == ["slack"]
        await host.start()
        try:
            w.url = host.http_url + "/slack/events"
            ticket = await w.open_ticket()
            host.wake_outbox()
            card = await w.until(lambda: w.read(lambda uow: uow.slack_cards.get(ticket.id)))
            ts = card.ts
            status, _ = await w.click("UANA", "tk.take", str(ticket.id), message_ts=ts)
            assert status == 200

            async def taken() -> bool:
                return (await w.ticket(ticket.id)).status == Status.IN_PROGRESS

            await w.until(taken)
            host.wake_outbox()
            await w.until(lambda: "Em atendimento" in card_fields(w.fake.find(TRIAGE, ts)))
            await w.until(lambda: w.fake.thread(TRIAGE, ts))
        finally:
            await host.stop()

    run_in_world(sql_store, monkeypatch, scenario)


def test_socket_mode_when_an_app_token_is_set(sql_store: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(w: SlackWorld) -> None:
        host = host_for(w)
        channel = host.channels[0]
        assert isinstance(channel, SlackChannel)
        assert channel.routes() == []  # no signing secret: nothing is exposed over HTTP
        await host.start()
        try:
            await w.until(lambda: w.fake.sockets)
            assert w.fake.of("apps.connections.open")
            await w.fake.socket_send({
                "envelope_id": "env-1", "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {"command": "/ticket", "text": "fila", "user_id": "UANA",
                            "channel_id": TRIAGE, "team_id": "T0001",
                            "response_url": w.fake.response_url("sock"),
                            "trigger_id": "tr-sock"},
            })
            await w.until(lambda: w.fake.socket_acks)
            assert w.fake.socket_acks[0]["envelope_id"] == "env-1"
            answer = await w.until(lambda: w.fake.of("response_url:sock"))
            assert "Fila" in json.dumps(answer[0], ensure_ascii=False)
        finally:
            await host.stop()

    run_in_world(sql_store, monkeypatch, scenario, slack_signing_secret=None,
                 slack_app_token="xapp-test")


def test_no_start_with_a_slack_token_and_no_way_to_receive(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither signing secret nor app token: one line naming both, not a Slack-less run."""
    async def scenario(w: SlackWorld) -> None:
        container = Container(settings=w.settings.model_copy(update={
            "slack_signing_secret": None, "slack_app_token": None}),
            store=w.store, policy=w.desk.policy, desk=w.desk)
        with pytest.raises(SystemExit, match="SLACK_SIGNING_SECRET .*SLACK_APP_TOKEN"):
            build(Host(container, channels=[]))
        container = Container(settings=w.settings.model_copy(update={"slack_bot_token": None}),
                              store=w.store, policy=w.desk.policy, desk=w.desk)
        assert build(Host(container, channels=[])) is None

    run_in_world(sql_store, monkeypatch, scenario)


def test_dispatcher_retries_a_rate_limited_card_without_losing_it(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(w: SlackWorld) -> None:
        w.fake.fail("chat.postMessage", status=429, headers={"Retry-After": "1"},
                    body={"ok": False, "error": "ratelimited"})
        w.fake.fail("conversations.open", status=503, body="down", content_type="text/html")
        host = host_for(w)
        await host.start()
        try:
            ticket = await w.open_ticket()
            host.wake_outbox()
            card = await w.until(lambda: w.read(lambda uow: uow.slack_cards.get(ticket.id)))
            assert ticket.number in card_fields(w.fake.find(TRIAGE, card.ts))
            await w.until(lambda: w.fake.messages("DCARLA"))
            posts = [c for c in w.fake.of("chat.postMessage") if c["channel"] == TRIAGE]
            assert len(posts) == 2  # the 429 and the one that went through
        finally:
            await host.stop()

    run_in_world(sql_store, monkeypatch, scenario)


def test_collector_skips_what_the_host_built_until_it_stops(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario(w: SlackWorld) -> None:
        host = host_for(w)
        await host.start()
        try:
            assert gc.get_freeze_count() > 0
        finally:
            await host.stop()
        assert gc.get_freeze_count() == 0

    run_in_world(sql_store, monkeypatch, scenario)


def test_young_objects_are_collected_less_often_while_the_host_serves(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    before = gc.get_threshold()

    async def scenario(w: SlackWorld) -> None:
        host = host_for(w)
        await host.start()
        try:
            assert gc.get_threshold() == (YOUNG_OBJECTS, *before[1:])
        finally:
            await host.stop()
        assert gc.get_threshold() == before

    run_in_world(sql_store, monkeypatch, scenario)


def test_a_bot_token_slack_refuses_stops_the_start_naming_it(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """auth.test answering invalid_auth (a token mistyped, revoked or of another app) logged a
    warning and ran on with a Slack that answered nothing."""
    async def scenario(w: SlackWorld) -> None:
        w.fake.fail("auth.test", body={"ok": False, "error": "invalid_auth"}, times=5)
        host = host_for(w)
        try:
            with pytest.raises(SystemExit, match="SLACK_BOT_TOKEN.*invalid_auth") as stopped:
                await host.start()
            assert "xoxb-test" not in str(stopped.value)
        finally:
            await host.stop()

    run_in_world(sql_store, monkeypatch, scenario)


def test_an_app_token_slack_refuses_stops_the_start_naming_it(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """apps.connections.open refusing SLACK_APP_TOKEN (Socket Mode) was a SlackApiError
    traceback."""
    async def scenario(w: SlackWorld) -> None:
        w.fake.fail("apps.connections.open", body={"ok": False, "error": "invalid_auth"},
                    times=5)
        host = host_for(w)
        try:
            with pytest.raises(SystemExit, match="SLACK_APP_TOKEN.*invalid_auth") as stopped:
                await host.start()
            assert "xapp-test" not in str(stopped.value)
        finally:
            await host.stop()

    run_in_world(sql_store, monkeypatch, scenario, slack_signing_secret=None,
                 slack_app_token="xapp-test")


async def refused_start(w: SlackWorld) -> object:
    """The exit code of a host whose start Slack refuses."""
    host = host_for(w)
    try:
        with pytest.raises(SystemExit) as stopped:
            await host.start()
    finally:
        await host.stop()
    return stopped.value.code


def test_the_tokens_slack_refuses_are_said_in_the_desks_language(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With LANGUAGE=en both lines were still pt-BR."""
    async def scenario(w: SlackWorld) -> None:
        w.fake.fail("auth.test", body={"ok": False, "error": "invalid_auth"}, times=5)
        assert await refused_start(w) == (
            "error: Slack refused SLACK_BOT_TOKEN (invalid_auth); check the Bot User OAuth Token "
            "(xoxb-…) under OAuth & Permissions")
        w.fake.faults.clear()
        w.fake.fail("apps.connections.open", body={"ok": False, "error": "invalid_auth"},
                    times=5)
        assert await refused_start(w) == (
            "error: Slack refused SLACK_APP_TOKEN (invalid_auth); check the app-level token "
            "(xapp-…, with connections:write) under Basic Information → App-Level Tokens")

    run_in_world(sql_store, monkeypatch, scenario, slack_signing_secret=None,
                 slack_app_token="xapp-test", language="en")


AUTH_503 = ("The request to the Slack API failed. (url: {url}auth.test, status: 503) The "
            "server responded with: {}")
OPEN_429 = ("The request to the Slack API failed. (url: {url}apps.connections.open, status: "
            "429) The server responded with: {'ok': False, 'error': 'ratelimited'}")
"""slack_sdk's own reasons, kept on the detail line (whitespace made one line)."""


@pytest.mark.parametrize(("language", "said"), [
    ("pt_BR", ["o auth.test do Slack falhou na partida em SLACK_API_URL ({url}): respondeu com "
               "uma página de erro (o serviço, ou um proxy no caminho); confira a conexão desta "
               "máquina com a internet, o SLACK_API_URL e se um proxy ou firewall bloqueia o "
               "acesso; será pedido de novo na primeira mensagem\n  detalhe: " + AUTH_503,
               "o Slack não abriu o Socket Mode na partida em SLACK_API_URL ({url}): o Slack "
               "pediu para esperar (limite de pedidos); confira a conexão desta máquina com a "
               "internet, o SLACK_API_URL e se um proxy ou firewall bloqueia o acesso; o "
               "cliente tenta de novo sozinho\n  detalhe: " + OPEN_429]),
    ("en", ["Slack's auth.test failed at the start at SLACK_API_URL ({url}): it answered with "
            "an error page (the service, or a proxy on the way); check this machine's internet "
            "connection, SLACK_API_URL and whether a proxy or firewall blocks the way; it is "
            "asked again at the first message\n  detail: " + AUTH_503,
            "Slack did not open Socket Mode at the start at SLACK_API_URL ({url}): Slack asked "
            "to wait (a rate limit); check this machine's internet connection, SLACK_API_URL "
            "and whether a proxy or firewall blocks the way; the client tries again on its "
            "own\n  detail: " + OPEN_429]),
])
def test_slack_out_of_reach_at_start_is_said_in_the_language_with_the_detail_under_it(
        sql_store: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        language: str, said: list[str]) -> None:
    """auth.test answered by an error page and apps.connections.open rate limited: the lines
    quoted slack_sdk's English ('The request to the Slack API failed. (url: …, status: 503)
    The server responded with: down') in the Portuguese line. Now what went wrong in the
    catalog's words and what to check, the library's reason on a detail line, as Telegram's
    and PostgreSQL's (bots.outofreach)."""
    async def scenario(w: SlackWorld) -> None:
        w.fake.fail("auth.test", status=503, body="down", content_type="text/html")
        w.fake.fail("apps.connections.open", status=429, headers={"Retry-After": "1"},
                    body={"ok": False, "error": "ratelimited"})
        host = host_for(w)
        await host.start()  # neither stops it: bolt asks again, the socket client tries again
        await host.stop()
        url = w.settings.slack_api_url
        lines = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
                 and r.name.startswith("bots.slack")]
        assert lines == [line.replace("{url}", url) for line in said]

    with caplog.at_level(logging.WARNING, logger="bots.slack"):
        run_in_world(sql_store, monkeypatch, scenario, slack_signing_secret=None,
                     slack_app_token="xapp-test", language=language)
