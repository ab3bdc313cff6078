"""The Telegram transport: the proxy the environment names (unless NO_PROXY says no), bodies."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError

from bots.telegram.transport import AiohttpRequest

ME = {"id": 42, "is_bot": True, "first_name": "Helpdesk", "username": "helpdesk_bot"}


async def _serve(handler: Any) -> tuple[web.AppRunner, str]:
    """A loopback server sending every request to handler: its runner and root URL."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def _server(name: str, hits: list[str]) -> tuple[web.AppRunner, str]:
    """A loopback server answering any getMe; records who answered and the request target."""

    async def answer(request: web.Request) -> web.Response:
        hits.append(f"{name} {request.path}")
        return web.json_response({"ok": True, "result": ME})

    return await _serve(answer)


async def _get_me(no_proxy: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hits: list[str] = []
    api, api_url = await _server("api", hits)
    proxy, proxy_url = await _server("proxy", hits)
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.setenv("http_proxy", proxy_url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    monkeypatch.setenv("no_proxy", no_proxy)
    bot = Bot("1:T", base_url=f"{api_url}/bot", request=AiohttpRequest())
    try:
        me = await bot.get_me()
        assert me.username == "helpdesk_bot"
        await bot.get_me()
    finally:
        await bot.request.shutdown()
        await api.cleanup()
        await proxy.cleanup()
    return hits


def test_requests_go_through_the_environment_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    hits = asyncio.run(_get_me("", monkeypatch))
    assert hits == ["proxy /bot1:T/getMe"] * 2


def test_no_proxy_hosts_are_reached_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    hits = asyncio.run(_get_me("127.0.0.1,localhost", monkeypatch))
    assert hits == ["api /bot1:T/getMe"] * 2


def test_calls_go_as_json_and_files_as_multipart() -> None:
    """What the Bot API documents: a JSON body (buttons as an object), files as multipart."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    from bots.telegram.courier import Courier
    from bots.telegram.render import Outgoing

    seen: list[tuple[str, str, object]] = []

    async def answer(request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        if request.content_type == "application/json":
            body: object = await request.json()
        else:
            body = sorted((await request.post()).keys())
        seen.append((method, request.content_type, body))
        message = {"message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"}}
        return web.json_response({"ok": True, "result": ME if method == "getMe" else message})

    async def story() -> None:
        runner, root = await _serve(answer)
        bot = Bot("1:T", base_url=f"{root}/bot", request=AiohttpRequest())
        try:
            await Courier(bot).send(5, Outgoing(html="Qual <b>item</b>?",
                                                buttons=[[("Vendas", "3:item:v")]]))
            await bot.send_message(5, "ok", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Menu", callback_data="3:menu")]]))
            await bot.send_document(5, b"%PDF-1.4", filename="nota.pdf")
        finally:
            await bot.request.shutdown()
            await runner.cleanup()

    asyncio.run(story())
    courier, ptb, document = seen
    assert courier == ("sendMessage", "application/json", {
        "chat_id": 5, "text": "Qual <b>item</b>?", "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "Vendas", "callback_data": "3:item:v"}]]}})
    assert ptb[1] == "application/json"
    assert ptb[2]["reply_markup"] == {  # type: ignore[index]
        "inline_keyboard": [[{"text": "Menu", "callback_data": "3:menu"}]]}
    assert document[:2] == ("sendDocument", "multipart/form-data")
    assert document[2] == ["chat_id", "document"]


def test_calls_at_the_same_moment_each_carry_their_own_body() -> None:
    """Thirty answers posted at once (a burst of chats): each request holds its own chat's
    words, none another's; the JSON body travels beside PTB's request, not through it."""
    from bots.telegram.courier import Courier
    from bots.telegram.render import Outgoing

    seen: dict[int, str] = {}

    async def answer(request: web.Request) -> web.Response:
        body = await request.json()
        await asyncio.sleep(0.01)  # the answers come back in another order than the calls
        seen[body["chat_id"]] = body["text"]
        message = {"message_id": body["chat_id"], "date": 0,
                   "chat": {"id": body["chat_id"], "type": "private"}}
        return web.json_response({"ok": True, "result": message})

    async def story() -> list[int]:
        runner, root = await _serve(answer)
        bot = Bot("1:T", base_url=f"{root}/bot", request=AiohttpRequest())
        courier = Courier(bot)
        try:
            return list(await asyncio.gather(*(
                courier.send(chat, Outgoing(html=f"Olá, chat {chat}")) for chat in range(1, 31))))
        finally:
            await bot.request.shutdown()
            await runner.cleanup()

    assert asyncio.run(story()) == list(range(1, 31))
    assert seen == {chat: f"Olá, chat {chat}" for chat in range(1, 31)}


def test_a_request_after_shutdown_is_refused_and_opens_no_connection() -> None:
    """A step or a 'typing…' still running when the channel stopped (its drain timed out)
    gets an error, not a new session that nobody closes (a socket left open until the
    garbage collector finds it)."""
    async def story() -> None:
        hits: list[str] = []
        api, url = await _server("api", hits)
        request = AiohttpRequest()
        bot = Bot("1:T", base_url=f"{url}/bot", request=request)
        try:
            await bot.get_me()
            await request.shutdown()
            with pytest.raises(NetworkError, match="shut down"):
                await request.post(f"{url}/bot1:T/getMe")
            assert hits == ["api /bot1:T/getMe"]
            await request.initialize()  # opened again on purpose: usable again
            await request.post(f"{url}/bot1:T/getMe")
            assert len(hits) == 2
        finally:
            await request.shutdown()
            await api.cleanup()

    asyncio.run(story())
