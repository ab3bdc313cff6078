"""`helpdesk run` when getMe at TELEGRAM_API_URL gets an answer that is not the Bot API's: one
line in LANGUAGE naming the setting to check, or a wait where a later try may work."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegramAPI
from telegram_harness import TelegramWorld
from test_telegram_start import RETRY_FAST, carla_gets_the_menu, free_port, retry_lines, start_once

PORTAL = ("<html><head><title>Wi-Fi do Hotel</title></head>\n<body>Entre com o número do seu "
          "quarto para navegar. Token 123:right</body></html>")


@pytest.mark.parametrize("body", [PORTAL, '{"status": "ok"}'])
def test_a_200_that_is_not_the_bot_api_stops_naming_telegram_api_url(
        new_db_url: Callable[[str], str], tmp_path: Path, body: str) -> None:
    """A captive portal, a proxy's notice or another web server at TELEGRAM_API_URL answered
    getMe 200 with its own page (or JSON): the start ended with a traceback (PTB's 'Invalid
    server response', or KeyError 'result'). It answered, so it is up and will answer the same:
    the start stops with one line naming TELEGRAM_API_URL and quoting what came back."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path)
    world.api.page_next(200, body)
    line = start_once(world)
    quoted = ("'<html><head><title>Wi-Fi do Hotel</title></head> <body>Entre com o número do "
              "seu…'" if body == PORTAL else repr(body))
    assert line == (
        f"erro: o que responde em TELEGRAM_API_URL ({world.api.root}) não é a Bot API do "
        f"Telegram: getMe recebeu 200 OK: {quoted}; confira o TELEGRAM_API_URL (a raiz da Bot "
        "API, como https://api.telegram.org, sem /bot nem o token) e se um proxy ou portal "
        "cativo no caminho responde no lugar dela")


def test_a_page_quoting_the_token_does_not_show_it(new_db_url: Callable[[str], str],
                                                    tmp_path: Path) -> None:
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, api=FakeTelegramAPI(token="123:right"),
                          extra={"language": "en"})
    world.api.page_next(200, "Not here: /bot123:right/getMe")
    line = start_once(world)
    assert line.startswith("error: what answers at TELEGRAM_API_URL (")
    assert "getMe got 200 OK: 'Not here: /bot…/getMe'; check TELEGRAM_API_URL" in line


@pytest.mark.parametrize("language", ["pt_BR", "en"])
def test_a_403_to_getme_names_telegram_api_url_not_the_token(
        new_db_url: Callable[[str], str], tmp_path: Path, language: str) -> None:
    """getMe answered 403 (a proxy or firewall on the way: Telegram refuses a token with 401 or
    404): PTB's Forbidden ended the start with a traceback."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, extra={"language": language})
    world.api.page_next(403, "<html><h1>Access denied</h1></html>")
    line = start_once(world)
    root = world.api.root
    assert "TELEGRAM_BOT_TOKEN" not in line
    assert line == {
        "pt_BR": f"erro: TELEGRAM_API_URL ({root}) recusou getMe: 403 Forbidden: "
                 "'<html><h1>Access denied</h1></html>'; não é assim que o Telegram recusa um "
                 "token — confira o TELEGRAM_API_URL e se um proxy ou firewall no caminho "
                 "bloqueia o acesso",
        "en": f"error: TELEGRAM_API_URL ({root}) refused getMe: 403 Forbidden: "
              "'<html><h1>Access denied</h1></html>'; that is not how Telegram refuses a token "
              "— check TELEGRAM_API_URL and whether a proxy or firewall on the way blocks it",
    }[language]


def test_a_403_in_the_bot_apis_json_quotes_its_description(new_db_url: Callable[[str], str],
                                                           tmp_path: Path) -> None:
    world = TelegramWorld(new_db_url("sqlite"), tmp_path)
    world.api.fail_next(403, "Forbidden: not allowed here", method="getMe")
    assert "recusou getMe: 403 Forbidden: Forbidden: not allowed here; " in start_once(world)


def test_a_telegram_api_url_answering_404_is_not_called_a_refused_token(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """TELEGRAM_API_URL with /bot at its end (so …/bot/bot<token>/getMe) answered 404: PTB calls
    that a refused token, and the line sent the operator to @BotFather for a good token."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path)
    world.api.port = free_port()
    url = f"http://127.0.0.1:{world.api.port}/bot"
    world.extra = {"telegram_api_url": url}
    line = start_once(world)
    assert "TELEGRAM_BOT_TOKEN" not in line
    assert line.startswith(f"erro: o que responde em TELEGRAM_API_URL ({url}) não é a Bot API "
                           "do Telegram: getMe recebeu 404 Not Found; confira o TELEGRAM_API_URL")


def test_a_token_not_shaped_like_one_is_still_named_as_the_token(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    """Telegram answers 404, not 401, to a token not shaped like one (the URL's 'bot' pasted in
    front): that 404 still names TELEGRAM_BOT_TOKEN (it did before; a guard for the rule
    above)."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, api=FakeTelegramAPI(token="123:right"),
                          extra={"telegram_bot_token": "bot123:right"})
    line = start_once(world)
    assert line.startswith("erro: o Telegram recusou o TELEGRAM_BOT_TOKEN")
    assert "123:right" not in line


def test_a_gateways_error_page_at_start_is_waited_out_in_a_short_line(
        new_db_url: Callable[[str], str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """A proxy's 503 page in front of the Bot API (it restarting) was tried again, but each
    try's line quoted the whole page (PTB's 'Parsing the server response b'<html>…' failed') and
    PTB logged a traceback per try ('Can not load invalid JSON data'). The line quotes its
    start now, and no traceback."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path, options=RETRY_FAST)
    page = "<html><title>503 Service Unavailable</title><body>" + "x" * 3000 + "</body></html>"
    world.api.page_next(503, page, times=2)

    async def story() -> None:
        async with world:
            await carla_gets_the_menu(world)

    with caplog.at_level(logging.WARNING):
        asyncio.run(story())
    lines = retry_lines(caplog)
    assert len(lines) == 2
    assert all(": 503 Service Unavailable: '<html><title>503 Service Unavailable</title><body>xx"
               in line and "x" * 100 not in line for line in lines)
    assert not [r for r in caplog.records if r.exc_info]
