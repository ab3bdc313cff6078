"""Replies by e-mail refused (R7), end to end: a real e-mail into the receiver, the refusal
e-mail out to its sender in their language, and nothing kept (no trâmite, no file on disk);
SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fakes.delivery_world import CARLA_EMAIL, awaiting_approval
from test_email_replies import PDF, REPLY_TO, Desk, running

from bots.blobs import MAX_FILE_BYTES
from bots.email_token import ReplyAddress
from core.i18n import render_notification
from core.models import Role, Ticket
from core.services import closing, users

SECRET = b"s3cr3t-of-the-test-desk"
PEDRO_EMAIL = "pedro@padaria.com.br"


def stored_files(tmp_path: Path) -> list[Path]:
    """The files kept on disk (blobs), the write probe aside."""
    return [p for p in (tmp_path / "files").rglob("*") if p.is_file()]


def text_of(mail: Any) -> str:
    return str(mail.get_body(("plain",)).get_content())


def test_r7_a_reply_to_another_companys_ticket_says_nothing_of_it(db_url: str, tmp_path: Path
                                                                    ) -> None:
    """Pedro, of another company, with a token signed for him on Carla's ticket (a forwarded
    e-mail, an old membership): refused in his language, the ticket never named."""
    async def story(w: Desk) -> None:
        w.desk.call(users.add_company, "Padaria Central")
        pedro = w.desk.call(users.add_user, name="Pedro Lima", email=PEDRO_EMAIL,
                            company_names=["Padaria Central"], role=Role.CUSTOMER,
                            language="en")
        to = ReplyAddress(REPLY_TO, SECRET).for_reply(w.ticket.id or 0, pedro.id)
        await w.send("Let me in.", to=to, sender=PEDRO_EMAIL,
                     files=[("nota.pdf", PDF, "application/pdf")])
        (answer,) = await w.mail_to(PEDRO_EMAIL)
        assert answer["Subject"] == render_notification("mail_reply.bad_token", {}, "en")[0]
        body = text_of(answer)
        assert "names no ticket" in body
        assert str(w.ticket.number) not in body
        assert w.ticket.assunto not in body
        assert answer["In-Reply-To"] is None
        assert w.public() == []
        assert stored_files(tmp_path) == []

    running(db_url, tmp_path, story)


def test_r7_a_reply_with_a_file_to_a_closed_ticket_is_refused_in_english(db_url: str,
                                                                          tmp_path: Path) -> None:
    def closed(desk: Any, people: Any) -> Ticket:
        desk.call(users.set_language, CARLA_EMAIL, "en")
        ticket = awaiting_approval(desk, people)
        return desk.call(closing.approve, people.carla, ticket.id)

    async def story(w: Desk) -> None:
        before = len(w.public())
        # her ticket's e-mails: registered, taken, awaiting approval (approving it
        # herself mails her nothing); waiting for a fourth waited the whole 10 s
        sent = len(await w.mail_to(CARLA_EMAIL, 3))
        assert sent == 3
        await w.send("It broke again, see the file.",
                     files=[("nota.pdf", PDF, "application/pdf")])
        answer = (await w.mail_to(CARLA_EMAIL, sent + 1))[-1]
        assert answer["Subject"] == f"[Ticket {w.ticket.number}] {w.ticket.assunto}"
        assert "it is closed and takes no new trâmites" in text_of(answer)
        assert len(w.public()) == before
        assert stored_files(tmp_path) == []

    running(db_url, tmp_path, story, prepare=closed)


def test_r7_a_reply_only_quoting_in_html_is_refused_as_empty_in_english(db_url: str,
                                                                         tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        w.desk.call(users.set_language, CARLA_EMAIL, "en")
        await w.send(html='<div dir="ltr"><br></div><div class="gmail_quote">On Mon … wrote:'
                          "<blockquote>Hello, Carla.</blockquote></div>")
        (_, answer) = await w.mail_to(CARLA_EMAIL, 2)
        assert answer["Subject"] == f"[Ticket {w.ticket.number}] {w.ticket.assunto}"
        assert "found no new text or attachment" in text_of(answer)
        assert w.public() == []

    running(db_url, tmp_path, story)


def test_r7_a_file_over_the_limit_refuses_the_reply_and_keeps_none_of_its_files(
        db_url: str, tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        big = b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES
        await w.send("Seguem a nota e o log.", files=[
            ("nota.pdf", PDF, "application/pdf"), ("log.pdf", big, "application/pdf")],
            timeout=60.0)  # some 28 MB in base64, read line by line
        (_, answer) = await w.mail_to(CARLA_EMAIL, 2, wait=60.0)
        assert answer["Subject"] == f"[Ticket {w.ticket.number}] {w.ticket.assunto}"
        assert "O arquivo log.pdf é grande demais: o máximo é 20 MB." in text_of(answer)
        assert w.public() == []
        assert stored_files(tmp_path) == []

    running(db_url, tmp_path, story)


def test_r4_a_program_refuses_the_reply_and_keeps_none_of_its_files(db_url: str,
                                                                    tmp_path: Path) -> None:
    """A customer's setup.exe by e-mail was kept on the ticket, as the chat's was (R4)."""
    async def story(w: Desk) -> None:
        await w.send("Segue o instalador que trava.", files=[
            ("nota.pdf", PDF, "application/pdf"),
            ("setup.exe", b"MZ\x90\x00", "application/x-msdownload")])
        (_, answer) = await w.mail_to(CARLA_EMAIL, 2)
        assert "setup.exe: por segurança, não recebo programas nem scripts" in text_of(answer)
        assert w.public() == []
        assert stored_files(tmp_path) == []

    running(db_url, tmp_path, story)


def test_r7_a_reply_over_the_text_limit_is_refused_saying_the_limit(db_url: str,
                                                                     tmp_path: Path) -> None:
    async def story(w: Desk) -> None:
        w.desk.call(users.set_language, CARLA_EMAIL, "en")
        await w.send("log line\n" * 3000)
        (_, answer) = await w.mail_to(CARLA_EMAIL, 2)
        assert "the maximum is 20000" in text_of(answer)
        assert w.public() == []

    running(db_url, tmp_path, story)


def test_r7_a_reply_from_someone_else_on_carlas_address_names_no_ticket_and_warns(
        db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Carla's e-mail forwarded to Pedro, who replies: he is told only that his address is
    not the one written to; the admin reads whose reply address it was."""
    async def story(w: Desk) -> None:
        w.desk.call(users.add_company, "Padaria Central")
        w.desk.call(users.add_user, name="Pedro Lima", email=PEDRO_EMAIL,
                    company_names=["Padaria Central"], role=Role.CUSTOMER, language="en")
        with caplog.at_level(logging.INFO, logger="bots.email_inbound"):
            await w.send("Forwarding this to you.", sender=PEDRO_EMAIL,
                         files=[("nota.pdf", PDF, "application/pdf")])
            (answer,) = await w.mail_to(PEDRO_EMAIL)
        assert answer["Subject"] == render_notification("mail_reply.wrong_from", {}, "en")[0]
        body = text_of(answer)
        assert PEDRO_EMAIL in body
        assert str(w.ticket.number) not in body
        assert w.ticket.assunto not in body
        assert answer["In-Reply-To"] is None
        assert answer["References"] is None
        assert w.public() == []
        assert stored_files(tmp_path) == []
        (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING
                      and r.name == "bots.email_inbound"]
        assert warning.getMessage() == (
            f"reply by e-mail from {PEDRO_EMAIL} on the reply address of user {w.carla} "
            f"(ticket id {w.ticket.id}): refused, its From is not theirs")

    running(db_url, tmp_path, story)


