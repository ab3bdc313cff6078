"""`helpdesk run` with Telegram settings that cannot work stops with one line naming the
variable; a Bot API out of reach is waited for, one line per try."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegramAPI
from telegram_harness import CARLA, FAST, TelegramWorld, link, seed, start_and_stop, until

from bots.app import serve
from bots.bootstrap import bootstrap
from core.i18n import t

RETRY_FAST = replace(FAST, connect_retry_first=0.05, connect_retry_max=0.2)


def start_once(world: TelegramWorld) -> str:
    """Run `helpdesk run` as `world` configures it; the line it stopped with."""
    with pytest.raises(SystemExit) as stopped:
        start_and_stop(world)
    return str(stopped.value.code)


def test_a_token_the_bot_api_refuses_names_the_variable_and_hides_the_token(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """A wrong TELEGRAM_BOT_TOKEN was a traceback ending in 'The token `…` was rejected'."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, api=FakeTelegramAPI(token="123:right"),
                          extra={"telegram_bot_token": "999:WRONGTOKEN"})
    line = start_once(world)
    assert line.startswith("erro: ")
    assert "TELEGRAM_BOT_TOKEN" in line
    assert "@BotFather" in line
    assert "WRONGTOKEN" not in line


def free_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def carla_gets_the_menu(world: TelegramWorld, lang: str | None = None) -> None:
    """A linked customer's first words get the menu: the bot serves once its start is over."""
    ids = seed(world.desk)
    world.desk.call(link, ids["carla"], CARLA)
    await world.chat(CARLA).say("oi")
    assert world.chat(CARLA).last_text().endswith(t("conv.menu.prompt", lang))


def retry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("bots.telegram") and "TELEGRAM_API_URL" in r.getMessage()]


def late_world(db_url: str, tmp_path: Path) -> tuple[TelegramWorld, int]:
    """A world whose fake Bot API is not listening yet, on the port its settings name."""
    port = free_port()
    api = FakeTelegramAPI(token="123:right")
    api.root, api.port = f"http://127.0.0.1:{port}", port
    return TelegramWorld(db_url, tmp_path, api=api, options=RETRY_FAST), port


