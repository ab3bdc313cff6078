"""One reply by e-mail to two tickets' reply addresses (R7): each ticket gets it, once, as a
message to two addresses reaches both; by real SMTP, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
from fakes.delivery_world import CARLA_EMAIL, open_ticket
from test_email_replies import PDF, Desk, running

from core.models import Ticket


async def second_ticket(w: Desk) -> tuple[Ticket, str]:
    """Another ticket of Carla's, and the reply address of its registration e-mail."""
    other = open_ticket(w.desk, w.carla, assunto="O relatório de vendas não abre")
    w.host.wake_outbox()
    mails = await w.mail_to(CARLA_EMAIL, 2)
    (mail,) = [m for m in mails if str(other.number) in str(m["Subject"])]
    return other, str(mail["Reply-To"])


async def send(w: Desk, to: str, cc: str | None, recipients: list[str], text: str,
               message_id: str | None = None) -> None:
    mail = EmailMessage()
    mail["From"] = f"Carla Souza <{CARLA_EMAIL}>"
    mail["To"] = to
    if cc:
        mail["Cc"] = cc
    mail["Subject"] = "Re: os dois tickets"
    mail["Message-ID"] = message_id or f"<{time.monotonic_ns()}@mercado.com.br>"
    mail.set_content(text)
    mail.add_attachment(PDF, maintype="application", subtype="pdf", filename="nota.pdf")
    await aiosmtplib.send(mail, hostname="127.0.0.1", port=w.host.replies_port,
                          sender=CARLA_EMAIL, recipients=recipients, timeout=10)


def test_r7_a_reply_to_two_tickets_addresses_reaches_each_once(db_url: str, tmp_path: Path
                                                                 ) -> None:
    """Only the first reply address among the recipients was read: To one ticket, Cc another,
    the second never got it. Now each does, with its file; an address in To and again in Cc
    counts once."""
    async def story(w: Desk) -> None:
        other, other_address = await second_ticket(w)
        first = w.reply_to()
        await send(w, first, f"{other_address}, {first}", [first, other_address, first],
                   "Os dois tickets são o mesmo problema.")
        for ticket_id in (w.ticket.id, other.id):
            assert [(e.text, [a.filename for a in e.attachments]) for e in w.public(ticket_id)
                    ] == [("Os dois tickets são o mesmo problema.", ["nota.pdf"])]
        await asyncio.sleep(0.5)  # a refusal would be out by now
        assert len(w.smtp.to(CARLA_EMAIL)) == 2  # the two registrations only
        assert w.host.replies is not None
        assert w.host.replies.outcomes == {"added": 2}

    running(db_url, tmp_path, story)


def test_r7_one_reply_delivered_once_per_ticket_address_reaches_both(db_url: str,
                                                                      tmp_path: Path) -> None:
    """A mail server that delivers To and Cc as two messages, the same Message-ID: the second
    was a duplicate of the first, and its ticket never got it. A made-up address beside a real
    one is left out, not answered."""
    async def story(w: Desk) -> None:
        other, other_address = await second_ticket(w)
        first, same = w.reply_to(), "<uma-so@mercado.com.br>"
        made_up = "suporte+1-1-aaaaaaaaaaaaa@exemplo.com.br"
        await send(w, first, other_address, [first, made_up], "Vale para os dois.", same)
        await send(w, first, other_address, [other_address], "Vale para os dois.", same)
        await send(w, first, other_address, [first], "Vale para os dois.", same)
        assert [e.text for e in w.public()] == ["Vale para os dois."]
        assert [e.text for e in w.public(other.id)] == ["Vale para os dois."]
        await asyncio.sleep(0.5)
        assert len(w.smtp.to(CARLA_EMAIL)) == 2
        assert w.host.replies is not None
        assert w.host.replies.outcomes == {"added": 2, "duplicate": 1}

    running(db_url, tmp_path, story)
