"""The far side of the chat benchmarks, in its own process: fake Bot and Slack APIs, the people.

Telegram's servers and the people typing are not on the bot's machine; here they share it, so
they get a process of their own (another core, another interpreter lock) and the bot's process
does only the bot's work. The parent starts it with `Driver.start()`, points the bot at
`driver.root`, then asks for scenarios with `driver.run(...)`.

A customer follows a script: each step is an update (a typed text or a click on the newest
button with a label), delivered by getUpdates (polling) or POSTed to the bot (webhook). The
latency of a step is from the delivery to the first message the bot sends back to that chat;
the customer goes on once the bot's answer shows what the next step needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"\d{6}/\d{4}")
TOKEN = "123456:BENCH"
SLACK_TEAM = "T0001"
SECRET = "bench-webhook-secret"  # noqa: S105  (a test value)

# A whole intake as a linked customer does it (buttons by label, answers typed).
INTAKE: list[tuple[str, str]] = [
    ("say", "/novo"),
    ("click", "Suporte"),
    ("click", "Vendas"),
    ("click", "atual"),
    ("say", "Erro ao confirmar pedido de venda para cliente do PR"),
    ("say", "Vendas > Pedidos > Novo: o pedido 4431 não confirma na versão 2026.11 e o caixa "
            "fica parado; segue o passo a passo usado para reproduzir o erro."),
    ("click", "Concluir"),
    ("click", "Padrão"),
    ("click", "Registrar o Ticket"),
]


def fakes_importable() -> bool:
    """Whether tests/fakes (the fake Bot API) is next to this package."""
    return (ROOT / "tests" / "fakes" / "telegram_api.py").exists()


def telegram_missing() -> str | None:
    """Why a part driving the Telegram adapter cannot run here, if it cannot."""
    if not fakes_importable():
        return "the fake Bot API (tests/fakes) is not next to the bench package"
    try:
        import bots.telegram.channel  # noqa: F401
    except ImportError as exc:
        return f"the Telegram adapter is not importable ({exc})"
    return None


@dataclass
class Scenario:
    """What the customers do in one measured run."""

    mode: str  # "polling" or "webhook"
    chats: list[int]
    bare: bool = False  # the baseline bot: any click, any answer will do
    paced: bool = False  # one update at a time, system-wide
    gap: float = 0.02
    bot_url: str = ""
    timeout: float = 60.0
    steps: list[tuple[str, str]] = field(default_factory=lambda: list(INTAKE))
    until: str = "number"  # after the last step: "number" (a ticket number) or "any" answer


# -- the child process -----------------------------------------------------------------------

class Watcher:
    """Records the bot's messages per chat and wakes customers waiting for them."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.log: dict[int, list[tuple[float, dict[str, Any]]]] = defaultdict(list)
        self.events: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        # A click's answer may be its question edited in place (the next question in it).
        for method in ("sendMessage", "sendDocument", "editMessageText"):
            api.handlers[method] = self._wrap(api.handlers[method])

    def _wrap(self, handler: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
        async def recorded(params: dict[str, Any]) -> Any:
            result = await handler(params)
            chat = int(params.get("chat_id") or 0)
            self.log[chat].append((time.monotonic(), result))
            self.events[chat].set()
            return result
        return recorded

    async def wait(self, chat: int, since: int, ready: Callable[[list[dict[str, Any]]], bool],
                   timeout: float) -> float:
        """Wait until the messages after index `since` satisfy ready; the first one's time."""
        deadline = time.monotonic() + timeout
        while True:
            new = self.log[chat][since:]
            if new and ready([m for _, m in new]):
                return new[0][0]
            event = self.events[chat]
            event.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"chat {chat}: no suitable answer in {timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), left)

    def newest_button(self, chat: int, label: str | None) -> tuple[int, str]:
        """(message id, callback data) of the newest button with label (None: any message)."""
        for _, sent in reversed(self.log[chat]):
            message = self.api.messages.get((chat, sent["message_id"]), sent)
            if label is None:
                return message["message_id"], "bare"
            for row in (message.get("reply_markup") or {}).get("inline_keyboard") or []:
                for button in row:
                    if label.casefold() in button["text"].casefold():
                        return message["message_id"], button["callback_data"]
        raise LookupError(f"chat {chat}: no button {label!r}")


def _has_button(label: str) -> Callable[[list[dict[str, Any]]], bool]:
    def ready(messages: list[dict[str, Any]]) -> bool:
        return any(label.casefold() in b["text"].casefold() for m in messages
                   for row in (m.get("reply_markup") or {}).get("inline_keyboard") or []
                   for b in row)
    return ready


def _any(messages: list[dict[str, Any]]) -> bool:
    return bool(messages)


def _numbered(messages: list[dict[str, Any]]) -> bool:
    return any(NUMBER.search(str(m.get("text", ""))) for m in messages)


ANSWERS = frozenset({"sendMessage", "editMessageText", "sendDocument", "sendPhoto"})
"""The methods that put a bot's answer on the customer's screen (and end its 'typing…')."""
TYPING_UNSEEN = 1.0
"""A 'typing…' followed by the chat's answer within this many seconds is barely seen: the
answer replaces it at once (the clients show it up to 5 s, until the bot's next message)."""


def typing_seen(calls: list[Any]) -> dict[str, int]:
    """The bot's 'typing…' actions by what followed: the chat's answer within TYPING_UNSEEN
    seconds ("unseen"), later ("seen"), or none ("after": the answer had gone out already).
    An answer is matched to the typing action just before it, each answer once."""
    counts = {"unseen": 0, "seen": 0, "after": 0}
    waiting: dict[int, float] = {}
    for call in sorted(calls, key=lambda c: c.at):
        if call.chat_id is None or call.status != 200:
            continue
        if call.method == "sendChatAction":
            if call.chat_id in waiting:  # the previous one went on showing: seen
                counts["seen"] += 1
            waiting[call.chat_id] = call.at
        elif call.method in ANSWERS and call.chat_id in waiting:
            gap = call.at - waiting.pop(call.chat_id)
            counts["unseen" if gap < TYPING_UNSEEN else "seen"] += 1
    counts["after"] += len(waiting)
    return counts


class Customers:
    """Runs scenarios against the bot under test."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.watcher = Watcher(api)
        self.session: Any = None

    def _ready(self, scenario: Scenario, index: int) -> Callable[[list[dict[str, Any]]], bool]:
        if scenario.bare:
            return _any
        if index + 1 < len(scenario.steps):
            kind, arg = scenario.steps[index + 1]
            return _has_button(arg) if kind == "click" else _any
        return _numbered if scenario.until == "number" else _any

    def _update(self, scenario: Scenario, chat: int, kind: str, arg: str) -> dict[str, Any]:
        if kind == "say":
            return self.api.text_update(chat, arg)
        mid, data = self.watcher.newest_button(chat, None if scenario.bare else arg)
        return self.api.callback_update(chat, mid, data)

    async def _deliver(self, scenario: Scenario, update: dict[str, Any]) -> Any:
        if scenario.mode == "polling":
            self.api.push_update(update)
            return None
        return asyncio.create_task(self._post(scenario, update))

    async def _post(self, scenario: Scenario, update: dict[str, Any]) -> int:
        # As Telegram: a Bot API method in the webhook's answer is run (FakeTelegramAPI).
        return int(await self.api.post_update(self.session, scenario.bot_url, update, SECRET))

    async def _customer(self, scenario: Scenario, chat: int, latencies: list[float]) -> None:
        for index, (kind, arg) in enumerate(scenario.steps):
            since = len(self.watcher.log[chat])
            update = self._update(scenario, chat, kind, arg)
            sent = time.monotonic()
            posting = await self._deliver(scenario, update)
            first = await self.watcher.wait(chat, since, _any, scenario.timeout)
            latencies.append(first - sent)
            await self.watcher.wait(chat, since, self._ready(scenario, index), scenario.timeout)
            if posting is not None:
                status = await posting
                if status != 200:
                    raise RuntimeError(f"webhook answered {status}")
            if scenario.paced:
                await asyncio.sleep(scenario.gap)

    async def run(self, scenario: Scenario) -> dict[str, Any]:
        """Every chat through the steps: at once (burst) or one after another (paced)."""
        import aiohttp

        latencies: list[float] = []
        failures: list[str] = []
        first_call = len(self.api.calls)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as self.session:
            started = time.monotonic()

            async def one(chat: int) -> None:
                try:
                    await self._customer(scenario, chat, latencies)
                except Exception as exc:
                    failures.append(f"{type(exc).__name__}: {exc}")

            if scenario.paced:
                for chat in scenario.chats:
                    await one(chat)
            else:
                await asyncio.gather(*(one(chat) for chat in scenario.chats))
            elapsed = time.monotonic() - started
        # The bot's Bot API requests (not the methods riding in a webhook's answer), by method.
        requests: dict[str, int] = defaultdict(int)
        for call in self.api.calls[first_call:]:
            if call.via == "http":
                requests[call.method] += 1
        return {"latencies": latencies, "elapsed": elapsed, "failures": failures[:5],
                "failed": len(failures), "updates": len(latencies), "requests": requests,
                "typing": typing_seen(self.api.calls[first_call:])}


# -- Slack -----------------------------------------------------------------------------------

def sign(body: str, timestamp: str, secret: str) -> str:
    """Sign a request body as Slack does (v0, HMAC-SHA256)."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def take_click(user: str, ticket_id: int, response_url: str, n: int) -> str:
    """The form body of a click on a card's 'Assumir' button (block_actions)."""
    action = {"action_id": "tk.take", "block_id": "card.0", "type": "button",
              "value": str(ticket_id), "text": {"type": "plain_text", "text": "Assumir"},
              "action_ts": str(time.time())}
    payload = {
        "type": "block_actions", "user": {"id": user, "team_id": SLACK_TEAM},
        "team": {"id": SLACK_TEAM}, "api_app_id": "AHELP", "trigger_id": f"tr{n}",
        "channel": {"id": "CTRIAGE"}, "container": {"type": "message", "message_ts": "1.0"},
        "message": {"ts": "1.0", "text": "card", "type": "message"},
        "response_url": response_url, "actions": [action],
    }
    return urlencode({"payload": json.dumps(payload)})


class _Answers(asyncio.Protocol):
    """One kept-alive connection's HTTP/1.1 answers: the time each one is complete, its status."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.waiter: asyncio.Future[tuple[float, int]] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def send(self, request: bytes) -> asyncio.Future[tuple[float, int]]:
        """Write one request; the future gets (monotonic time of the full answer, status)."""
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        self.buffer += data
        head, sep, rest = self.buffer.partition(b"\r\n\r\n")
        if not sep:
            return
        match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        size = int(match.group(1)) if match else 0
        if len(rest) < size:
            return
        self.buffer = rest[size:]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((now, int(head[9:12])))

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((time.monotonic(), 0))


def _http_post(split: Any, body: str, headers: dict[str, str]) -> bytes:
    data = body.encode()
    lines = [f"POST {split.path or '/'} HTTP/1.1", f"Host: {split.netloc}",
             f"Content-Length: {len(data)}",
             "User-Agent: Slackbot 1.0 (+https://api.slack.com/robots)",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def slack_burst(url: str, secret: str, user: str, tickets: list[int],
                      response_url: str) -> dict[str, Any]:
    """POST one signed click per ticket, all at once; each request's time to its answer.

    Slack keeps its connections to an app alive, so one connection per click is opened (and
    used once, for Slack's ssl_check probe) before the clock; the clicks are signed and encoded
    beforehand too. Each click is timed from just before its bytes are written to the end of
    its answer: the driver's own work per click is a write and a header scan, so the figure is
    the server's.
    """
    split = urlsplit(url)
    form = "application/x-www-form-urlencoded"
    requests = []
    for n, ticket_id in enumerate(tickets):
        body = take_click(user, ticket_id, response_url, n)
        ts = str(int(time.time()))
        requests.append(_http_post(split, body, {
            "Content-Type": form, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(body, ts, secret)}))
    loop = asyncio.get_running_loop()
    host, port = split.hostname or "127.0.0.1", split.port or 80
    opened = await asyncio.gather(*(loop.create_connection(_Answers, host, port)
                                    for _ in tickets))
    connections = [protocol for _, protocol in opened]
    probe = _http_post(split, "ssl_check=1&token=bench", {"Content-Type": form})
    await asyncio.gather(*(c.send(probe) for c in connections))
    await asyncio.sleep(0.2)  # the server idle again, as between real clicks

    started = time.monotonic()
    sends = []
    for connection, request in zip(connections, requests, strict=True):
        sends.append((time.monotonic(), connection.send(request)))
    answers = [(start, await answer) for start, answer in sends]
    elapsed = time.monotonic() - started
    for connection in connections:
        if connection.transport is not None:
            connection.transport.close()
    statuses: dict[str, int] = defaultdict(int)
    for _, (_, status) in answers:
        statuses[str(status)] += 1
    latencies = [end - start for start, (end, _) in answers]
    return {"latencies": latencies, "statuses": dict(statuses), "elapsed": elapsed}


async def _child() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.fakes.slack_api import FakeSlackApi
    from tests.fakes.telegram_api import FakeTelegramAPI

    api = FakeTelegramAPI(token=TOKEN)
    await api.start()
    slack = FakeSlackApi()
    await slack.start()
    customers = Customers(api)
    _say({"root": api.root, "slack": slack.url, "respond": slack.response_url("bench")})
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            command = json.loads(line)
            if command["cmd"] == "stop":
                break
            if command["cmd"] == "run":
                _say(await customers.run(Scenario(**command["scenario"])))
            elif command["cmd"] == "slack":
                _say(await slack_burst(**command["args"]))
            elif command["cmd"] == "limits":
                api.enforce_limits = bool(command["on"])
                api.calls.clear()
                _say({"ok": True})
            elif command["cmd"] == "sent":
                _say({"at": [c.at for c in api.sent()], "429": api.count(429),
                      "chats": len({c.chat_id for c in api.sent()})})
    finally:
        await api.stop()
        await slack.stop()


def _say(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


# -- the parent's handle ---------------------------------------------------------------------

class Driver:
    """The driver process (`python -m bench.driver`, JSON lines on stdin/stdout)."""

    def __init__(self, process: subprocess.Popen[str], hello: dict[str, str]) -> None:
        self.process = process
        self.root = hello["root"]
        self.slack_url = hello["slack"]
        self.response_url = hello["respond"]
        self.token = TOKEN
        self.secret = SECRET

    @classmethod
    def start(cls) -> Driver:
        """Start the driver and wait until its fake Bot API listens."""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen([sys.executable, "-m", "bench.driver"], cwd=ROOT, env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            process.kill()
            raise RuntimeError("the benchmark's Telegram driver did not start")
        return cls(process, json.loads(line))

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark's Telegram driver stopped")
        return dict(json.loads(line))

    async def run(self, scenario: Scenario) -> dict[str, Any]:
        """Run a scenario without blocking the bot's event loop."""
        loop = asyncio.get_running_loop()
        command = {"cmd": "run", "scenario": dataclasses.asdict(scenario)}
        return await loop.run_in_executor(None, self._ask, command)

    async def slack(self, url: str, secret: str, user: str, tickets: list[int]
                    ) -> dict[str, Any]:
        """Fire one signed 'Assumir' click per ticket at once at url."""
        loop = asyncio.get_running_loop()
        command = {"cmd": "slack", "args": {"url": url, "secret": secret, "user": user,
                                            "tickets": tickets,
                                            "response_url": self.response_url}}
        return await loop.run_in_executor(None, self._ask, command)

    def limits(self, on: bool) -> None:
        """Make the fake Bot API enforce Telegram's flood limits (and forget earlier calls)."""
        self._ask({"cmd": "limits", "on": on})

    def sent(self) -> dict[str, Any]:
        """Accepted sendMessage times (driver clock), the number of 429s, distinct chats."""
        return self._ask({"cmd": "sent"})

    def stop(self) -> None:
        """End the driver process."""
        with contextlib.suppress(BrokenPipeError, OSError, ValueError):
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps({"cmd": "stop"}) + "\n")
            self.process.stdin.flush()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


if __name__ == "__main__":
    asyncio.run(_child())
