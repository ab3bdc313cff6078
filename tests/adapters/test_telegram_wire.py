"""The Bot API's posts over our own kept-alive connections (bots.telegram.wire), against real
loopback servers that answer byte by byte as HTTP servers may: kept alive or closed, chunked,
silent, cut off; and over TLS."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bots.telegram.courier import Courier
from bots.telegram.render import Outgoing
from bots.telegram.transport import AiohttpRequest, api_bot
from bots.telegram.wire import Wire

OK = b'{"ok":true,"result":{"message_id":7,"date":0,"chat":{"id":5,"type":"private"}}}'
Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[bool]]


class Server:
    """A raw HTTP server: each request (its head and body read) is answered by `answer`,
    which says whether to keep the connection; counts connections and requests."""

    def __init__(self, answer: Answer, tls: ssl.SSLContext | None = None) -> None:
        self.answer = answer
        self.tls = tls
        self.connections = 0
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None
        self._handlers: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        port = self.server.sockets[0].getsockname()[1]
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await asyncio.sleep(0.01)  # the client's closes reach the handlers
        for task in self._handlers:
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self._handlers.append(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                self.requests.append(head + await reader.readexactly(length))
                if not await self.answer(reader, writer, len(self.requests)):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def kept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> bool:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n%s" % (len(OK), OK))
    await writer.drain()
    return True


def courier_at(root: str) -> tuple[Courier, AiohttpRequest]:
    request = AiohttpRequest(read_timeout=0.5)
    return Courier(Bot("1:T", base_url=f"{root}/bot", request=request), budget=0), request


async def send(courier: Courier, text: str = "Olá") -> int:
    return await courier.send(5, Outgoing(html=text))


def test_answers_come_over_one_kept_connection_and_each_request_is_whole() -> None:
    async def story() -> Server:
        server = Server(kept)
        async with server as root:
            courier, request = courier_at(root)
            try:
                assert [await send(courier, f"n{i}") for i in range(3)] == [7, 7, 7]
            finally:
                await request.shutdown()
        return server

    server = asyncio.run(story())
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /bot1:T/sendMessage HTTP/1.1\r\n")
    assert b"\r\nContent-Type: application/json\r\n" in first
    assert first.endswith(b'{"chat_id": 5, "text": "n0"}')  # no markup: plain text


def test_a_connection_the_server_closes_is_not_used_again() -> None:
    """Connection: close after the answer, or the server closing an idle connection: the next
    call opens another, and goes through."""
    async def closing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      n: int) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(OK), OK))
        await writer.drain()
        return False

    async def story() -> tuple[int, int]:
        server = Server(closing)
        async with server as root:
            courier, request = courier_at(root)
            try:
                for _ in range(3):
                    assert await send(courier) == 7
                    await asyncio.sleep(0.01)
            finally:
                await request.shutdown()
        return server.connections, len(server.requests)

    assert asyncio.run(story()) == (3, 3)


def test_a_connection_idle_too_long_is_not_used_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """As aiohttp's keepalive_timeout: a connection idle longer than KEEP_IDLE is closed by us
    (the server may be closing it at that moment), another opened."""
    monkeypatch.setattr("bots.telegram.wire.KEEP_IDLE", 0.2)

    async def story() -> int:
        server = Server(kept)
        async with server as root:
            courier, request = courier_at(root)
            try:
                assert await send(courier) == 7
                assert await send(courier) == 7
                await asyncio.sleep(0.3)
                assert await send(courier) == 7
            finally:
                await request.shutdown()
        return server.connections

    assert asyncio.run(story()) == 2


def test_a_chunked_answer_and_an_interim_one_are_read_whole() -> None:
    async def chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      n: int) -> bool:
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for part in (OK[:10], OK[10:]):
            writer.write(b"%x\r\n%s\r\n" % (len(part), part))
            await writer.drain()
            await asyncio.sleep(0.01)
        writer.write(b"0\r\n\r\n")
        return True

    async def story() -> Server:
        server = Server(chunked)
        async with server as root:
            courier, request = courier_at(root)
            try:
                assert await send(courier) == 7
                assert await send(courier) == 7
            finally:
                await request.shutdown()
        return server

    assert asyncio.run(story()).connections == 1


def test_a_silent_server_times_out_and_a_cut_answer_fails_without_a_second_post() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     n: int) -> bool:
        await asyncio.sleep(5)
        return False

    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"ok\":")
        await writer.drain()
        return False

    async def story() -> tuple[int, int]:
        quiet, broken = Server(silent), Server(cut)
        async with quiet as root:
            courier, request = courier_at(root)
            try:
                with pytest.raises(TimedOut):
                    await send(courier)
            finally:
                await request.shutdown()
        async with broken as root:
            courier, request = courier_at(root)
            try:
                with pytest.raises(NetworkError, match="closed the connection"):
                    await send(courier)
            finally:
                await request.shutdown()
        return len(quiet.requests), len(broken.requests)

    assert asyncio.run(story()) == (1, 1)


def test_the_read_timeout_bounds_each_wait_not_the_whole_answer() -> None:
    """As aiohttp's sock_read: an answer coming in pieces 0.3 s apart is read whole with a
    read timeout of 0.5 s; a stall of longer than that in its middle is TimedOut."""
    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      n: int) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(OK))
        for i in range(4):
            await asyncio.sleep(0.3 if n == 1 else 0.3 + i * 0.4)
            writer.write(OK[i * len(OK) // 4:(i + 1) * len(OK) // 4])
            await writer.drain()
        return True

    async def story() -> None:
        async with Server(trickle) as root:
            courier, request = courier_at(root)
            try:
                assert await send(courier) == 7
                with pytest.raises(TimedOut):
                    await send(courier)
            finally:
                await request.shutdown()

    asyncio.run(story())


def test_no_server_there_is_a_network_error() -> None:
    async def story() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        courier, request = courier_at(f"http://127.0.0.1:{port}")
        try:
            with pytest.raises(NetworkError, match="ConnectionRefusedError"):
                await send(courier)
        finally:
            await request.shutdown()

    asyncio.run(story())


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl to make a certificate")
def test_posts_over_tls(tmp_path: Path) -> None:
    """api.telegram.org is https: the connection is TLS, its certificate checked."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    trusted = ssl.create_default_context(cafile=str(cert))

    async def story() -> Server:
        server = Server(kept, tls=served)
        async with server as root:
            wire = Wire(ssl_context=trusted)
            for _ in range(2):
                status, body = await wire.post(f"{root}/bot1:T/getMe", b"{}", {},
                                               connect=5, read=5)
                assert (status, body) == (200, OK)
            wire.shutdown()
            with pytest.raises(ssl.SSLCertVerificationError):  # a certificate not trusted
                await Wire().post(f"{root}/bot1:T/getMe", b"{}", {}, connect=5, read=5)
        return server

    assert asyncio.run(story()).connections in (1, 2)  # the refused handshake may count


