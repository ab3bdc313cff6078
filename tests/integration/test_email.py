"""E-mail through a real SMTP server (aiosmtpd) on loopback: R5 registration, R7 trâmites."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from fakes.delivery_world import (
    CARLA_EMAIL,
    MAIL_FROM,
    RecordingSender,
    dispatcher,
    email_sender,
    open_ticket,
    pending,
    seed,
    through_smtp,
)
from fakes.smtp_server import FakeSMTP

from bots.delivery.results import Permanent, Sent, Transient
from bots.email import EmailSender, build_email
from bots.runtime import Desk
from core.i18n import t
from core.outbox import Channel, DeliveryStatus, OutboxMessage
from core.services import handling, tramites

ASSUNTO = "Nota fiscal não é emitida — ação urgente"


def plain(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html(mail: EmailMessage) -> str:
    part = mail.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def run_with_smtp(desk: Desk, actions) -> FakeSMTP:  # type: ignore[no-untyped-def]
    """Do the actions (sync, on the desk), then deliver everything through a live SMTP server."""
    actions()
    return through_smtp(desk)


def test_r5_registration_email_has_number_headers_both_parts_and_accents(desk: Desk) -> None:
    """On registration the requester gets an e-mail: number in the subject, pt-BR, text+HTML."""
    people = seed(desk)
    ticket = None

    def act() -> None:
        nonlocal ticket
        ticket = open_ticket(desk, people.carla, assunto=ASSUNTO)

    smtp = run_with_smtp(desk, act)
    assert ticket is not None
    (mail,) = smtp.to(CARLA_EMAIL)
    assert mail["Subject"] == f"[Ticket {ticket.number}] {ASSUNTO}"
    assert mail["From"] == MAIL_FROM
    assert mail["To"] == CARLA_EMAIL
    assert mail["Message-ID"] == f"<ticket-{ticket.id}@exemplo.com.br>"
    assert mail["In-Reply-To"] is None
    assert mail["Auto-Submitted"] == "auto-generated"
    assert parsedate_to_datetime(mail["Date"]).tzinfo is not None
    assert mail.get_content_type() == "multipart/alternative"
    assert ticket.number in plain(mail)
    assert ASSUNTO in plain(mail)
    assert ASSUNTO in html(mail)
    # A reply to the e-mail reaches no ticket: it says where to answer instead.
    assert plain(mail).replace("\r\n", "\n").rstrip().endswith(
        f"-- \n{t('email.footer_ticket', 'pt_BR', number=ticket.number)}")
    assert 'lang="pt-BR"' in html(mail)
    assert smtp.envelopes == [("suporte@exemplo.com.br", [CARLA_EMAIL])]


def test_r7_public_tramites_status_and_approval_are_emailed_in_the_ticket_thread(
        desk: Desk) -> None:
    """Every public trâmite, status change and approval request is mailed, threaded;
    internal notes never leave the team."""
    people = seed(desk)
    ticket = open_ticket(desk, people.carla, assunto=ASSUNTO)
    secret = "Cliente difícil: não comentar o desconto"
    reply = "Olá! Verifique a série da nota <b>1</b> & reenvie, por favor."

    def act() -> None:
        desk.call(handling.take, people.ana, ticket.id)
        desk.call(tramites.add_internal_note, people.ana, ticket.id, secret)
        desk.call(tramites.add_tramite, people.ana, ticket.id, reply)
        from core.services import closing

        desk.call(closing.request_approval, people.ana, ticket.id, "Série corrigida: ação feita.",
                  origin_id="erro_sistema")

    smtp = run_with_smtp(desk, act)
    mails = smtp.to(CARLA_EMAIL)
    assert len(mails) == 4  # registration, taken (status), trâmite, approval request
    root = f"<ticket-{ticket.id}@exemplo.com.br>"
    assert mails[0]["Message-ID"] == root
    for mail in mails[1:]:
        assert mail["In-Reply-To"] == root
        assert mail["References"] == root
        assert mail["Message-ID"] != root
    for mail in mails[:3]:
        assert mail["Subject"] == f"[Ticket {ticket.number}] {ASSUNTO}"
    assert mails[3]["Subject"] == f"[Ticket {ticket.number}] Aguardando sua aprovação: {ASSUNTO}"
    ids = [m["Message-ID"] for m in mails]
    assert len(set(ids)) == len(ids)
    tramite = mails[2]
    assert reply in plain(tramite)
    assert "&lt;b&gt;1&lt;/b&gt; &amp; reenvie" in html(tramite)
    assert "<b>1</b>" not in html(tramite)
    assert "Série corrigida: ação feita." in plain(mails[3])
    for mail in smtp.messages:
        assert secret not in plain(mail)


def test_r5_email_does_not_start_tls_unless_asked() -> None:
    """A server offering STARTTLS: plain smtp:// sends in clear, ?starttls=1 tries the upgrade."""
    msg = OutboxMessage(id=1, channel=Channel.EMAIL, target=CARLA_EMAIL, kind="ticket.registered",
                        ticket_id=9, params={"number": "202611/0001", "assunto": "Ação"},
                        created_at=datetime.now(UTC))

    async def story() -> tuple[object, object]:
        smtp = FakeSMTP(advertise_starttls=True)
        await smtp.start()
        try:
            plain_result = await email_sender(smtp).send(msg)
            tls_result = await email_sender(smtp, f"{smtp.url}?starttls=1").send(msg)
        finally:
            await smtp.stop()
        return plain_result, tls_result

    plain_result, tls_result = asyncio.run(story())
    assert isinstance(plain_result, Sent)
    assert isinstance(tls_result, Transient)


