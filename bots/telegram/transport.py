"""python-telegram-bot's HTTP requests over aiohttp instead of its default httpx.

Measured on these machines (PTB Bot.send_message against a loopback server, 16 at a time):
httpx costs 2.2–2.7 ms of CPU per call, aiohttp 0.4–0.5 ms. An intake step makes two to four
Bot API calls, so the transport was most of the adapter's cost (see bench/HISTORY.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import re
import struct
import termios
import urllib.request
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.payload import Payload
from telegram import Bot
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bots.telegram.errors import use_timedelta_periods
from bots.telegram.wire import Wire

_JSON_BODY: ContextVar[bytes | None] = ContextVar("bot_api_json_body", default=None)
"""The body of the post_json call running in this task (each task has its own)."""
QUOTED = 80
"""How much of a body that is not the Bot API's a line quotes (a proxy's page can be long)."""
_TOKEN = re.compile(r"/bot([^/]+)/")


def quoted(body: bytes, secret: str = "") -> str:
    """The start of a body that is not the Bot API's, on one line and without the token
    (a page may quote the URL): "'<html>…'" ("" for an empty body)."""
    text = body.decode("utf-8", "replace")
    page = " ".join((text.replace(secret, "…") if secret else text).split())
    return repr(page if len(page) <= QUOTED else page[:QUOTED] + "…") if page else ""


CHUNK = 65536
"""How much of a file the transport hands the connection at once."""
REACHED_POLL = 0.01
"""How often an upload's end looks whether the rest of its file reached Telegram."""
BOT_CONNECTIONS = 256
"""The Bot's connections to the Bot API at a time (python-telegram-bot's Application default).
The inbox runs 64 chats at once and a click posts up to three calls together (its answer, its
buttons' removal, the next question): with 32, a burst's posts queued for a connection."""


class UploadCut(NetworkError):
    """An upload a stop cut before the last byte of its file went out: Telegram has a request
    short of its length, which it discards; the file is sent again at the next start."""

    def __init__(self) -> None:
        super().__init__("upload cut by a stop before its file went out (Telegram has none of it)")


