"""A fake Telegram Bot API on loopback: records calls, scripts failures, enforces flood limits.

Use it with the real python-telegram-bot: `Bot(token, base_url=f"{api.root}/bot")`.

    api = FakeTelegramAPI(token="123:abc", enforce_limits=True)
    await api.start()                 # or api.start_in_thread() for its own event loop
    ...
    api.sent_texts(chat_id)           # what reached a chat, in order
    api.block(chat_id)                # 403 "Forbidden: bot was blocked by the user"
    api.fail_next(429, retry_after=2) # script the next answers (optionally per chat)
    api.stall = True                  # accept sendMessage calls and never answer them
    api.slow_next(2.0)                # deliver the next message, answer 2 s late (under load)
    await api.stop()

The inbound side, for a real `Application` (polling or webhook):

    api.push_update(api.text_update(chat, "/start ABC123"))   # getUpdates hands it out
    api.push_update(update, times=2)                           # delivered twice (same id)
    file_id = api.add_file(b"...", name="nota.xml")             # getFile + GET /file/bot…/path
    api.add_file(None, size=25 * 1024 * 1024)                   # over the 20 MB getFile limit
    api.fail_next(502, times=5, method="sendMessage")          # any method can be scripted
    api.page_next(200, "<html>…")                               # a page, not JSON (a proxy…)
    api.keyboard(chat, message_id)                              # the buttons a message shows now
    api.calls_of("editMessageText", chat)                      # messages edited in place
    await api.post_update(session, bot_url, update, secret)    # webhook delivery (see there)

Extend `handlers` (method name -> coroutine(params) -> result) for more Bot API methods.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import html
import itertools
import json
import re
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header name)
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Helpdesk", "username": "helpdesk_bot"}
MAX_TEXT = 4096
"""A message's limit, in UTF-16 code units of its text after entity parsing."""
TOKEN_SHAPE = re.compile(r"\d+:[\w-]+", re.ASCII)
GET_FILE_LIMIT = 20 * 1024 * 1024
"""The cloud Bot API's getFile limit: bigger files cannot be downloaded by bots."""


@dataclass
class Call:
    """One request the fake received."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    chat_id: int | None = None
    via: str = "http"
    """"http": a request of its own; "webhook": the bot's answer to a webhook delivery."""


@dataclass
class Scripted:
    """A canned failure answer."""

    status: int
    description: str
    retry_after: float | None = None
    page: str | None = None
    """An HTML page answered instead of the Bot API's JSON (a proxy's, a captive portal's)."""


