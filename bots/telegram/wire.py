"""The Bot API's JSON posts over kept-alive HTTP/1.1 connections of our own.

aiohttp's client spends ~200 µs of CPU on a small request (its session's request: timers,
cookies, redirects, tracing, headers as multidicts), about a tenth of a whole chat step, and a
step makes one to two such calls. A Bot API call is one JSON body posted to one origin and one
JSON answer back: this writes the request as bytes and reads the status, headers and body
itself (~70 µs). Only for posts with no proxy in the way; the rest (files, downloads,
proxies) stays on aiohttp (bots.telegram.transport). Like aiohttp, a post is never sent twice
by the transport: a connection that fails is closed, the error is the caller's to retry.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import aiohappyeyeballs

MAX_HEAD = 65_536
"""The most a response's status line and headers may take."""
KEEP_IDLE = 15.0
"""Seconds an idle connection is kept (aiohttp's keepalive_timeout): a server closes idle ones
too, and a post written as its close crosses ours fails (the caller retries)."""


HAPPY_EYEBALLS = 0.25
"""Seconds to wait for one address before trying the next as well (aiohttp's default, by the
same library): a host whose IPv6 route drops packets reaches api.telegram.org over IPv4 at
once. (Python 3.11's own happy eyeballs leaks the socket of a connect cancelled mid-way.)"""


def _default_tls() -> ssl.SSLContext:
    """The system's trusted certificates, as aiohttp's verified default (made at import: it
    reads them from disk, which the event loop should not wait for)."""
    context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    return context


DEFAULT_TLS = _default_tls()


class Disconnected(ConnectionError):
    """The server closed the connection before its answer was whole."""


