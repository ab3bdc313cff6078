"""`helpdesk run` with Telegram settings that cannot work: one line naming the variable."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegramAPI
from telegram_harness import TelegramWorld

from bots.app import serve


def start_once(world: TelegramWorld) -> str:
    """Run `helpdesk run` as `world` configures it; the line it stopped with."""

    async def story() -> None:
        await world.api.start()
        container = None
        try:
            from bots.bootstrap import bootstrap

            container = bootstrap(world.settings())
            stop = asyncio.Event()
            stop.set()  # a start that works stops at once
            await serve(container, stop=stop)
        finally:
            if container is not None:
                container.close()
            await world.api.stop()

    with pytest.raises(SystemExit) as stopped:
        asyncio.run(story())
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


def test_a_bot_api_that_cannot_be_reached_names_telegram_api_url(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """No connection to the Bot API at start (a firewall, a wrong local server) was a traceback."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, api=FakeTelegramAPI(token="123:right"),
                          extra={"telegram_api_url": "http://127.0.0.1:9"})
    line = start_once(world)
    assert line.startswith("erro: ")
    assert "TELEGRAM_API_URL" in line
    assert "http://127.0.0.1:9" in line
    assert "123:right" not in line