class _GatedFile(Payload):
    """A file's bytes, the last one held back until the rest went out: a stop cuts the upload
    (AiohttpRequest.cut_uploads) while it holds it, so Telegram never gets the whole request."""

    _autoclose = True  # bytes in memory, nothing to close

    def __init__(self, value: bytes, owner: AiohttpRequest, content_type: str) -> None:
        super().__init__(value, content_type=content_type)
        self._size = len(value)
        self.owner = owner
        self.out = False
        """The last byte was handed to the connection: Telegram may have the file."""

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The bytes as text (aiohttp's Payload asks it of every part)."""
        return bytes(self._value).decode(encoding, errors)

    async def write(self, writer: Any) -> None:
        """The file in chunks, its last byte only if no stop cut the upload meanwhile."""
        content = memoryview(self._value)
        for start in range(0, len(content) - 1, CHUNK):
            if self.owner.cut:
                raise UploadCut
            await writer.write(content[start:min(start + CHUNK, len(content) - 1)])
        await self._reached(writer)
        self.out = True
        await writer.write(content[len(content) - 1:])

    async def _reached(self, writer: Any) -> None:
        """Wait until the bytes handed over reached Telegram (none left in the connection's
        buffers nor unacknowledged in the kernel's, which take a few MB at once: a file of
        that size was 'out' while Telegram had a fraction of it, and a stop waited for it)."""
        transport = getattr(writer, "transport", None)
        sock = transport.get_extra_info("socket") if transport is not None else None
        while True:
            if self.owner.cut:
                raise UploadCut
            queued = transport.get_write_buffer_size() if transport is not None else 0
            if not queued and sock is not None:
                queued = _unacknowledged(sock)
            if not queued:
                return
            await asyncio.sleep(REACHED_POLL)

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        """As write (a file part's length is never cut short)."""
        await self.write(writer)


def _unacknowledged(sock: Any) -> int:
    """Bytes the kernel holds for a TCP socket that the other end has not acknowledged
    (Linux's SIOCOUTQ; 0 where the system cannot tell, as if all had gone)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        out = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
        return int(struct.unpack("i", out)[0])
    return 0


def _is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _seconds(value: object, default: float | None) -> float | None:
    """A timeout PTB passed, or ours for its DEFAULT_NONE marker."""
    return value if value is None or isinstance(value, int | float) else default


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for url (HTTP(S)_PROXY, honouring NO_PROXY), if any."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    # proxy_bypass_environment is public in CPython but missing from typeshed's stubs.
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if bypass(parts.hostname or "", proxies):
        return None
    return proxies.get(parts.scheme)


class AiohttpRequest(BaseRequest):
    """A PTB request class on one aiohttp session (proxies from the environment, as httpx);
    its posts of JSON with no proxy in the way go over connections of its own (bots.telegram.
    wire: a fifth of aiohttp's CPU per call).

    The proxy is looked up once per origin: aiohttp's trust_env looks up the proxy and
    ~/.netrc in a worker thread on every request (two thread hops per Bot API call).
    """

    def __init__(self, *, connection_pool_size: int = 32, connect_timeout: float | None = 5.0,
                 read_timeout: float | None = 5.0, write_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0
                 ) -> None:
        self._pool_size = connection_pool_size
        self._connect = connect_timeout
        self._read = read_timeout
        self._write = write_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._wire = Wire(connection_pool_size)
        self._shut = False
        self.cut = False
        """A stop cut the uploads whose file had not gone out (and refuses new ones)."""
        self._proxies: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read

    async def post_json(self, url: str, fields: dict[str, Any],
                        read_timeout: float | None = None) -> Any:
        """One Bot API method with JSON-ready fields; its result as JSON (dict, list or bool).

        Through PTB's public `post`, for its error mapping (RetryAfter, Forbidden, BadRequest…)
        and JSON checks, without its parameter layer and Message objects (~40% of a call's
        CPU). PTB builds its request data only from a private class, so the body reaches
        do_request in a context variable instead: one per task, never another call's.
        """
        token = _JSON_BODY.set(json.dumps(fields).encode())
        try:
            if read_timeout is None:
                return await self.post(url)
            return await self.post(url, read_timeout=read_timeout)
        finally:
            _JSON_BODY.reset(token)

    def cut_uploads(self) -> None:
        """A stop: end the uploads whose file has not gone out in full (UploadCut: Telegram has
        none of it), refuse new ones; an upload whose file went out still waits its answer."""
        self.cut = True

    async def initialize(self) -> None:
        """Open the session (again after a shutdown)."""
        self._shut = False
        self.cut = False
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size))
            self._wire = Wire(self._pool_size)  # its connections are the event loop's

    async def shutdown(self) -> None:
        """Close the session and its connections; requests are refused until initialize()."""
        self._shut = True
        self._wire.shutdown()
        if self._session is not None and not self._session.closed:
            await self._session.close()

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """A 2xx answer's JSON. Not JSON (a proxy's or portal's page in its place): a
        NetworkError quoting its start, tried again like a gateway's failure; PTB's own logs
        a traceback with the whole page and raises a TelegramError that nothing retries."""
        try:
            return json.loads(payload.decode("utf-8", "replace"))  # type: ignore[no-any-return]
        except ValueError:
            raise NetworkError(f"2xx with a page, not the Bot API's JSON: {quoted(payload)}"
                               ) from None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; timeouts and connection errors become PTB's own errors. A failure
        answered with a page, not the Bot API's JSON (a proxy's 502, a firewall's 403), is a
        NetworkError quoting the page's start, tried again: no verdict of Telegram's on the
        request (PTB would take a 403 page for a blocked bot, a 404 one for a refused token,
        after logging a traceback with the whole page)."""
        status, body = await self.exchange(url, method, request_data, read_timeout,
                                           write_timeout, connect_timeout, pool_timeout)
        if 200 <= status < 300 or _is_json(body):
            return status, body
        token = _TOKEN.search(url)
        page = quoted(body, token.group(1) if token else "")
        try:
            phrase = f"{HTTPStatus(status).phrase} ({status})"
        except ValueError:
            phrase = f"HTTP {status}"
        raise NetworkError(f"{phrase} with a page, not the Bot API's JSON"
                           + (f": {page}" if page else ""))

    async def exchange(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One request's status and body as they came (the start reads them: bots.telegram.
        reach); timeouts and connection errors become PTB's own errors."""
        if self._shut:
            # A step or a 'typing…' outliving the channel's stop: a session opened now would
            # never be closed.
            raise NetworkError("the Bot API connection was shut down")
        if self._session is None or self._session.closed:
            await self.initialize()  # as httpx's client, usable before initialize()
        assert self._session is not None
        files = request_data.multipart_data if request_data else None
        body: aiohttp.FormData | bytes | None = None
        headers = {"User-Agent": self.USER_AGENT}
        fields = request_data.parameters if request_data is not None and not files else None
        if request_data is None and method == "POST":
            body = _JSON_BODY.get()
        elif fields:
            # One JSON document (the Bot API takes application/json): urlencoding the fields
            # cost ~0.1 ms of CPU per call for a message with buttons, quoting byte by byte.
            body = json.dumps(fields).encode()
        if body is not None:
            headers["Content-Type"] = "application/json"
        gated: list[_GatedFile] = []
        if files:
            assert request_data is not None
            if self.cut:
                raise UploadCut
            form = aiohttp.FormData(request_data.json_parameters)
            for name, (filename, content, mimetype) in files.items():
                data = content if isinstance(content, bytes) else content.read()
                gated.append(_GatedFile(data, self, mimetype or "application/octet-stream"))
                form.add_field(name, gated[-1], filename=filename)
            body = form
        write = _seconds(write_timeout, self._media_write if files else self._write)
        read = _seconds(read_timeout, self._read)
        connect = _seconds(connect_timeout, self._connect)
        pool = _seconds(pool_timeout, self._pool)
        # aiohttp's `connect` covers waiting for a pooled connection and opening it; the write
        # has no timeout of its own there, so it bounds the whole request with the read.
        timeout = aiohttp.ClientTimeout(
            connect=None if connect is None or pool is None else connect + pool,
            sock_read=read,
            total=None if read is None or write is None else read + write + (connect or 0),
        )
        path = url.find("/", url.find("//") + 2)
        origin = url if path < 0 else url[:path]
        if origin not in self._proxies:
            self._proxies[origin] = env_proxy(origin)
        if method == "POST" and not files and self._proxies[origin] is None \
                and origin.startswith(("http://", "https://")):
            try:
                return await self._wire.post(url, body if isinstance(body, bytes) else b"",
                                             headers, connect=timeout.connect, read=read,
                                             total=timeout.total)
            except TimeoutError as exc:
                raise TimedOut from exc
            except (OSError, ValueError) as exc:  # refused, reset, closed, not HTTP
                raise NetworkError(f"{type(exc).__name__}: {exc}") from exc
        try:
            async with self._session.request(method, url, data=body, timeout=timeout,
                                             headers=headers, proxy=self._proxies[origin]) as res:
                return res.status, await res.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            if gated and not all(f.out for f in gated) and self.cut:
                raise UploadCut from exc
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc



def api_bot(token: str, api_root: str, get_updates_request: BaseRequest | None = None,
            read_timeout: float = 15.0) -> Bot:
    """A PTB Bot against the Bot API at api_root (methods and file downloads), over aiohttp."""
    use_timedelta_periods()
    request = AiohttpRequest(connection_pool_size=BOT_CONNECTIONS, connect_timeout=5.0,
                             read_timeout=read_timeout, write_timeout=30.0, pool_timeout=10.0)
    return Bot(token, base_url=f"{api_root}/bot", base_file_url=f"{api_root}/file/bot",
               request=request, get_updates_request=get_updates_request)