def test_an_address_that_drops_the_connection_does_not_hold_up_the_next() -> None:
    """Happy eyeballs, as aiohttp: the host's first address never answers (a full listen
    queue drops the handshake, as a broken IPv6 route does), the next is tried after 250 ms
    and the post goes through it, long before the connect timeout."""
    async def story() -> float:
        hole = socket.socket()
        hole.bind(("127.0.0.1", 0))
        hole.listen(0)
        filler = []
        for _ in range(3):  # the queue full: the next handshakes go unanswered
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(hole.getsockname())
            filler.append(sock)
        server = Server(kept)
        async with server as root:
            good = int(root.rsplit(":", 1)[1])
            loop = asyncio.get_running_loop()

            async def resolve(host: str, port: int, **kwargs: object) -> list[tuple[Any, ...]]:
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", hole.getsockname()),
                        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", good))]

            loop.getaddrinfo = resolve  # type: ignore[method-assign]
            wire = Wire()
            started = loop.time()
            try:
                assert await wire.post(f"http://api.example:{good}/bot1:T/getMe", b"{}", {},
                                       connect=3, read=3) == (200, OK)
            finally:
                wire.shutdown()
                for sock in (*filler, hole):
                    sock.close()
            return loop.time() - started

    assert asyncio.run(story()) < 2


def test_the_bot_posts_a_burst_s_calls_together_not_32_at_a_time() -> None:
    """The channel's Bot (transport.api_bot): the 64 chats the inbox runs at once post a
    click's calls together (its answer, its buttons' removal, the next question); 150 posts
    waiting for their answers at the same moment each go out at once on a connection of its
    own, none queued behind another's answer (it was 32 at a time)."""
    posts = 150

    async def story() -> tuple[int, list[int]]:
        everyone = asyncio.Event()

        async def all_in(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                         n: int) -> bool:
            if n >= posts:
                everyone.set()
            await everyone.wait()
            return await kept(reader, writer, n)

        server = Server(all_in)
        async with server as root:
            bot = api_bot("1:T", root)
            courier = Courier(bot, budget=0)
            try:
                ids = await asyncio.wait_for(asyncio.gather(
                    *(send(courier, f"n{i}") for i in range(posts))), 10)
            finally:
                await bot.request.shutdown()
        return server.connections, ids

    connections, ids = asyncio.run(story())
    assert connections == posts
    assert ids == [7] * posts