@dataclass
class StoredFile:
    """A file a user sent: its bytes (None when only its size matters) and metadata."""

    file_id: str
    unique_id: str
    content: bytes | None
    size: int
    path: str


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
    stall_method: str = "sendMessage"
    """While stall is set, calls of this method never get an answer."""
    root: str = ""
    upload_rate: float | None = None
    """Bytes per second a file's upload comes in at (a slow link); None: at once."""

    def __post_init__(self) -> None:
        self.blocked: set[int] = set()
        self.uploads_cut = 0
        """Uploads whose request ended before its body did (Telegram discards them)."""
        self.uploading = 0
        """Uploads whose body is coming in now."""
        self.late_answers = 0
        """Answers slow_next held back, written (whether the client still waited or not)."""
        self._script: dict[tuple[str, int | None], deque[Scripted]] = defaultdict(deque)
        self._slow: dict[str, deque[float]] = defaultdict(deque)
        self._accepted: deque[float] = deque()
        self._by_chat: dict[int, deque[float]] = defaultdict(deque)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._loop_ref: asyncio.AbstractEventLoop | None = None
        self.port = 0
        self.updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._new_updates: asyncio.Event | None = None
        self.files: dict[str, StoredFile] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        # Messages whose text was sent as HTML: a click's update shows them as Telegram does,
        # their words without the markup (callback_update).
        self._parsed: set[tuple[int, int]] = set()
        self.webhook: dict[str, Any] | None = None
        self.commands: list[dict[str, Any]] = []  # the default menu
        self.menus: dict[str, list[dict[str, Any]]] = {}  # by language_code ("" = default)
        # BotCommandScopeChat menus, by (chat_id, language_code); see menu_for().
        self.chat_menus: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}  # (kind, language_code) -> text
        self.handlers: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._webhook_info,
            "getFile": self._get_file,
            "editMessageReplyMarkup": self._edit_markup,
            "editMessageText": self._edit_text,
            "setMyCommands": self._set_commands,
            "deleteMyCommands": self._delete_commands,
            "getMyDescription": self._get_description("description"),
            "setMyDescription": self._set_description("description"),
            "getMyShortDescription": self._get_description("short_description"),
            "setMyShortDescription": self._set_description("short_description"),
        }

    # -- scripting ---------------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """Answer 403 'bot was blocked by the user' for this chat from now on."""
        self.blocked.add(int(chat_id))

    def fail_next(self, status: int, description: str | None = None, *, retry_after: float | None
                  = None, chat_id: int | None = None, times: int = 1,
                  method: str = "sendMessage") -> None:
        """Answer the next `times` calls of a method (to chat_id, or any) with a failure."""
        text = description or {429: "Too Many Requests: retry after {}",
                               403: "Forbidden: bot was blocked by the user",
                               502: "Bad Gateway"}.get(status, "Internal Server Error")
        if retry_after is not None:
            text = text.format(int(retry_after))
        for _ in range(times):
            self._script[(method, chat_id)].append(Scripted(status, text, retry_after))

    def slow_next(self, seconds: float, *, method: str = "sendMessage", times: int = 1) -> None:
        """Run the next `times` calls of a method at once (a message is delivered) and answer
        each `seconds` later: Telegram under load, answering after the client gave up."""
        self._slow[method].extend([seconds] * times)

    def page_next(self, status: int, page: str, *, method: str = "getMe", times: int = 1) -> None:
        """Answer the next `times` calls of a method with an HTML page, not the Bot API's JSON
        (what a proxy, a captive portal or another web server in its place sends)."""
        for _ in range(times):
            self._script[(method, None)].append(Scripted(status, "", page=page))

    # -- the inbound side --------------------------------------------------------------------

    def push_update(self, update: dict[str, Any], times: int = 1) -> None:
        """Queue an update for getUpdates (times > 1: Telegram delivers it again, same id)."""
        with self._lock:
            for _ in range(times):
                self.updates.append(update)
        loop, event = self._loop_ref, self._new_updates
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    def next_update_id(self) -> int:
        """A fresh update id."""
        return next(self._update_ids)

    def next_message_id(self) -> int:
        """A fresh message id (users' and the bot's messages share one sequence)."""
        return next(self._ids)

    @staticmethod
    def user(user_id: int, first_name: str = "Carla") -> dict[str, Any]:
        """A Telegram user (private chat id = user id)."""
        return {"id": user_id, "is_bot": False, "first_name": first_name,
                "language_code": "pt-br"}

    def message(self, chat_id: int, *, text: str | None = None, caption: str | None = None,
                reply_to: int | None = None, media_group_id: str | None = None,
                **content: Any) -> dict[str, Any]:
        """A message from the user of a private chat; content: photo=[...], document={...}."""
        msg: dict[str, Any] = {
            "message_id": self.next_message_id(), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self.user(abs(chat_id)),
        }
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                length = len(text.split()[0])
                msg["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if caption is not None:
            msg["caption"] = caption
        if media_group_id is not None:
            msg["media_group_id"] = media_group_id
        if reply_to is not None:
            replied = self.messages.get((chat_id, reply_to)) or {
                "message_id": reply_to, "date": int(time.time()),
                "chat": msg["chat"], "from": BOT_USER, "text": "…"}
            msg["reply_to_message"] = replied
        msg.update(content)
        return msg

    def text_update(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """An update carrying a text message."""
        return {"update_id": self.next_update_id(),
                "message": self.message(chat_id, text=text, **kwargs)}

    def message_update(self, chat_id: int, **kwargs: Any) -> dict[str, Any]:
        """An update carrying any message (see message())."""
        return {"update_id": self.next_update_id(), "message": self.message(chat_id, **kwargs)}

    def callback_update(self, chat_id: int, message_id: int, data: str,
                        from_id: int | None = None) -> dict[str, Any]:
        """A button click on a bot message."""
        message = self.messages.get((chat_id, message_id)) or {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, "text": "…"}
        if (chat_id, message_id) in self._parsed and "text" in message:
            message = {**message, "text": html.unescape(re.sub(r"<[^>]+>", "", message["text"]))}
        return {"update_id": self.next_update_id(), "callback_query": {
            "id": f"cq{self.next_update_id()}", "from": self.user(from_id or chat_id),
            "chat_instance": f"ci{chat_id}", "message": message, "data": data}}

    def add_file(self, content: bytes | None, *, size: int | None = None) -> tuple[str, str]:
        """Make a file downloadable; returns (file_id, file_unique_id)."""
        n = len(self.files) + 1
        stored = StoredFile(file_id=f"file{n}", unique_id=f"u{n}", content=content,
                            size=size if size is not None else len(content or b""),
                            path=f"documents/file_{n}")
        self.files[stored.file_id] = stored
        return stored.file_id, stored.unique_id

    def keyboard(self, chat_id: int, message_id: int) -> list[list[dict[str, Any]]]:
        """The inline buttons a bot message shows now ([] once removed)."""
        message = self.messages.get((int(chat_id), int(message_id))) or {}
        return list((message.get("reply_markup") or {}).get("inline_keyboard") or [])

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        """Answered calls of one method, optionally for one chat."""
        with self._lock:
            return [c for c in self.calls if c.method == method and c.status == 200
                    and (chat_id is None or c.chat_id == int(chat_id))]

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
        app = web.Application(client_max_size=60 * 2**20)  # a document: up to 50 MB
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._loop_ref = asyncio.get_running_loop()
        self._new_updates = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        if self.upload_rate is None:
            site: web.BaseSite = web.TCPSite(self._runner, host, port or self.port)
        else:
            # A slow link: the kernel's buffers kept small, so a client's upload waits for it.
            listening = socket.socket()
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
            listening.bind((host, port or self.port))
            site = web.SockSite(self._runner, listening)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]
        self.root = f"http://{host}:{self.port}"
        return self.root

    async def stop(self) -> None:
        """Close the listening socket and every connection."""
        if self._new_updates is not None:
            self._new_updates.set()  # release long polls in flight
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
        token = request.match_info["token"]
        if token != self.token:
            # As Telegram: 404 to what is not shaped like a token (a 'bot' prefix pasted in),
            # 401 to a token of the right shape it does not know.
            if not TOKEN_SHAPE.fullmatch(token):
                return self._error(404, "Not Found")
            return self._error(401, "Unauthorized")
        if self.upload_rate is not None and request.content_type.startswith("multipart/"):
            params = await self._slow_form(request, self.upload_rate)
            if params is None:
                return self._error(400, "Bad Request: the request ended before its body")
        else:
            params = await _params(request)
        status, body = await self.call(request.match_info["method"], params)
        if isinstance(body, str):
            return web.Response(status=status, text=body, content_type="text/html")
        return web.json_response(body, status=status)

    async def call(self, method: str, params: dict[str, Any], via: str = "http"
                   ) -> tuple[int, dict[str, Any] | str]:
        """Run one Bot API method as the server does: (HTTP status, JSON answer or a page)."""
        chat = _chat(params.get("chat_id"))
        call = Call(method=method, params=params, at=time.monotonic(), chat_id=chat, via=via)
        if self.stall and method == self.stall_method:
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
        if answer is not None and answer.page is not None:
            return answer.status, answer.page
        if answer is not None:
            return answer.status, _failure(answer.status, answer.description, answer.retry_after)
        try:
            result = await handler(params)
        except _ApiError as exc:
            with self._lock:
                call.status = exc.status
            return exc.status, _failure(exc.status, exc.description)
        if self._slow.get(method):
            await asyncio.sleep(self._slow[method].popleft())
            self.late_answers += 1
        return 200, {"ok": True, "result": result}

    async def post_update(self, session: Any, url: str, update: dict[str, Any],
                          secret: str | None = None) -> int:
        """Deliver an update to a bot's webhook as Telegram does; the HTTP status back.

        A bot may answer the delivery with one Bot API method in the 200 answer's JSON body
        ({"method": "answerCallbackQuery", ...}, "Making requests when getting updates"):
        Telegram runs it as a call of the bot's, and tells the bot nothing of its result.
        """
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with session.post(url, json=update, headers=headers) as response:
            status, body = response.status, await response.read()
        if status != 200 or not body:
            return status
        try:
            reply = json.loads(body)
        except ValueError:
            return status
        if isinstance(reply, dict) and isinstance(reply.get("method"), str):
            params = {k: v for k, v in reply.items() if k != "method"}
            await self.call(reply["method"], params, via="webhook")
        return status

    def _scripted(self, method: str, chat: int | None) -> Scripted | None:
        for key in ((method, chat), (method, None)):
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
    def _error(status: int, description: str) -> web.Response:
        return web.json_response(_failure(status, description), status=status)

    async def _slow_form(self, request: web.Request, rate: float) -> dict[str, Any] | None:
        """A multipart body read at `rate` bytes per second; None when it ends short (the
        client cut it): Telegram never sees such a request."""
        chunks: list[bytes] = []
        self.uploading += 1
        try:
            with contextlib.suppress(ConnectionError, OSError):
                while chunk := await request.content.read(16384):
                    chunks.append(chunk)
                    await asyncio.sleep(len(chunk) / rate)
        finally:
            self.uploading -= 1
        body = b"".join(chunks)
        if request.content_length is not None and len(body) < request.content_length:
            self.uploads_cut += 1
            return None
        head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
        form = BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        out: dict[str, Any] = {}
        for part in form.iter_parts():
            name = part.get_param("name", header="content-disposition")
            content = part.get_payload(decode=True)
            assert isinstance(content, bytes), content  # a form's part is bytes, never nested
            filename = part.get_filename()
            if filename is not None:
                out[str(name)] = {"filename": filename, "size": len(content),
                                  "content_type": part.get_content_type(), "content": content}
                continue
            value = content.decode()
            try:
                out[str(name)] = json.loads(value) if value[:1] in "{[" else value
            except ValueError:
                out[str(name)] = value
        return out

    async def _get_me(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    def _bot_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = _chat(params.get("chat_id")) or 0
        message = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat, "type": "group" if chat < 0 else "private"},
            "from": BOT_USER,
            **content,
        }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        with self._lock:
            self.messages[(chat, message["message_id"])] = message
        return message

    async def _send_message(self, params: dict[str, Any]) -> Any:
        text = _checked_text(params)
        message = self._bot_message(params, text=text)
        if params.get("parse_mode") == "HTML":
            self._parsed.add((message["chat"]["id"], message["message_id"]))
        return message

    async def _edit_text(self, params: dict[str, Any]) -> Any:
        """editMessageText: the message's new text and buttons (none when not given), the
        message as it is now; refused as Telegram does when it is gone or would not change."""
        text = _checked_text(params)
        key = (_chat(params.get("chat_id")) or 0, int(params.get("message_id") or 0))
        markup = params.get("reply_markup")
        buttons = markup if isinstance(markup, dict) and markup.get("inline_keyboard") else None
        with self._lock:
            message = self.messages.get(key)
            if message is None:
                raise _ApiError(400, "Bad Request: message to edit not found")
            if "text" not in message:
                raise _ApiError(400, "Bad Request: there is no text in the message to edit")
            if message["text"] == text and message.get("reply_markup") == buttons:
                raise _ApiError(400, "Bad Request: message is not modified: specified new "
                                     "message content and reply markup are exactly the same "
                                     "as a current content and reply markup of the message")
            message["text"] = text
            message["edit_date"] = int(time.time())
            if buttons is None:
                message.pop("reply_markup", None)
            else:
                message["reply_markup"] = buttons
            if params.get("parse_mode") == "HTML":
                self._parsed.add(key)
            else:
                self._parsed.discard(key)
            return dict(message)

    async def _send_document(self, params: dict[str, Any]) -> Any:
        doc = params.get("document") or {}
        name = doc.get("filename") if isinstance(doc, dict) else None
        return self._bot_message(params, document={
            "file_id": f"sent{len(self.messages)}", "file_unique_id": f"s{len(self.messages)}",
            "file_name": name or "file", "file_size": doc.get("size", 0) if isinstance(doc, dict)
            else 0})

    async def _edit_markup(self, params: dict[str, Any]) -> Any:
        key = (_chat(params.get("chat_id")) or 0, int(params.get("message_id") or 0))
        with self._lock:
            message = self.messages.get(key)
            if message is None:
                raise _ApiError(400, "Bad Request: message to edit not found")
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                message["reply_markup"] = markup
            elif "reply_markup" in message:
                del message["reply_markup"]
            else:
                raise _ApiError(400, "Bad Request: message is not modified")
            return dict(message)

    async def _set_webhook(self, params: dict[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _webhook_info(self, params: dict[str, Any]) -> Any:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self.updates)}

    async def _set_commands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        menu = list(commands) if isinstance(commands, list) else []
        language = str(params.get("language_code") or "")
        given = params.get("scope")
        scope: dict[str, Any] = given if isinstance(given, dict) else {}
        if scope.get("type") == "chat":
            self.chat_menus[(int(scope["chat_id"]), language)] = menu
            return True
        if scope.get("type", "default") != "default":
            return True  # group and administrator scopes: not modelled
        self.menus[language] = menu
        if not language:
            self.commands = menu
        return True

    async def _delete_commands(self, params: dict[str, Any]) -> Any:
        language = str(params.get("language_code") or "")
        given = params.get("scope")
        scope: dict[str, Any] = given if isinstance(given, dict) else {}
        if scope.get("type") == "chat":
            self.chat_menus.pop((int(scope["chat_id"]), language), None)
        elif scope.get("type", "default") == "default":
            self.menus.pop(language, None)
            if not language:
                self.commands = []
        return True

    def menu_for(self, chat_id: int, language_code: str = "") -> list[str]:
        """The command names a private chat's "/" menu shows, chosen as Telegram does: the
        chat's own list in the person's language, the chat's own list, then the default list
        in that language, then the default list."""
        lists = (self.chat_menus.get((int(chat_id), language_code)),
                 self.chat_menus.get((int(chat_id), "")),
                 self.menus.get(language_code) if language_code else None, self.menus.get(""))
        return next(([c["command"] for c in menu] for menu in lists if menu), [])

    def _get_description(self, kind: str) -> Callable[[dict[str, Any]], Awaitable[Any]]:
        async def get(params: dict[str, Any]) -> Any:
            code = str(params.get("language_code") or "")
            return {kind: self.descriptions.get((kind, code), "")}
        return get

    def _set_description(self, kind: str) -> Callable[[dict[str, Any]], Awaitable[Any]]:
        async def put(params: dict[str, Any]) -> Any:
            text = str(params.get(kind) or "")
            limit = 512 if kind == "description" else 120
            if len(text) > limit:
                raise _ApiError(400, f"Bad Request: {kind} is too long")
            self.descriptions[(kind, str(params.get("language_code") or ""))] = text
            return True
        return put

    async def _get_file(self, params: dict[str, Any]) -> Any:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        if stored.size > GET_FILE_LIMIT:
            raise _ApiError(400, "Bad Request: file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.unique_id,
                "file_size": stored.size, "file_path": stored.path}

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        found = next((f for f in self.files.values() if f.path == path), None)
        with self._lock:
            self.calls.append(Call(method="download", params={"path": path},
                                   at=time.monotonic(), status=200 if found else 404))
        if found is None or found.content is None:
            return web.Response(status=404)
        return web.Response(body=found.content, content_type="application/octet-stream")

    async def _get_updates(self, params: dict[str, Any]) -> Any:
        try:
            offset = int(params.get("offset") or 0)
            limit = max(1, min(100, int(params.get("limit") or 100)))  # Telegram's bounds
        except (TypeError, ValueError):
            offset, limit = 0, 100
        with self._lock:
            # Telegram forgets updates below the offset: the client confirmed them.
            while self.updates and offset and int(self.updates[0]["update_id"]) < offset:
                self.updates.popleft()
            updates = self._from(offset, limit)
        if updates or self._new_updates is None:
            return updates
        self._new_updates.clear()
        with contextlib.suppress(ValueError, TypeError, TimeoutError):
            await asyncio.wait_for(self._new_updates.wait(),
                                   min(float(params.get("timeout") or 0), 2.0))
        with self._lock:
            return self._from(offset, limit)

    def _from(self, offset: int, limit: int) -> list[dict[str, Any]]:
        """At most `limit` kept updates from `offset` on (call with the lock held)."""
        return list(itertools.islice((u for u in self.updates
                                      if int(u["update_id"]) >= offset), limit))


