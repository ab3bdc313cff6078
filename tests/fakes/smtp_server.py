"""A recording SMTP server on loopback (aiosmtpd), in the test's event loop.

    smtp = FakeSMTP(reject={"nobody@exemplo.com.br"})
    await smtp.start()               # port 0 picks a free port; start(port) reuses one
    url = smtp.url                   # smtp://127.0.0.1:PORT
    smtp.messages                    # parsed email.message.EmailMessage objects, in order
    await smtp.stop()                # closed: clients get "connection refused"

advertise_starttls=True makes the server offer STARTTLS (with a context that cannot complete
a handshake): a client that upgrades by itself fails, one that does not delivers in plain text.
smtputf8=True makes it offer SMTPUTF8 (addresses with letters beyond ASCII before the @).
link_rate=N (bytes a second) answers a message's DATA only when all of it would have come over
a link that slow (a slow upload, without sending slowly): it takes the message all the same.
quit_answered (an asyncio.Event) holds each QUIT's answer until it is set: a server slow to
say goodbye after it took the message.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class FakeSMTP:
    """The server; `messages` holds what was accepted."""

    reject: set[str] = field(default_factory=set)
    advertise_starttls: bool = False
    smtputf8: bool = False
    data_size_limit: int = 33554432
    """The largest message taken (aiosmtpd's default); a larger one is refused with 552."""
    link_rate: float | None = None
    """Bytes a second the message's data comes at (its DATA answered that late); None: at once."""
    quit_answered: asyncio.Event | None = None
    """When set, QUIT is answered only once it is (the message taken before)."""
    quits: int = 0
    """QUIT commands received."""
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: asyncio.AbstractServer | None = None

    @property
    def url(self) -> str:
        """The SMTP_URL of this server."""
        return f"smtp://{self.host}:{self.port}"

    async def start(self, port: int | None = None) -> str:
        """Listen (on the same port as before when restarting)."""
        loop = asyncio.get_running_loop()
        tls = None
        if self.advertise_starttls:
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.check_hostname = False
            tls.verify_mode = ssl.CERT_NONE
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="fake-smtp", tls_context=tls, ident="FakeSMTP",
                         enable_SMTPUTF8=self.smtputf8, data_size_limit=self.data_size_limit),
            self.host, port if port is not None else self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.url

    async def stop(self) -> None:
        """Stop listening and drop the connections."""
        if self._server is not None:
            self._server.close()
            close_clients = getattr(self._server, "close_clients", None)  # Python 3.13+
            if close_clients is not None:
                close_clients()
            await self._server.wait_closed()
            self._server = None

    def to(self, address: str) -> list[EmailMessage]:
        """Messages sent to one address."""
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    # aiosmtpd handler hooks

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address.lower() in {r.lower() for r in self.reject}:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw: Any = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw).encode()
        if self.link_rate:
            await asyncio.sleep(len(data) / self.link_rate)
        # with SMTPUTF8 the headers are UTF-8; from bytes they would parse as surrogate escapes
        parsed = message_from_string(data.decode("utf-8"), policy=default) if self.smtputf8 \
            else message_from_bytes(data, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((_utf8(str(envelope.mail_from)),
                               [_utf8(r) for r in envelope.rcpt_tos]))
        return "250 Message accepted"


    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.quits += 1
        if self.quit_answered is not None:
            await self.quit_answered.wait()
        return "221 Bye"


def _utf8(address: str) -> str:
    """An envelope address as sent: aiosmtpd keeps SMTPUTF8 bytes as surrogate escapes."""
    return address.encode("utf-8", "surrogateescape").decode("utf-8")
