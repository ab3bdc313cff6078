"""A TCP forwarder on loopback, for a server that comes up late: `helpdesk run` is pointed at
its port before it listens; `start()` then opens the port and passes every byte to the real
server (PostgreSQL) and back.

    fwd = Forwarder(("127.0.0.1", 5432))   # fwd.port: free, nothing listens yet
    fwd.start()
    fwd.stop()
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from typing import Any


def _pump(src: socket.socket, dst: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := src.recv(65536):
            dst.sendall(data)
    for sock in (src, dst):  # the end of one direction ends the other
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


class Forwarder:
    """Connections to 127.0.0.1:port go to `upstream` once started."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> None:
        """Listen on the port and forward."""
        upstream = self.upstream

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                far = socket.create_connection(upstream)
                near = self.request.dup()
                back = threading.Thread(target=_pump, args=(far.dup(), near.dup()), daemon=True)
                back.start()
                _pump(near, far)
                back.join()

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def stop(self) -> None:
        """Stop listening (connections open end with their peers)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Forwarder:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
