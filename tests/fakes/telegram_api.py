"""A fake Telegram Bot API on loopback: records calls, scripts failures, enforces flood limits.

Use it with the real python-telegram-bot: `Bot(token, base_url=f"{api.root}/bot")`.

    api = FakeTelegramAPI(token="123:abc", enforce_limits=True)
    await api.start()                 # or api.start_in_thread() for its own event loop
    ...
    api.sent_texts(chat_id)           # what reached a chat, in order
    api.block(chat_id)                # 403 "Forbidden: bot was blocked by the user"
    api.fail_next(429, retry_after=2) # script the next answers (optionally per chat)
    api.stall = True                  # accept requests and never answer them
    await api.stop()

Extend `handlers` (method name -> coroutine(params) -> result) for more Bot API methods.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Helpdesk", "username": "helpdesk_bot"}


@dataclass
class Call:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    chat_id: int | None = None


@dataclass
class Scripted:
    """A canned failure answer."""

    status: int
    description: str
    retry_after: float | None = None


@dataclass
class FakeTelegramAPI:
    """The fake server; `root` is its base URL once started."""

    token: str = "123456:TEST"
    enforce_limits: bool = False
    per_second: int = 30
    per_chat_second: int = 1
    per_group_minute: int = 20
    calls: list[Call] = field(default_factory=list)
    stall: bool = False
    root: str = ""

    def __post_init__(self) -> None:
        self.blocked: set[int] = set()
        self._script: dict[int | None, deque[Scripted]] = defaultdict(deque)
        self._accepted: deque[float] = deque()
        self._by_chat: dict[int, deque[float]] = defaultdict(deque)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self.port = 0
        self.updates: deque[dict[str, Any]] = deque()
        self.handlers: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "getUpdates": self._get_updates,
        }

    # -- scripting ---------------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """Answer 403 'bot was blocked by the user' for this chat from now on."""
        self.blocked.add(int(chat_id))

    def fail_next(self, status: int, description: str | None = None, *, retry_after: float | None
                  = None, chat_id: int | None = None, times: int = 1) -> None:
        """Answer the next `times` sendMessage calls (to chat_id, or any) with a failure."""
        text = description or {429: "Too Many Requests: retry after {}",
                               403: "Forbidden: bot was blocked by the user"}.get(
            status, "Internal Server Error")
        if retry_after is not None:
            text = text.format(int(retry_after))
        for _ in range(times):
            self._script[chat_id].append(Scripted(status, text, retry_after))

    # -- what happened -----------------------------------------------------------------------

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Accepted sendMessage calls, optionally for one chat, in arrival order."""
        with self._lock:
            return [c for c in self.calls if c.method == "sendMessage" and c.status == 200
                    and (chat_id is None or c.chat_id == int(chat_id))]

    def sent_texts(self, chat_id: int) -> list[str]:
        """The texts that reached a chat, in order."""
        return [str(c.params.get("text")) for c in self.sent(chat_id)]

    def count(self, status: int, method: str = "sendMessage") -> int:
        """How many calls of a method got this HTTP status."""
        with self._lock:
            return sum(1 for c in self.calls if c.method == method and c.status == status)

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on host:port (0 picks a free port, or reuse the last one on restart)."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port or self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]
        self.root = f"http://{host}:{self.port}"
        return self.root

    async def stop(self) -> None:
        """Close the listening socket and every connection."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def start_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Run the server on its own event loop in a thread (timing independent of the test)."""
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            loop.run_until_complete(self.start(host, port))
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-telegram", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Telegram API did not start")
        return self.root

    def stop_thread(self) -> None:
        """Stop a server started with start_in_thread."""
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = self._thread = None

    # -- the API -----------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        chat = _chat(params.get("chat_id"))
        call = Call(method=method, params=params, at=time.monotonic(), chat_id=chat)
        if self.stall and method != "getMe":
            with self._lock:
                call.status = 0
                self.calls.append(call)
            await asyncio.sleep(3600)
        answer = self._scripted(method, chat) or self._limited(method, chat, call.at)
        if answer is None and chat is not None and chat in self.blocked:
            answer = Scripted(403, "Forbidden: bot was blocked by the user")
        handler = self.handlers.get(method, _true)
        with self._lock:
            call.status = answer.status if answer else 200
            self.calls.append(call)
        if answer is not None:
            return self._error(answer.status, answer.description, answer.retry_after)
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    def _scripted(self, method: str, chat: int | None) -> Scripted | None:
        if method != "sendMessage":
            return None
        for key in (chat, None):
            if self._script.get(key):
                return self._script[key].popleft()
        return None

    def _limited(self, method: str, chat: int | None, now: float) -> Scripted | None:
        if not self.enforce_limits or method != "sendMessage" or chat is None:
            return None
        with self._lock:
            while self._accepted and now - self._accepted[0] >= 1.0:
                self._accepted.popleft()
            mine = self._by_chat[chat]
            window, cap = (60.0, self.per_group_minute) if chat < 0 else (1.0,
                                                                          self.per_chat_second)
            while mine and now - mine[0] >= window:
                mine.popleft()
            if len(self._accepted) >= self.per_second or len(mine) >= cap:
                return Scripted(429, "Too Many Requests: retry after 1", 1)
            self._accepted.append(now)
            mine.append(now)
        return None

    @staticmethod
    def _error(status: int, description: str, retry_after: float | None = None
               ) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    async def _get_me(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _send_message(self, params: dict[str, Any]) -> Any:
        chat = _chat(params.get("chat_id")) or 0
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat, "type": "group" if chat < 0 else "private"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }

    async def _get_updates(self, params: dict[str, Any]) -> Any:
        updates = list(self.updates)
        self.updates.clear()
        if not updates:
            with contextlib.suppress(ValueError, TypeError):
                await asyncio.sleep(min(float(params.get("timeout") or 0), 1.0))
        return updates


async def _true(params: dict[str, Any]) -> Any:
    return True


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post()
    out: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):
            continue
        try:
            out[key] = json.loads(value) if value[:1] in "{[" else value
        except ValueError:
            out[key] = value
    return out


def _chat(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