def test_a_bot_api_out_of_reach_at_start_is_tried_again_until_it_answers(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """A Bot API out of reach at start (the network not up yet after a reboot, Telegram down)
    ended the process with one line, and customers went unanswered until a service manager
    started it again: the start waits, trying again with a growing pause and one line per try,
    and the customer is answered once the Bot API answers."""
    world, port = late_world(new_db_url("sqlite"), tmp_path)

    async def story() -> None:
        starting = asyncio.create_task(world.__aenter__())
        await until(lambda: len(retry_lines(caplog)) >= 3, what="three tries")
        assert not starting.done()
        await world.api.start(port=port)
        await asyncio.wait_for(starting, 20)
        try:
            await carla_gets_the_menu(world)
        finally:
            await world.__aexit__(None, None, None)
            await world.api.stop()

    with caplog.at_level(logging.WARNING, logger="bots.telegram"):
        asyncio.run(story())
    lines = retry_lines(caplog)
    assert all("123:right" not in line for line in lines)
    # What, where and what to check in Portuguese; the library's English under it, as a detail.
    said, detail = lines[0].split("\n")
    assert said == (f"Bot API do Telegram fora de alcance em TELEGRAM_API_URL "
                    f"(http://127.0.0.1:{port}): a conexão foi recusada (nada atende nesse "
                    "endereço e porta); confira a conexão desta máquina com a internet, o "
                    "TELEGRAM_API_URL e se um proxy ou firewall bloqueia o acesso; tentativa 1, "
                    "a próxima em 0,05 s")
    assert detail.startswith("  detalhe: "), detail
    assert "Connect call failed" in detail, detail
    assert "tentativa 2, a próxima em 0,1 s" in lines[1]
    assert all(line.split("\n")[0].endswith("a próxima em 0,2 s") for line in lines[3:])


def test_a_stop_while_the_bot_api_is_out_of_reach_ends_the_start_cleanly(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """SIGTERM (a deploy, a service manager giving up) while the start waits ends the process
    at once, with exit status 0 and the database closed."""
    world, _ = late_world(new_db_url("sqlite"), tmp_path)

    async def story() -> None:
        stop = asyncio.Event()
        container = bootstrap(world.settings())
        serving = asyncio.create_task(serve(container, stop=stop))
        try:
            await until(lambda: retry_lines(caplog), what="a first try")
            stop.set()
            await asyncio.wait_for(serving, 20)
        finally:
            container.close()

    with caplog.at_level(logging.INFO):
        asyncio.run(story())
    assert "parando" in caplog.messages


def test_a_token_refused_once_the_bot_api_answers_still_stops_at_once(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """Out of reach is waited out; a refused token is not (no try would ever work)."""
    world, port = late_world(new_db_url("sqlite"), tmp_path)
    world.extra = {"telegram_bot_token": "999:WRONGTOKEN"}

    async def open_late() -> None:
        await asyncio.sleep(0.2)
        await world.api.start(port=port)

    async def story() -> None:
        container = bootstrap(world.settings())
        opening = asyncio.create_task(open_late())
        try:
            await serve(container)
        finally:
            await opening
            container.close()
            await world.api.stop()

    with pytest.raises(SystemExit) as stopped:
        asyncio.run(story())
    assert "TELEGRAM_BOT_TOKEN" in str(stopped.value.code)
    assert "WRONGTOKEN" not in str(stopped.value.code)


def test_the_lines_of_the_start_follow_the_language(new_db_url: Callable[[str], str],
                                                     tmp_path: Path) -> None:
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, api=FakeTelegramAPI(token="123:right"),
                          extra={"telegram_bot_token": "999:WRONGTOKEN", "language": "en"})
    assert start_once(world).startswith("error: Telegram refused TELEGRAM_BOT_TOKEN")


def test_a_bot_api_answering_502_at_start_is_tried_again_until_it_answers(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """Connections refused, then a gateway answering 502 (Telegram's proxy up before the Bot
    API): both are waited out, one English line per try with LANGUAGE=en, and the customer is
    answered once getMe answers."""
    world, port = late_world(new_db_url("sqlite"), tmp_path)
    world.extra = {"language": "en"}
    world.api.fail_next(502, times=3, method="getMe")

    async def story() -> None:
        starting = asyncio.create_task(world.__aenter__())
        await until(lambda: len(retry_lines(caplog)) >= 2, what="two refused tries")
        await world.api.start(port=port)
        await asyncio.wait_for(starting, 20)
        try:
            await carla_gets_the_menu(world, "en")
        finally:
            await world.__aexit__(None, None, None)
            await world.api.stop()

    with caplog.at_level(logging.WARNING, logger="bots.telegram"):
        asyncio.run(story())
    lines = retry_lines(caplog)
    bad_gateway = [line for line in lines if "Bad Gateway" in line]
    assert len(bad_gateway) == 3
    assert all(line.startswith(f"Telegram Bot API out of reach at TELEGRAM_API_URL "
                               f"(http://127.0.0.1:{port}): ") for line in lines)
    assert [c.method for c in world.api.calls if c.method == "getMe"][-4:] == ["getMe"] * 4


@pytest.mark.parametrize("webhook", [False, True])
def test_a_bot_api_failing_right_after_getme_is_tried_again_too(
        new_db_url: Callable[[str], str], tmp_path: Path, caplog: pytest.LogCaptureFixture,
        webhook: bool) -> None:
    """getMe answered, then deleteWebhook (polling) or setWebhook (webhook) got 502 Bad Gateway
    — Telegram flapping at the start: the process ended with a traceback, for a service manager
    to restart. That call is now tried again as getMe is, and the customer is answered."""
    method = "setWebhook" if webhook else "deleteWebhook"
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, webhook=webhook, options=RETRY_FAST)
    world.api.fail_next(502, times=2, method=method)

    async def story() -> None:
        async with world:
            await carla_gets_the_menu(world)

    with caplog.at_level(logging.WARNING, logger="bots.telegram"):
        asyncio.run(story())
    lines = retry_lines(caplog)
    assert len(lines) == 2
    assert all("Bad Gateway" in line for line in lines)
    assert [c.status for c in world.api.calls if c.method == method] == [502, 502, 200]


def test_a_webhook_url_telegram_refuses_stops_the_start_naming_it(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """setWebhook answered 400 'bad webhook' (a host Telegram cannot resolve): PTB calls that a
    NetworkError, so the start tried it again forever as 'out of reach'; no try would work."""
    lines = {}
    for lang in ("pt_BR", "en"):
        world = TelegramWorld(new_db_url("sqlite"), tmp_path / lang, webhook=True,
                              extra={"language": lang})
        world.api.fail_next(400, "Bad Request: bad webhook: Failed to resolve host: Name or "
                                 "service not known", method="setWebhook")
        lines[lang] = start_once(world)
    url = "https://helpdesk.example.com/telegram/a"
    assert lines["pt_BR"] == (
        f"erro: o Telegram recusou o TELEGRAM_WEBHOOK_URL ({url}): Bad webhook: failed to "
        "resolve host: name or service not known; confira se é um endereço https público que o "
        "Telegram alcance")
    assert lines["en"].startswith(f"error: Telegram refused TELEGRAM_WEBHOOK_URL ({url}): ")


def test_a_world_whose_start_fails_leaves_no_server_behind(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """The harness itself: a refused token stops the start inside `async with`, and the fake
    Bot API it started is closed then (a later test's garbage collection warned about it)."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, api=FakeTelegramAPI(token="123:right"),
                          extra={"telegram_bot_token": "999:WRONGTOKEN"})

    async def story() -> None:
        async with world:
            pass

    with pytest.raises(SystemExit):
        asyncio.run(story())
    host, port = world.api.root.split("//")[1].split("/")[0].split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=5).close()
