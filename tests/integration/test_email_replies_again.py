"""The same reply by e-mail twice (R7): a mail server that rewrites the Message-ID on
redelivery, or a message without one, adds one trâmite; by real SMTP, SQLite and PostgreSQL."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

import aiosmtplib
from fakes.delivery_world import CARLA_EMAIL
from test_email_replies import PDF, Desk, running


async def without_message_id(w: Desk, text: str, date: float) -> None:
    mail = EmailMessage()
    mail["From"] = f"Carla Souza <{CARLA_EMAIL}>"
    mail["To"] = w.reply_to()
    mail["Subject"] = f"Re: [Ticket {w.ticket.number}] {w.ticket.assunto}"
    mail["Date"] = formatdate(date)
    mail.set_content(text)
    await aiosmtplib.send(mail, hostname="127.0.0.1", port=w.host.replies_port,
                          sender=CARLA_EMAIL, recipients=[w.reply_to()], timeout=10)


def test_r7_the_same_reply_under_other_message_ids_or_none_adds_one_trâmite(
        db_url: str, tmp_path: Path) -> None:
    """Only the Message-ID told a redelivery: a server that rewrote it, or a message without
    one (its bytes differ by a Date or a Received line), added the trâmite again."""
    async def story(w: Desk) -> None:
        for n in range(2):
            await w.send("A nota 10125 saiu.", message_id=f"<reescrita-{n}@relay.example>",
                         files=[("nota.pdf", PDF, "application/pdf")])
        for date in (1_796_000_000.0, 1_796_000_060.0):
            await without_message_id(w, "Sem Message-ID.", date)
        await without_message_id(w, "Sem Message-ID.\n\n> citado de outro jeito", 1.8e9)
        await w.send("A nota 10125 saiu.", files=[("outra.pdf", PDF + b"%", "application/pdf")])
        await w.send("A nota 10125 saiu, e a 10126 também.")
        assert [(e.text, [a.filename for a in e.attachments]) for e in w.public()] == [
            ("A nota 10125 saiu.", ["nota.pdf"]), ("Sem Message-ID.", []),
            ("A nota 10125 saiu.", ["outra.pdf"]), ("A nota 10125 saiu, e a 10126 também.", [])]
        assert w.host.replies is not None
        assert w.host.replies.outcomes == {"added": 4, "duplicate": 3}

    running(db_url, tmp_path, story)
