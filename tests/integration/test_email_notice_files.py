"""A trâmite's files reach the customer's e-mail as attachments (R7), through a real SMTP server
(aiosmtpd) on loopback; those over the e-mail's total, or gone from FILES_DIR, are named in a
line instead."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path

from fakes.delivery_world import (
    CARLA_EMAIL,
    MAIL_FROM,
    RecordingSender,
    deliver_pending,
    open_ticket,
    pending,
    seed,
)
from fakes.smtp_server import FakeSMTP

from bots.blobs import blob_path, store_bytes
from bots.email import EmailSender
from bots.email_files import MAX_MAIL_FILES_BYTES
from bots.runtime import Desk
from bots.settings import Settings
from core.i18n import t
from core.models import Attachment
from core.services import tramites

PACOTE = b"PK\x03\x04 pacote de correcao 10125" * 40
PRINT = b"\x89PNG tela do erro" * 30


def tramite_mail(desk: Desk, files_dir: Path, files: list[Attachment],
                 smtp: FakeSMTP | None = None, timeout: float = 30) -> EmailMessage:
    """Ana answers Carla's ticket with the files; the e-mail Carla gets about it, sent through
    the live SMTP server by the real sender (given the desk and FILES_DIR; `timeout`: its
    SMTP commands' before a message's size, the product's 30 s unless a test is about it:
    at 5 s a loaded machine's server answered DATA late, the e-mail went again, and Carla
    got two)."""
    people = seed(desk, chat_id=None)
    ticket = open_ticket(desk, people.carla)
    desk.call(tramites.add_tramite, people.ana, ticket.id, "Segue o pacote de correção", files)
    smtp = smtp or FakeSMTP()

    async def story() -> None:
        await smtp.start()
        settings = Settings(_env_file=None, smtp_url=smtp.url,  # type: ignore[call-arg]
                            mail_from=MAIL_FROM)
        config = settings.smtp()
        assert config is not None
        sender = EmailSender(config, MAIL_FROM, timeout=timeout, desk=desk,
                             files_dir=str(files_dir))
        await deliver_pending(desk, {"email": sender, "slack": RecordingSender(),
                                     "telegram": RecordingSender()}, within=15)
        await smtp.stop()

    asyncio.run(story())
    assert pending(desk) == 0
    [mail] = [m for m in smtp.to(CARLA_EMAIL) if "Segue o pacote" in plain(m)]
    return mail


def plain(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html(mail: EmailMessage) -> str:
    part = mail.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def attached(mail: EmailMessage) -> list[tuple[str | None, str, bytes]]:
    """Each attachment's name, type and bytes, in order."""
    return [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
            for p in mail.iter_attachments()]


def test_r7_an_agents_files_reach_the_customers_email_as_attachments(
        desk: Desk, tmp_path: Path) -> None:
    """Ana's package and print are attached to Carla's e-mail about her answer, in order, with
    their bytes and types; before, the e-mail only named them."""
    files = [store_bytes(tmp_path, "pacote-10125.zip", PACOTE, "application/zip"),
             store_bytes(tmp_path, "tela.png", PRINT, "image/png")]
    mail = tramite_mail(desk, tmp_path, files)
    assert attached(mail) == [("pacote-10125.zip", "application/zip", PACOTE),
                              ("tela.png", "image/png", PRINT)]
    assert "Segue o pacote de correção" in html(mail)


def test_files_past_the_emails_total_and_one_gone_are_named_in_a_line(
        desk: Desk, tmp_path: Path) -> None:
    """A package and an XML that together pass the e-mail's total: the package and the small
    print are attached, the XML named as too big to attach; a file gone from FILES_DIR is
    named as no longer kept. The lines are in both parts, in the customer's language."""
    big = MAX_MAIL_FILES_BYTES // 2 + 1024
    pacote = b"P" * big
    xml = b"<nfe/>" + b" " * big
    gone = store_bytes(tmp_path, "antigo.pdf", b"%PDF-1.4 antigo", "application/pdf")
    blob_path(tmp_path, gone.sha256).unlink()
    files = [store_bytes(tmp_path, "pacote-10125.zip", pacote, "application/zip"),
             store_bytes(tmp_path, "nota-10125.xml", xml, "application/xml"),
             store_bytes(tmp_path, "tela.png", PRINT, "image/png"), gone]
    mail = tramite_mail(desk, tmp_path, files)
    assert [name for name, _, _ in attached(mail)] == ["pacote-10125.zip", "tela.png"]
    assert attached(mail)[0][2] == pacote
    too_big = t("email.files.too_big", "pt_BR", names="“nota-10125.xml”",
                max_mb=MAX_MAIL_FILES_BYTES >> 20)
    kept_not = t("email.files.gone", "pt_BR", names="“antigo.pdf”")
    for body in (plain(mail), html(mail)):
        assert too_big in body.replace("\r\n", "\n"), body
    assert kept_not in plain(mail).replace("\r\n", "\n")


def test_a_server_refusing_the_email_for_its_size_gets_it_without_the_files_named(
        desk: Desk, tmp_path: Path) -> None:
    """The customer's mail server takes at most 64 KB a message: the e-mail with Ana's
    package was refused for good (552) and Carla heard nothing of the answer. It goes again
    without the files, a line naming them as refused by the mail server."""
    pacote = b"P" * 100_000
    files = [store_bytes(tmp_path, "pacote-10125.zip", pacote, "application/zip"),
             store_bytes(tmp_path, "tela.png", PRINT, "image/png")]
    mail = tramite_mail(desk, tmp_path, files, FakeSMTP(data_size_limit=64 * 1024))
    assert attached(mail) == []
    refused = t("email.files.refused", "pt_BR", names="“pacote-10125.zip”, “tela.png”")
    for body in (plain(mail), html(mail)):
        assert refused in body.replace("\r\n", "\n"), body


def test_a_big_email_on_a_slow_link_is_given_the_time_its_size_needs(
        desk: Desk, tmp_path: Path) -> None:
    """The link to the mail server carries 1 MB a second: the e-mail with Ana's 1.5 MB
    package (2 MB once encoded) is answered 2 s after its DATA, past the SMTP command
    timeout (0.5 s here; 30 s by default, when an e-mail may now carry 15 MB of files): it
    timed out and was sent again and again, the server taking each copy. The timeout grows
    with the message's size: it is sent once."""
    pacote = bytes(range(256)) * 6144
    files = [store_bytes(tmp_path, "pacote-10125.zip", pacote, "application/zip")]
    smtp = FakeSMTP(link_rate=1024 * 1024)
    mail = tramite_mail(desk, tmp_path, files, smtp, timeout=0.5)
    assert attached(mail) == [("pacote-10125.zip", "application/zip", pacote)]