class _ApiError(Exception):
    """A Bot API error answer raised by a method handler."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _failure(status: int, description: str, retry_after: float | None = None
             ) -> dict[str, Any]:
    """The Bot API's JSON answer to a failed call."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


async def _true(params: dict[str, Any]) -> Any:
    return True


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post()
    out: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            with value.file:  # a handler cancelled later (the client gave up) never closed it
                body = value.file.read()
            out[key] = {"filename": value.filename, "size": len(body),
                        "content_type": value.content_type, "content": body}
            continue
        if not isinstance(value, str):
            continue
        try:
            out[key] = json.loads(value) if value[:1] in "{[" else value
        except ValueError:
            out[key] = value
    return out


def _checked_text(params: dict[str, Any]) -> str:
    """A message's text as Telegram takes it: refused when its HTML or its length is wrong."""
    text = str(params.get("text", ""))
    if params.get("parse_mode") == "HTML":
        problem = html_problem(text)
        if problem:
            raise _ApiError(400, f"Bad Request: can't parse entities: {problem}")
    if shown_length(text, params.get("parse_mode") == "HTML") > MAX_TEXT:
        raise _ApiError(400, "Bad Request: message is too long")
    return text


def _chat(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


TELEGRAM_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a",
                           "code", "pre", "tg-spoiler", "span", "blockquote"})
_STRAY = re.compile(r"&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)|<(?![a-zA-Z/])")


class _TagCheck(HTMLParser):
    """Telegram's HTML parse mode: only its tags, properly nested."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problem = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problem = self.problem or f"unsupported start tag \"{tag}\""
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problem = self.problem or f"unexpected end tag \"{tag}\""


def shown_length(text: str, parsed: bool) -> int:
    """What Telegram counts against MAX_TEXT: the words after its HTML is parsed."""
    words = html.unescape(re.sub(r"<[^>]+>", "", text)) if parsed else text
    return len(words.encode("utf-16-le")) // 2


def html_problem(text: str) -> str:
    """Why Telegram would refuse this text in HTML parse mode ("" when it would not)."""
    stray = _STRAY.search(text)
    if stray:
        return f"unescaped {stray.group(0)!r} at {stray.start()}"
    check = _TagCheck()
    check.feed(text)
    check.close()
    if check.open and not check.problem:
        return f"can't find end tag \"{check.open[-1]}\""
    return check.problem
