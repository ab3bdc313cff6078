"""Replies by e-mail (R7): real e-mails sent with aiosmtplib to the receiver `helpdesk run`
starts (MAIL_INBOUND_LISTEN on 127.0.0.1), the product's own e-mails (the ticket's, with its
Reply-To, and the refusals) caught by a loopback SMTP server; SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest
from fakes.delivery_world import CARLA_EMAIL, MAIL_FROM, awaiting_approval, open_ticket, seed
from fakes.smtp_server import FakeSMTP

from bots.app import Host
from bots.blobs import blob_path
from bots.bootstrap import bootstrap
from bots.settings import Settings
from core.i18n import render_notification, t
from core.models import Entry, EntryKind, Ticket
from core.services import closing, users

REPLY_TO = "suporte@exemplo.com.br"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_TEXT = "Atualizei para a 2026.11 e a nota 10125 saiu.\nObrigada!"
QUOTED = (f"{NEW_TEXT}\n\n-- \nCarla Souza\nMercado Exemplo\n\n"
          "Em seg., 7 de dez. de 2026 às 09:00, Suporte Exemplo <suporte@exemplo.com.br>\n"
          "escreveu:\n> Olá, Carla.\n> Veja a solução do ticket.\n")


class Desk:
    """The running product: its host, the sink its e-mails go to, the seeded people; `other`,
    a second instance on the same database."""

    def __init__(self, host: Host, smtp: FakeSMTP, ticket: Ticket, carla: int,
                 other: Host | None = None) -> None:
        self.host, self.smtp, self.ticket, self.carla = host, smtp, ticket, carla
        self.other = other

    @property
    def desk(self) -> Any:
        return self.host.desk

    def reply_to(self) -> str:
        """The Reply-To of the ticket's registration e-mail, as Carla received it."""
        (first, *_) = self.smtp.to(CARLA_EMAIL)
        return str(first["Reply-To"])

    async def send(self, text: str | None = None, *, to: str | None = None,
                   sender: str = CARLA_EMAIL, envelope_from: str | None = None,
                   message_id: str | None = None, headers: dict[str, str] | None = None,
                   html: str | None = None,
                   files: list[tuple[str, bytes, str]] | None = None,
                   via: Host | None = None, timeout: float = 10.0,
                   tls: ssl.SSLContext | None = None) -> None:
        mail = EmailMessage()
        mail["From"] = f"Carla Souza <{sender}>"
        mail["To"] = to or self.reply_to()
        mail["Subject"] = f"Re: [Ticket {self.ticket.number}] {self.ticket.assunto}"
        mail["Message-ID"] = message_id or f"<{time.monotonic_ns()}@mercado.com.br>"
        mail["In-Reply-To"] = f"<ticket-{self.ticket.id}@exemplo.com.br>"
        for name, value in (headers or {}).items():
            mail[name] = value
        if text is not None:
            mail.set_content(text)
        if html is not None:
            mail.add_alternative(html, subtype="html") if text is not None \
                else mail.set_content(html, subtype="html")
        for name, content, kind in files or []:
            main, sub = kind.split("/")
            mail.add_attachment(content, maintype=main, subtype=sub, filename=name)
        await aiosmtplib.send(mail, hostname="127.0.0.1", port=(via or self.host).replies_port,
                              sender=sender if envelope_from is None else envelope_from,
                              recipients=[str(mail["To"])], timeout=timeout,
                              start_tls=tls is not None, tls_context=tls)

    def entries(self, ticket_id: int | None = None) -> list[Entry]:
        return self.desk.call(lambda ctx: ctx.uow.entries.list(
            ticket_id or self.ticket.id, include_internal=True))

    def public(self, ticket_id: int | None = None) -> list[Entry]:
        return [e for e in self.entries(ticket_id) if e.kind == EntryKind.PUBLIC]

    async def mail_to(self, address: str, count: int = 1, wait: float = 10.0
                      ) -> list[EmailMessage]:
        """The e-mails to an address, once `count` of them arrived."""
        until = time.monotonic() + wait
        while len(self.smtp.to(address)) < count and time.monotonic() < until:
            await asyncio.sleep(0.05)
        return self.smtp.to(address)


def running(db_url: str, tmp_path: Path, story: Callable[[Desk], Awaitable[None]],
            prepare: Callable[[Any, Any], Ticket] | None = None, instances: int = 1,
            more: dict[str, Any] | None = None) -> None:
    """Start `helpdesk run` with replies by e-mail on (`instances` of it on the database,
    `more` settings), open Carla's ticket, tell the story."""
    smtp = FakeSMTP()

    async def main() -> None:
        await smtp.start()
        settings = Settings(_env_file=None, **{  # type: ignore[arg-type]
            "database_url": db_url, "http_host": "127.0.0.1", "http_port": 0,
            "sweep_interval_seconds": 3600, "smtp_url": smtp.url, "mail_from": MAIL_FROM,
            "mail_reply_to": REPLY_TO, "mail_reply_secret": "s3cr3t-of-the-test-desk",
            "mail_inbound_listen": "127.0.0.1:0", "files_dir": str(tmp_path / "files"),
            "outbox_poll_seconds": 0.05, **(more or {})})
        containers = [bootstrap(settings) for _ in range(instances)]
        hosts = [Host(container, channels=[]) for container in containers]
        try:
            for host in hosts:
                await host.start()
            host = hosts[0]
            people = seed(host.desk, chat_id=None)
            ticket = (prepare or (lambda d, p: open_ticket(d, p.carla)))(host.desk, people)
            host.wake_outbox()
            world = Desk(host, smtp, ticket, people.carla, hosts[-1])
            await world.mail_to(CARLA_EMAIL)
            await story(world)
        finally:
            for host in hosts:
                await host.stop()
            for container in containers:
                container.close()
            await smtp.stop()

    asyncio.run(main())


