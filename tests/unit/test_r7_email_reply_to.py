"""MAIL_REPLY_TO (R7): a requester's ticket e-mail carries a signed Reply-To naming the ticket
and the person, and its footer invites the reply; without the setting nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.email import EmailSender, build_email
from bots.email_token import ReplyAddress
from bots.settings import Settings, SettingsRefused, SmtpConfig
from core.i18n import t
from core.outbox import REPLY_USER, Channel, OutboxMessage

REPLIES = ReplyAddress("suporte@totall.com.br", b"0123456789abcdef-secret")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def notice(**params: object) -> OutboxMessage:
    return OutboxMessage(id=7, channel=Channel.EMAIL, target="carla@mercado.com.br",
                         kind="ticket.tramite", ticket_id=42, created_at=NOW,
                         params={"number": "202612/0042", "assunto": "Nota", "author": "Ana",
                                 "text": "Veja.", "files": [], **params})


def sent_by(replies: ReplyAddress | None, msg: OutboxMessage):  # type: ignore[no-untyped-def]
    sender = EmailSender(SmtpConfig("127.0.0.1", 25, None, None), "suporte@totall.com.br",
                         replies=replies)
    return build_email(msg, sender.mail_from, reply_to=sender._reply_to(msg))


def plain(mail) -> str:  # type: ignore[no-untyped-def]
    return str(mail.get_body(("plain",)).get_content()).replace("\r\n", "\n")


def test_r7_requester_mail_carries_the_signed_reply_to_and_the_footer_invites_a_reply() -> None:
    mail = sent_by(REPLIES, notice(**{REPLY_USER: 5}))
    token = REPLIES.token(42, 5)
    assert mail["Reply-To"] == f"suporte+{token}@totall.com.br"
    assert token == token.lower()
    assert len(token) <= 24
    assert plain(mail).rstrip().endswith(
        t("email.footer_ticket_reply", "pt_BR", number="202612/0042"))


def test_r7_without_mail_reply_to_no_reply_to_and_the_footer_says_replies_are_not_read() -> None:
    mail = sent_by(None, notice(**{REPLY_USER: 5}))
    assert mail["Reply-To"] is None
    assert plain(mail).rstrip().endswith(t("email.footer_ticket", "pt_BR", number="202612/0042"))


def test_r7_mail_to_someone_else_than_the_requester_has_no_reply_to() -> None:
    assert sent_by(REPLIES, notice())["Reply-To"] is None


def test_the_token_is_read_back_in_any_case_and_refused_when_altered() -> None:
    address = REPLIES.for_reply(42, 5)
    token = REPLIES.token_in(address.upper())
    assert token is not None
    assert REPLIES.read(token) == (42, 5)
    forged = token.replace("42-", "43-", 1)
    assert REPLIES.read(forged) is None
    assert REPLIES.read(token[:-1] + ("a" if token[-1] != "a" else "b")) is None
    other = ReplyAddress("suporte@totall.com.br", b"another-secret-of-16")
    assert other.read(token) is None
    assert REPLIES.token_in("outro+42-5-x@totall.com.br") is None
    assert REPLIES.is_ours("SUPORTE@totall.com.br")
    assert REPLIES.is_ours(address)


@pytest.fixture
def _no_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("_no_env")
def test_mail_reply_to_needs_its_secret_and_the_listener_needs_the_address() -> None:
    with pytest.raises(SettingsRefused) as refused:
        Settings(mail_reply_to="suporte@totall.com.br")
    assert refused.value.name == "MAIL_REPLY_SECRET"
    with pytest.raises(SettingsRefused) as refused:
        Settings(mail_inbound_listen="127.0.0.1:2525")
    assert refused.value.name == "MAIL_INBOUND_LISTEN"
    with pytest.raises(SettingsRefused):
        Settings(mail_reply_to="suporte+x@totall.com.br", mail_reply_secret="x" * 16)
    settings = Settings(mail_reply_to="suporte@totall.com.br", mail_reply_secret="s" * 16,
                        mail_inbound_listen="127.0.0.1:2525")
    assert settings.inbound_listen() == ("127.0.0.1", 2525)
    assert settings.reply_address() == ReplyAddress("suporte@totall.com.br", b"s" * 16)
    assert Settings().reply_address() is None


@pytest.mark.usefixtures("_no_env")
def test_the_receivers_certificate_and_key_go_together_and_need_the_listener() -> None:
    replies = {"mail_reply_to": "suporte@totall.com.br", "mail_reply_secret": "s" * 16}
    with pytest.raises(SettingsRefused) as refused:
        Settings(**replies, mail_inbound_listen="127.0.0.1:2525",
                 mail_inbound_tls_cert="/etc/helpdesk/inbound.crt")
    assert refused.value.name == "MAIL_INBOUND_TLS_KEY"
    with pytest.raises(SettingsRefused) as refused:
        Settings(**replies, mail_inbound_tls_cert="/etc/helpdesk/inbound.crt",
                 mail_inbound_tls_key="/etc/helpdesk/inbound.key")
    assert refused.value.name == "MAIL_INBOUND_TLS_KEY"
    settings = Settings(**replies, mail_inbound_listen="127.0.0.1:2525",
                        mail_inbound_tls_cert="/etc/helpdesk/inbound.crt",
                        mail_inbound_tls_key="/etc/helpdesk/inbound.key")
    assert settings.mail_inbound_tls_key == "/etc/helpdesk/inbound.key"