def test_r7_list_and_robot_mail_is_ignored_but_logged_and_counted(
        db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Never answered (no loop with a list or a robot), but the admin sees why it did not
    arrive: an INFO line with the reason, and the count in GET /healthz."""
    async def story(w: Desk) -> None:
        with caplog.at_level(logging.INFO, logger="bots.email_inbound"):
            await w.send("Via lista.", headers={"List-Id": "<suporte.mercado.com.br>"})
            await w.send("Em massa.", headers={"Precedence": "bulk"})
            await w.send("Lista antiga.", headers={"Precedence": "list"})
            await w.send("Robô.", headers={"Auto-Submitted": "auto-generated"})
            await w.send("Esta sim.")
        await asyncio.sleep(0.5)  # a refusal would be out by now
        assert len(w.smtp.to(CARLA_EMAIL)) == 1
        assert [e.text for e in w.public()] == ["Esta sim."]
        ignored = [r.getMessage() for r in caplog.records
                   if r.name == "bots.email_inbound" and "ignored" in r.getMessage()]
        assert [line.rpartition(": ")[2] for line in ignored] == [
            "list", "precedence bulk", "precedence list", "auto-submitted"]
        assert ignored[0].startswith(f"e-mail from {CARLA_EMAIL} to {w.reply_to()} ignored")
        async with aiohttp.ClientSession() as http, \
                http.get(f"{w.host.http_url}/healthz") as answer:
            health = await answer.json()
        assert health["replies_by_email"] == {
            "added": 1, "ignored: auto-submitted": 1, "ignored: list": 1,
            "ignored: precedence bulk": 1, "ignored: precedence list": 1}

    running(db_url, tmp_path, story)


def test_r7_a_reply_core_refuses_after_its_checks_leaves_no_file_behind(db_url: str,
                                                                          tmp_path: Path) -> None:
    """A reply with a file, its text over the limit: core refuses it only on adding it, after
    the files were stored; they stayed on disk, orphaned. A file another trâmite already
    keeps stays."""
    async def story(w: Desk) -> None:
        await w.send("Segue a nota.", files=[("nota.pdf", PDF, "application/pdf")])
        kept = stored_files(tmp_path)
        assert len(kept) == 1
        await w.send("log line\n" * 3000, files=[("nota.pdf", PDF, "application/pdf"),
                                                ("log.txt", b"erro 10125\n", "text/plain")])
        (_, answer) = await w.mail_to(CARLA_EMAIL, 2)
        assert "o máximo é 20000" in text_of(answer)
        assert [e.text for e in w.public()] == ["Segue a nota."]
        assert stored_files(tmp_path) == kept
        assert kept[0].read_bytes() == PDF

    running(db_url, tmp_path, story)
