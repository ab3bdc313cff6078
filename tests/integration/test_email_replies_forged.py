"""Replies by e-mail with a forged From (R7): a refusal goes only to the registered address of
the person the message claims to be from, or to the reply address's own person, and quotes no
more than a short, clean Subject; by real SMTP, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
from fakes.delivery_world import CARLA_EMAIL
from test_email_replies import Desk, running

from core.i18n import render_notification
from core.services import users

FRAUD = "golpista@fraude.example"
VICTIM = "vitima@exemplo.org"


async def forged(w: Desk, from_: str, subject: str, text: str = "Oi.",
                 envelope_from: str = FRAUD,
                 files: list[tuple[str, bytes, str]] | None = None) -> None:
    """A message on Carla's reply address, From and Subject as the forger writes them."""
    mail = EmailMessage()
    mail["From"] = from_
    mail["To"] = w.reply_to()
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{time.monotonic_ns()}@fraude.example>"
    mail.set_content(text)
    for name, content, kind in files or []:
        main, sub = kind.split("/")
        mail.add_attachment(content, maintype=main, subtype=sub, filename=name)
    await aiosmtplib.send(mail, hostname="127.0.0.1", port=w.host.replies_port,
                          sender=envelope_from, recipients=[w.reply_to()], timeout=10)


def text_and_html(mail: EmailMessage) -> tuple[str, str]:
    return (str(mail.get_body(("plain",)).get_content()),
            str(mail.get_body(("html",)).get_content()))


def test_r7_a_forged_from_of_a_deactivated_person_gets_a_short_clean_subject_quoted(
        db_url: str, tmp_path: Path) -> None:
    """The refusal of a deactivated person quoted the whole Subject to the From: anyone forging
    Carla's From reflected their own long text and links to her, in the desk's name. It goes
    to her registered address only, quoting one line of at most 60 characters, links cut."""
    async def story(w: Desk) -> None:
        w.desk.call(users.deactivate, CARLA_EMAIL)
        subject = ("Seu boleto venceu: pague em https://golpe.example/pix?id=1 ou www.golpe.example"
                   " \u202eoãçnetA\u202c " + "urgente " * 40)
        await forged(w, f"Carla Souza <{CARLA_EMAIL}>", subject)
        (_, answer) = await w.mail_to(CARLA_EMAIL, 2)
        assert answer["Subject"] == render_notification("mail_reply.inactive", {}, "pt_BR")[0]
        text, html = text_and_html(answer)
        quoted = text.split("“")[1].split("”")[0]
        assert quoted == "Seu boleto venceu: pague em … ou … oãçnetA urgente urgente…"
        assert len(quoted) <= 60
        for page in (text, html):
            assert "golpe" not in page
            assert "\u202e" not in page
            assert "urgente " * 6 not in page
        assert w.smtp.to(FRAUD) == []

    running(db_url, tmp_path, story)


def test_r7_a_reply_from_an_unregistered_address_is_told_to_the_addresss_person_only(
        db_url: str, tmp_path: Path) -> None:
    """A From nobody registered on Carla's reply address (her personal mail, a colleague she
    forwarded to, or a forger naming a victim) was answered at that From: backscatter to
    whoever it names. Carla is told at her registered address, in her language; the From
    nothing, not even for a reply with a program among its files (that refusal named the
    ticket to the From)."""
    async def story(w: Desk) -> None:
        w.desk.call(users.set_language, CARLA_EMAIL, "en")
        await forged(w, f"Vítima <{VICTIM}>", "Re: oi", envelope_from=VICTIM)
        await forged(w, VICTIM, "Re: oi", files=[("setup.exe", b"MZ\x90\x00",
                                                 "application/x-msdownload")])
        answers = (await w.mail_to(CARLA_EMAIL, 3))[1:]
        assert [m["Subject"] for m in answers] == [
            render_notification("mail_reply.wrong_from_owner", {}, "en")[0]] * 2
        text, _ = text_and_html(answers[0])
        assert f"it came from {VICTIM}, which is not the address of your registration" in text
        assert str(w.ticket.number) not in text
        await asyncio.sleep(0.5)  # a refusal to the From would be out by now
        assert w.smtp.to(VICTIM) == []
        assert w.smtp.to(FRAUD) == []
        assert w.public() == []
        assert w.host.replies is not None
        assert w.host.replies.outcomes == {"wrong_from_owner": 2}

    running(db_url, tmp_path, story)