def test_r7_a_reply_with_quoted_history_adds_only_its_new_text(db_url: str, tmp_path: Path
                                                                 ) -> None:
    async def story(w: Desk) -> None:
        assert w.reply_to().startswith("suporte+")
        await w.send(QUOTED)
        (entry,) = w.public()
        assert entry.text == NEW_TEXT
        assert entry.author_id == w.carla
        assert len(w.smtp.to(CARLA_EMAIL)) == 1  # her own trâmite is not mailed back to her

    running(db_url, tmp_path, story)


def test_r7_an_html_only_reply_adds_its_text_without_the_gmail_quote(db_url: str,
                                                                      tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        await w.send(html='<div dir="ltr">Ainda <b>não</b> saiu.<br>Segue o erro.</div>'
                          '<div class="gmail_quote">Em seg. … escreveu:<blockquote>'
                          "Olá, Carla.</blockquote></div>")
        (entry,) = w.public()
        assert entry.text == "Ainda não saiu.\nSegue o erro."

    running(db_url, tmp_path, story)


def test_r7_a_reply_with_a_pdf_keeps_the_file_on_the_trâmite(db_url: str, tmp_path: Path
                                                               ) -> None:
    async def story(w: Desk) -> None:
        await w.send("Segue a nota rejeitada.\n\n> citação",
                     files=[("nota 10125.pdf", PDF, "application/pdf")])
        (entry,) = w.public()
        assert entry.text == "Segue a nota rejeitada."
        (pdf,) = entry.attachments
        assert (pdf.filename, pdf.content_type, pdf.size) == (
            "nota 10125.pdf", "application/pdf", len(PDF))
        assert blob_path(tmp_path / "files", pdf.sha256).read_bytes() == PDF

    running(db_url, tmp_path, story)


def test_r7_a_forged_token_is_answered_and_adds_nothing(db_url: str, tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        real = w.reply_to()
        ticket, user, mac = real.partition("+")[2].partition("@")[0].split("-")
        for forged in (f"suporte+{int(ticket) + 1}-{user}-{mac}@exemplo.com.br",
                       f"suporte+{ticket}-{user}-{'a' * len(mac)}@exemplo.com.br"):
            await w.send("Quero ver outro ticket.", to=forged)
        answers = await w.mail_to(CARLA_EMAIL, 3)
        subject = render_notification("mail_reply.bad_token", {}, "pt_BR")[0]
        assert [m["Subject"] for m in answers[1:]] == [subject, subject]
        assert w.public() == []
        assert answers[1]["Auto-Submitted"] == "auto-generated"
        assert answers[1]["Reply-To"] is None

    running(db_url, tmp_path, story)


def test_r7_a_reply_from_another_address_is_refused(db_url: str, tmp_path: Path) -> None:
    """Told to Carla at her registered address, not to the other one (nobody registered it:
    a From is easily forged)."""
    async def story(w: Desk) -> None:
        await w.send("Sou eu, de outro e-mail.", sender="carla.pessoal@gmail.com")
        (_, answer) = await w.mail_to(CARLA_EMAIL, 2)
        assert answer["Subject"] == render_notification(
            "mail_reply.wrong_from_owner", {}, "pt_BR")[0]
        assert "veio de carla.pessoal@gmail.com, que não é o endereço do seu cadastro" in str(
            answer.get_body(("plain",)).get_content())
        assert w.smtp.to("carla.pessoal@gmail.com") == []
        assert w.public() == []
        await w.send("Agora do meu.", sender=CARLA_EMAIL.upper())  # case does not matter
        assert [e.text for e in w.public()] == ["Agora do meu."]

    running(db_url, tmp_path, story)


def test_r7_a_reply_to_a_closed_ticket_says_to_open_a_new_one(db_url: str, tmp_path: Path
                                                                ) -> None:
    def closed(desk: Any, people: Any) -> Ticket:
        ticket = awaiting_approval(desk, people)
        return desk.call(closing.approve, people.carla, ticket.id)

    async def story(w: Desk) -> None:
        before = len(w.public())
        # her ticket's e-mails: registered, taken, awaiting approval (approving it
        # herself mails her nothing); waiting for a fourth waited the whole 10 s
        sent = len(await w.mail_to(CARLA_EMAIL, 3))
        assert sent == 3
        await w.send("Voltou a dar erro.")
        answers = await w.mail_to(CARLA_EMAIL, sent + 1)
        answer = answers[-1]
        text = str(answer.get_body(("plain",)).get_content())
        assert answer["Subject"] == f"[Ticket {w.ticket.number}] {w.ticket.assunto}"
        assert answer["In-Reply-To"] == f"<ticket-{w.ticket.id}@exemplo.com.br>"
        assert "abra um novo ticket" in text
        assert len(w.public()) == before

    running(db_url, tmp_path, story, prepare=closed)


def test_r7_an_empty_reply_and_a_deactivated_user_are_answered(db_url: str, tmp_path: Path
                                                                ) -> None:
    async def story(w: Desk) -> None:
        await w.send("> só a citação\n> de novo")
        (_, empty) = await w.mail_to(CARLA_EMAIL, 2)
        assert "nenhum texto novo" in str(empty.get_body(("plain",)).get_content())
        w.desk.call(users.deactivate, CARLA_EMAIL)
        await w.send("Ainda estou aqui.")
        answers = await w.mail_to(CARLA_EMAIL, 3)
        assert answers[-1]["Subject"] == render_notification(
            "mail_reply.inactive", {}, "pt_BR")[0]
        assert w.public() == []

    running(db_url, tmp_path, story)


def test_r7_auto_replies_and_bounces_are_never_answered(db_url: str, tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        await w.send("Estou de férias até dia 20.", headers={"Auto-Submitted": "auto-replied"})
        await w.send("Out of office", headers={"Precedence": "auto_reply"})
        await w.send("Undeliverable", envelope_from="")
        await w.send("Eco", sender="suporte@exemplo.com.br")
        await asyncio.sleep(1.0)  # the dispatcher polls every 0.05 s: a refusal would be out
        assert len(w.smtp.to(CARLA_EMAIL)) == 1
        assert w.smtp.to("suporte@exemplo.com.br") == []
        assert w.public() == []

    running(db_url, tmp_path, story)


def test_r7_the_same_message_id_twice_adds_one_trâmite(db_url: str, tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        same = "<reenviada-1@mercado.com.br>"
        await asyncio.gather(*(w.send("Só uma vez.", message_id=same) for _ in range(3)))
        await w.send("Só uma vez.", message_id=same)
        assert [e.text for e in w.public()] == ["Só uma vez."]

    running(db_url, tmp_path, story)


def test_a_reply_address_not_ours_is_refused_in_the_smtp_session(db_url: str, tmp_path: Path
                                                                  ) -> None:
    async def story(w: Desk) -> None:
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
            await w.send("relay?", to="alguem@outro.com.br")
        assert refused.value.recipients[0].code == 550

    running(db_url, tmp_path, story)




def test_r7_the_same_reply_delivered_to_two_instances_adds_one_trâmite(db_url: str,
                                                                        tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        assert w.other is not None
        assert w.other.replies_port != w.host.replies_port
        same = "<duas-vezes@mercado.com.br>"
        await asyncio.gather(*(w.send("Entregue a duas instâncias.", message_id=same, via=via)
                               for via in (w.host, w.other, w.host, w.other)))
        assert [e.text for e in w.public()] == ["Entregue a duas instâncias."]

    running(db_url, tmp_path, story, instances=2)


def test_r7_refusals_to_one_sender_stop_after_three_an_hour(db_url: str, tmp_path: Path
                                                              ) -> None:
    """An autoresponder that marks nothing automatic, answering each refusal, loops no more."""
    async def story(w: Desk) -> None:
        for n in range(5):
            await w.send(f"Resposta automática {n}", to="suporte+1-1-aaaaaaaaaaaaa@exemplo.com.br")
        await asyncio.sleep(1.0)
        assert len(await w.mail_to(CARLA_EMAIL, 6, wait=1.0)) == 1 + 3
        assert w.public() == []

    running(db_url, tmp_path, story)


def test_r7_the_registration_mail_invites_the_reply_in_its_footer(db_url: str, tmp_path: Path
                                                                   ) -> None:
    async def story(w: Desk) -> None:
        (first,) = w.smtp.to(CARLA_EMAIL)
        text = str(first.get_body(("plain",)).get_content()).replace("\r\n", "\n")
        assert text.rstrip().endswith(
            t("email.footer_ticket_reply", "pt_BR", number=w.ticket.number))

    running(db_url, tmp_path, story)


def test_a_mail_inbound_listen_port_taken_stops_the_start_in_the_desks_language(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    from test_run_start import start_once

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = start_once(new_db_url("sqlite"), language="en", files_dir=str(tmp_path / "f"),
                          mail_reply_to=REPLY_TO, mail_reply_secret="s" * 16,
                          mail_inbound_listen=f"127.0.0.1:{port}")
    assert line == (f"error: could not receive e-mail at 127.0.0.1:{port} "
                    "(MAIL_INBOUND_LISTEN): already in use by another program")