def test_r5_refused_address_is_permanent_and_a_closed_server_transient() -> None:
    """550 on RCPT: permanent (the address bounces); no server: try again later."""
    msg = OutboxMessage(id=2, channel=Channel.EMAIL, target="ninguem@mercado.com.br",
                        kind="ticket.registered", ticket_id=9,
                        params={"number": "202611/0001", "assunto": "Ação"},
                        created_at=datetime.now(UTC))

    async def story() -> tuple[object, object]:
        smtp = FakeSMTP(reject={"ninguem@mercado.com.br"})
        await smtp.start()
        sender = email_sender(smtp)
        refused = await sender.send(msg)
        await smtp.stop()
        down = await sender.send(msg)
        return refused, down

    refused, down = asyncio.run(story())
    assert isinstance(refused, Permanent)
    assert refused.unreachable
    assert isinstance(down, Transient)


def test_a_refused_address_s_reason_is_in_the_desk_s_language() -> None:
    """'endereço recusado: …' was Portuguese whatever LANGUAGE said; operators read it in
    `helpdesk outbox status` and agents on the ticket."""
    english, _ = send_once(MAIL_FROM, "ninguem@mercado.com.br", smtputf8=False, language="en",
                           reject={"ninguem@mercado.com.br"})
    assert english == Permanent("address refused: 5.1.1 Mailbox unavailable", unreachable=True)
    portuguese, _ = send_once(MAIL_FROM, "ninguem@mercado.com.br", smtputf8=False,
                              reject={"ninguem@mercado.com.br"})
    assert portuguese == Permanent("endereço recusado: 5.1.1 Mailbox unavailable",
                                   unreachable=True)


def test_r7_r19_an_agent_s_markdown_is_formatted_in_the_html_part_and_words_in_the_text(
        desk: Desk) -> None:
    """The HTML part shows what the agent meant (bold, code, a list, a link, a code block),
    every word escaped; the text part reads as words (235a44e, eec02d0)."""
    people = seed(desk)
    ticket = open_ticket(desk, people.carla, assunto="Nota <10125> & rejeição")
    typed = ("**Atenção**: rode `nfe --check` & veja [o manual](https://ex.com/nfe?a=1&b=2)."
             "\n- um <b>\n- dois\n```\nif a < b:\n    pass\n```")

    def act() -> None:
        desk.call(handling.take, people.ana, ticket.id)
        desk.call(tramites.add_tramite, people.ana, ticket.id, typed)
        from core.services import closing

        desk.call(closing.request_approval, people.ana, ticket.id, "Use **2026.11**.",
                  origin_id="erro_sistema")

    mails = run_with_smtp(desk, act).to(CARLA_EMAIL)
    tramite, approval = mails[2], mails[3]
    body = html(tramite).replace("\r\n", "\n")
    assert ("<strong>Atenção</strong>: rode <code>nfe --check</code> &amp; veja "
            '<a href="https://ex.com/nfe?a=1&amp;b=2">o manual</a>.') in body
    assert "<ul>\n<li>um &lt;b&gt;</li>\n<li>dois</li>\n</ul>" in body
    assert "<pre>if a &lt; b:\n    pass</pre>" in body
    assert "Nota &lt;10125&gt; &amp; rejeição" in body
    assert "**" not in body
    assert "Atenção: rode nfe --check & veja o manual (https://ex.com/nfe?a=1&b=2).\n• um <b>" \
        in plain(tramite).replace("\r\n", "\n")
    assert "<strong>2026.11</strong>" in html(approval)
    assert "Use 2026.11." in plain(approval)