class _Connection(asyncio.Protocol):
    """One socket: what arrived, and a future to wait for more."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.data = bytearray()
        self.closed = False
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.data += data
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def usable(self) -> bool:
        """Open, and with nothing unasked for waiting in it."""
        return not self.closed and not self.data and self.transport is not None \
            and not self.transport.is_closing()

    async def more(self) -> None:
        """Wait for more bytes (Disconnected: none will come)."""
        if self.closed:
            raise Disconnected("the server closed the connection")
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class Wire:
    """Posts to any origin, at most `limit` connections each at a time, idle ones kept."""

    def __init__(self, limit: int = 32, ssl_context: ssl.SSLContext | None = None) -> None:
        self.limit = limit
        self._ssl = ssl_context or DEFAULT_TLS
        self._idle: dict[str, deque[tuple[float, _Connection]]] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._shut = False

    async def post(self, url: str, body: bytes, headers: dict[str, str], *,
                   connect: float | None, read: float | None, total: float | None = None
                   ) -> tuple[int, bytes]:
        """POST body to url; the answer's status and body. `connect` bounds waiting for a
        free connection and opening one, `read` each wait for the answer's bytes, `total` the
        whole call (TimeoutError). One timer per call when a connection is free and open."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        slots = self._slots.get(origin)
        if slots is None:
            slots = self._slots[origin] = asyncio.Semaphore(self.limit)
        loop = asyncio.get_running_loop()
        now = loop.time()
        end = None if total is None else now + total
        deadline = None if connect is None else now + connect
        if end is not None and (deadline is None or end < deadline):
            deadline = end
        if slots.locked():
            async with asyncio.timeout_at(deadline):
                await slots.acquire()
        else:
            await slots.acquire()  # at once
        try:
            conn = await self._connection(origin, parts.scheme, parts.hostname or "",
                                          parts.port, deadline)
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            request = (f"POST {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n{head}"
                       f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1") + body
            keep = False
            try:
                assert conn.transport is not None
                conn.transport.write(request)
                status, answer, keep = await _answer(conn, read, end)
            finally:
                if keep and not self._shut:
                    self._idle.setdefault(origin, deque()).append((loop.time(), conn))
                else:
                    conn.close()
            return status, answer
        finally:
            slots.release()

    async def _connection(self, origin: str, scheme: str, host: str, port: int | None,
                          deadline: float | None) -> _Connection:
        """An idle connection to the origin still open, else a new one."""
        loop = asyncio.get_running_loop()
        idle = self._idle.get(origin)
        while idle:
            since, conn = idle.pop()  # the most recent: the least likely to have timed out
            if conn.usable() and loop.time() - since < KEEP_IDLE:
                return conn
            conn.close()
        secure = scheme == "https"
        async with asyncio.timeout_at(deadline):
            found = await loop.getaddrinfo(host, port or (443 if secure else 80),
                                           type=socket.SOCK_STREAM)
            sock = await aiohappyeyeballs.start_connection(
                found, happy_eyeballs_delay=HAPPY_EYEBALLS, interleave=1)
            try:
                _, conn = await loop.create_connection(
                    _Connection, sock=sock, ssl=self._ssl if secure else None,
                    server_hostname=host if secure else None)
            except BaseException:
                sock.close()
                raise
        return conn

    def shutdown(self) -> None:
        """Close the idle connections; those in use close when their answer is in."""
        self._shut = True
        for idle in self._idle.values():
            while idle:
                idle.pop()[1].close()


async def _answer(conn: _Connection, read: float | None, end: float | None
                  ) -> tuple[int, bytes, bool]:
    """The response on conn: its status, body, and whether the connection may be reused;
    each wait for bytes at most `read` seconds (TimeoutError), none past `end`."""
    loop = asyncio.get_running_loop()

    def due() -> float | None:
        soon = None if read is None else loop.time() + read
        return end if soon is None or (end is not None and end < soon) else soon

    waits = 0
    async with asyncio.timeout_at(due()) as timer:

        async def more() -> None:
            nonlocal waits
            if waits:  # the timer set above runs for the first wait (the only one, mostly)
                timer.reschedule(due())
            waits += 1
            await conn.more()

        return await _read(conn, more)


async def _read(conn: _Connection, more: Callable[[], Awaitable[None]]
                ) -> tuple[int, bytes, bool]:
    """_answer's reading, `more` waiting for bytes."""
    while True:
        end = conn.data.find(b"\r\n\r\n")
        while end < 0:
            if len(conn.data) > MAX_HEAD:
                raise Disconnected("an answer's headers too long")
            await more()
            end = conn.data.find(b"\r\n\r\n")
        lines = bytes(conn.data[:end]).decode("latin-1").split("\r\n")
        del conn.data[:end + 4]
        version, _, rest = lines[0].partition(" ")
        status = int(rest[:3])
        if status >= 200 or status == 101:
            break  # 1xx: an interim answer, the real one follows
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    keep = version == "HTTP/1.1" and "close" not in fields.get("connection", "").lower()
    if status in (204, 304):
        return status, b"", keep
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return status, await _chunked(conn, more), keep
    length = fields.get("content-length")
    if length is None:  # the body ends with the connection
        while not conn.closed:
            await more()
        body = bytes(conn.data)
        conn.data.clear()
        return status, body, False
    size = int(length)
    while len(conn.data) < size:
        await more()
    body = bytes(conn.data[:size])
    del conn.data[:size]
    return status, body, keep


async def _chunked(conn: _Connection, more: Callable[[], Awaitable[None]]) -> bytes:
    """A chunked body, its trailer read past."""
    body = bytearray()
    while True:
        while (end := conn.data.find(b"\r\n")) < 0:
            await more()
        size = int(bytes(conn.data[:end]).split(b";")[0], 16)
        del conn.data[:end + 2]
        if size == 0:
            while (end := conn.data.find(b"\r\n")) != 0:  # trailer lines, then an empty one
                if end > 0:
                    del conn.data[:end + 2]
                else:
                    await more()
            del conn.data[:2]
            return bytes(body)
        while len(conn.data) < size + 2:
            await more()
        body += conn.data[:size]
        del conn.data[:size + 2]