def test_r7_an_agent_s_nested_list_keeps_its_nesting_in_the_html_part_and_the_text(
        desk: Desk) -> None:
    """A list inside a list, as agents write steps ('- Fiscal' then '  - NF-e'), was one flat
    <ul> in the HTML part (NF-e read as a sibling of Fiscal); now each level is a <ul> inside
    its item, and the text part keeps the indentation."""
    people = seed(desk)
    ticket = open_ticket(desk, people.carla)
    typed = ("Confira:\n- Fiscal\n  - NF-e <55>\n    - rode `nfe --check`\n  - NFC-e\n"
             "- Estoque\n\nDepois avise.")

    def act() -> None:
        desk.call(handling.take, people.ana, ticket.id)
        desk.call(tramites.add_tramite, people.ana, ticket.id, typed)

    [mail] = [m for m in run_with_smtp(desk, act).to(CARLA_EMAIL) if "Confira" in plain(m)]
    body = html(mail).replace("\r\n", "\n")
    assert ("<p>Confira:</p>\n<ul>\n<li>Fiscal\n<ul>\n<li>NF-e &lt;55&gt;\n<ul>\n"
            "<li>rode <code>nfe --check</code></li>\n</ul>\n</li>\n<li>NFC-e</li>\n</ul>\n"
            "</li>\n<li>Estoque</li>\n</ul>\n<p>Depois avise.</p>") in body
    assert ("Confira:\n• Fiscal\n  • NF-e <55>\n    • rode nfe --check\n  • NFC-e\n"
            "• Estoque\n\nDepois avise.") in plain(mail).replace("\r\n", "\n")


def test_r7_html_part_escapes_user_text_and_keeps_lines() -> None:
    """User text is escaped in the HTML part; line breaks survive; the text part is verbatim."""
    msg = OutboxMessage(id=3, channel=Channel.EMAIL, target=CARLA_EMAIL, kind="ticket.tramite",
                        ticket_id=4, params={"number": "202611/0002", "assunto": "<script>x",
                                             "author": "Ana", "text": "linha 1\nlinha <2>"},
                        created_at=datetime.now(UTC))
    mail = build_email(msg, MAIL_FROM)
    assert "linha 1\nlinha <2>" in plain(mail)
    body = html(mail)
    assert "linha 1<br>\nlinha &lt;2&gt;" in body
    assert "<script>" not in body
    assert mail["Message-ID"] == "<ticket-4-3@exemplo.com.br>"


def test_r7_addresses_in_an_answer_are_links_in_the_html_part_and_its_language_is_set() -> None:
    msg = OutboxMessage(id=5, channel=Channel.EMAIL, target=CARLA_EMAIL, kind="ticket.tramite",
                        ticket_id=4, params={"number": "202611/0002", "assunto": "NF-e",
                                             "author": "Ana", "language": "en",
                                             "text": "Veja https://sefaz.exemplo.gov.br/a?uf=PR&t=1."
                                                     " <https://evil.example\">x</a>"},
                        created_at=datetime.now(UTC))
    body = html(build_email(msg, MAIL_FROM))
    assert '<html lang="en">' in body
    assert ('Veja <a href="https://sefaz.exemplo.gov.br/a?uf=PR&amp;t=1">'
            "https://sefaz.exemplo.gov.br/a?uf=PR&amp;t=1</a>.") in body
    assert "&quot;&gt;x&lt;/a&gt;" in body  # typed markup stays text, outside any link
    assert body.count("<a href=") == 2


def test_a_sender_domain_written_with_accents_reaches_a_server_without_smtputf8() -> None:
    """MAIL_FROM=suporte@empresá.com.br (an accented .br domain, taken as an address since
    c5bed7a) was refused by every server without SMTPUTF8, each e-mail retried until given up:
    the domain now goes in its IDNA form, the same mailbox; the name stays as written."""
    sender = "Suporte Empresá <suporte@empresá.com.br>"
    msg = OutboxMessage(id=7, channel=Channel.EMAIL, target=CARLA_EMAIL, kind="ticket.registered",
                        ticket_id=9, params={"number": "202611/0001", "assunto": "Ação"},
                        created_at=datetime.now(UTC))

    async def story() -> tuple[object, FakeSMTP]:
        smtp = FakeSMTP()
        await smtp.start()
        try:
            config = email_sender(smtp).config
            return await EmailSender(config, sender, timeout=5).send(msg), smtp
        finally:
            await smtp.stop()

    result, smtp = asyncio.run(story())
    assert isinstance(result, Sent), result
    (mail,) = smtp.to(CARLA_EMAIL)
    assert mail["From"].addresses[0].display_name == "Suporte Empresá"
    assert mail["From"].addresses[0].addr_spec == "suporte@xn--empres-uta.com.br"
    assert mail["Message-ID"] == "<ticket-9@xn--empres-uta.com.br>"
    assert smtp.envelopes == [("suporte@xn--empres-uta.com.br", [CARLA_EMAIL])]


def send_once(sender: str, target: str, *, smtputf8: bool, language: str = "pt_BR",
              reject: set[str] | None = None) -> tuple[object, FakeSMTP]:
    """One e-mail from `sender` to `target` through a server with or without SMTPUTF8."""
    msg = OutboxMessage(id=8, channel=Channel.EMAIL, target=target, kind="ticket.registered",
                        ticket_id=9, params={"number": "202611/0001", "assunto": "Ação"},
                        created_at=datetime.now(UTC))

    async def story() -> tuple[object, FakeSMTP]:
        smtp = FakeSMTP(smtputf8=smtputf8, reject=reject or set())
        await smtp.start()
        try:
            config = email_sender(smtp).config
            return await EmailSender(config, sender, timeout=5, language=language).send(msg), smtp
        finally:
            await smtp.stop()

    return asyncio.run(story())


def test_an_accented_sender_local_part_without_smtputf8_fails_for_good_and_says_why() -> None:
    """MAIL_FROM=sú@empresa.com.br (no ASCII form, unlike an accented domain) was retried as
    transient until given up on servers without SMTPUTF8: now permanent, naming MAIL_FROM."""
    result, smtp = send_once("Suporte <sú@empresa.com.br>", CARLA_EMAIL, smtputf8=False)
    assert result == Permanent(
        "o servidor SMTP não oferece SMTPUTF8 e MAIL_FROM (Suporte <sú@empresa.com.br>) tem "
        "letras fora do ASCII antes do @: nenhum e-mail sai assim; use em MAIL_FROM um endereço "
        "com letras sem acento antes do @ (ex.: suporte@empresa.com.br) ou um servidor com "
        "SMTPUTF8")
    assert smtp.messages == []
    english, _ = send_once("sú@empresa.com.br", CARLA_EMAIL, smtputf8=False, language="en")
    assert isinstance(english, Permanent)
    assert english.error.startswith("the SMTP server does not offer SMTPUTF8 and MAIL_FROM "
                                    "(sú@empresa.com.br) has letters beyond ASCII before the @")


def test_an_accented_sender_local_part_goes_out_through_a_server_with_smtputf8() -> None:
    result, smtp = send_once("Suporte <sú@empresa.com.br>", CARLA_EMAIL, smtputf8=True)
    assert isinstance(result, Sent), result
    assert smtp.envelopes == [("sú@empresa.com.br", [CARLA_EMAIL])]
    (mail,) = smtp.to(CARLA_EMAIL)
    assert mail["From"].addresses[0].addr_spec == "sú@empresa.com.br"



def test_a_recipient_with_letters_beyond_ascii_before_the_at_goes_through_smtputf8() -> None:
    """joão@exemplo.com.br never reached the server: the e-mail failed to build ('mensagem
    inválida: local-part contains non-ASCII characters'), whatever the server offered."""
    result, smtp = send_once("suporte@empresa.com.br", "joão@exemplo.com.br", smtputf8=True)
    assert isinstance(result, Sent), result
    assert smtp.envelopes == [("suporte@empresa.com.br", ["joão@exemplo.com.br"])]
    (mail,) = smtp.to("joão@exemplo.com.br")
    assert mail["To"].addresses[0].addr_spec == "joão@exemplo.com.br"


def test_a_recipient_beyond_ascii_without_smtputf8_fails_for_good_and_says_why() -> None:
    """A server without SMTPUTF8 cannot take that mailbox: permanent, the customer marked
    unreachable by e-mail (the agents see it on the ticket), in the desk's language."""
    result, smtp = send_once("suporte@empresa.com.br", "joão@exemplo.com.br", smtputf8=False)
    assert result == Permanent(
        "o servidor SMTP não oferece SMTPUTF8 e o endereço joão@exemplo.com.br tem letras fora "
        "do ASCII antes do @: este e-mail não sai por este servidor", unreachable=True)
    assert smtp.messages == []
    english, _ = send_once("suporte@empresa.com.br", "joão@exemplo.com.br", smtputf8=False,
                           language="en")
    assert english == Permanent(
        "the SMTP server does not offer SMTPUTF8 and the address joão@exemplo.com.br has letters "
        "beyond ASCII before the @: this e-mail cannot go out through this server",
        unreachable=True)


def test_a_recipient_that_is_not_one_mailbox_is_still_refused() -> None:
    result, smtp = send_once("suporte@empresa.com.br", "joão@exemplo.com.br, x@mal.example",
                             smtputf8=True)
    assert isinstance(result, Permanent)
    assert result.error.startswith("mensagem inválida: ")
    assert smtp.messages == []
    english, _ = send_once("suporte@empresa.com.br", "joão@exemplo.com.br, x@mal.example",
                           smtputf8=True, language="en")
    assert isinstance(english, Permanent)
    assert english.error.startswith("invalid message: not one mailbox: "), english.error


def test_a_recipient_domain_written_with_accents_reaches_a_server_without_smtputf8() -> None:
    """carla@empresá.com.br needed SMTPUTF8 as written (retried until given up without it):
    its domain goes in IDNA form, the same mailbox, as MAIL_FROM's does."""
    result, smtp = send_once("suporte@empresa.com.br", "carla@empresá.com.br", smtputf8=False)
    assert isinstance(result, Sent), result
    assert smtp.envelopes == [("suporte@empresa.com.br", ["carla@xn--empres-uta.com.br"])]


def test_r5_an_email_the_server_took_is_sent_once_though_its_quit_is_answered_late(
        desk: Desk) -> None:
    """The server took Carla's registration e-mail (DATA answered 250) and was slow to answer
    the QUIT that ends the session: the dispatcher cut the send at its deadline there, took
    it for a failure and sent the e-mail again, as many times as the QUIT was slow: Carla got
    it twice or more. An e-mail the server took is sent: the QUIT is waited for no longer than
    the send's deadline (SEND_DEADLINE), its answer changes nothing."""
    people = seed(desk, chat_id=None)

    async def story() -> None:
        smtp = FakeSMTP(quit_answered=asyncio.Event())
        await smtp.start()
        running = dispatcher(desk, {"email": email_sender(smtp), "slack": RecordingSender()},
                             send_timeout=3.0)  # room for a loaded machine
        await running.start()
        try:
            await desk.run_sync(open_ticket, desk, people.carla)
            while pending(desk) and len(smtp.to(CARLA_EMAIL)) < 2:
                await asyncio.sleep(0.05)
            assert smtp.quits >= 1  # the session got as far as its QUIT
        finally:
            await running.stop()
            smtp.quit_answered.set()  # type: ignore[union-attr]
            await smtp.stop()
        assert len(smtp.to(CARLA_EMAIL)) == 1
        with desk.store() as uow:
            [row] = [m for m in uow.outbox.all() if m.target == CARLA_EMAIL]
        assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)

    asyncio.run(asyncio.wait_for(story(), 60))
