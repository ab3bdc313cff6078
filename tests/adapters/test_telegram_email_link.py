"""R5, R8: a ticket's e-mails carry the link that opens the ticket in the Telegram bot
(https://t.me/<bot>?start=202611_0001), the bot's username from getMe or from
TELEGRAM_BOT_USERNAME; through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path

from fakes.smtp_server import FakeSMTP
from fakes.telegram_api import BOT_USER
from telegram_harness import (
    TelegramWorld,
    linked_carla,
    open_ticket,
    seed,
    tickets,
    until,
    whole_intake,
)

from bots.app import Host
from bots.bootstrap import bootstrap
from bots.delivery.results import Result
from bots.email import EmailSender
from bots.settings import Settings, SmtpConfig
from core.i18n import t
from core.outbox import OutboxMessage
from core.services import tramites, users
from storage.sql import SqlStore

MAIL_FROM = "Suporte <suporte@exemplo.com.br>"
CARLA_EMAIL = "carla@mercado.com.br"


def _plain(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def _html(mail: EmailMessage) -> str:
    part = mail.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def test_r8_the_confirmation_e_mail_links_to_the_ticket_in_the_bot_and_the_link_opens_it(
        db_url: str, tmp_path: Path) -> None:
    """Carla registered a ticket in Telegram; its e-mail said to write 'ticket 202612/0001'
    in the chat, with no link to the bot. It now ends with t.me/<bot>?start=202612_0001 (the
    bot's username from getMe), live in the HTML part, and that link opens the ticket."""
    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        try:
            await registered(TelegramWorld(db_url, tmp_path, extra={
                "smtp_url": smtp.url, "mail_from": MAIL_FROM}))
        finally:
            await smtp.stop()

    async def registered(world: TelegramWorld) -> None:
        async with world:
            _, carla = linked_carla(world)
            number = await whole_intake(carla, "Pedido não confirma")
            [mail] = await until(lambda: smtp.to(CARLA_EMAIL), what="the e-mail")
            start = number.replace("/", "_")
            link = f"https://t.me/{BOT_USER['username']}?start={start}"
            assert t("email.ticket_link", number=number, link=link) in _plain(mail)
            assert f'<a href="{link}">{link}</a>' in _html(mail)
            await carla.say(f"/start {start}")  # what Telegram sends when the link is opened
            [ticket] = tickets(world.desk)
            assert ticket.number == number
            assert number in carla.last_text()
            assert ticket.assunto in carla.last_text()

    asyncio.run(story())


def test_r8_an_instance_without_telegram_links_with_telegram_bot_username_in_english(
        db_url: str, tmp_path: Path) -> None:
    """An instance that sends e-mail and runs no Telegram learns the bot from
    TELEGRAM_BOT_USERNAME (its @ dropped): Carla, who reads English, gets the link in English
    in the registration's e-mail and in a trâmite's notice."""
    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=db_url, files_dir=str(tmp_path / "files"),
            http_host="127.0.0.1", http_port=0, outbox_poll_seconds=0.1,
            smtp_url=smtp.url, mail_from=MAIL_FROM, telegram_bot_username="@suporte_mercado_bot")
        container = bootstrap(settings, store=SqlStore(db_url))
        host = Host(container, channels=[])
        try:
            await host.start()
            desk = container.desk
            ids = seed(desk)
            desk.call(users.set_language, CARLA_EMAIL, "en")
            ticket = open_ticket(desk, ids["carla"], "Pedido não confirma")
            desk.call(tramites.add_tramite, ids["ana"], ticket.id, "Pode enviar o XML?", [])
            mails = await until(lambda: len(smtp.to(CARLA_EMAIL)) >= 2 and smtp.to(CARLA_EMAIL),
                                what="two e-mails")
            link = "https://t.me/suporte_mercado_bot?start=" + ticket.number.replace("/", "_")
            for mail in mails:
                assert t("email.ticket_link", "en", number=ticket.number, link=link) \
                    in _plain(mail)
        finally:
            await host.stop()
            container.close()
            await smtp.stop()

    asyncio.run(story())


def test_r8_without_a_known_bot_the_e_mail_has_no_link(db_url: str, tmp_path: Path) -> None:
    """No Telegram here and no TELEGRAM_BOT_USERNAME: the footer as before, no link."""
    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=db_url, files_dir=str(tmp_path / "files"),
            http_host="127.0.0.1", http_port=0, outbox_poll_seconds=0.1,
            smtp_url=smtp.url, mail_from=MAIL_FROM)
        container = bootstrap(settings, store=SqlStore(db_url))
        host = Host(container, channels=[])
        try:
            await host.start()
            ids = seed(container.desk)
            ticket = open_ticket(container.desk, ids["carla"], "Pedido não confirma")
            [mail] = await until(lambda: smtp.to(CARLA_EMAIL), what="the e-mail")
            assert _plain(mail).rstrip().endswith(
                t("email.footer_ticket", number=ticket.number))
            assert "t.me" not in _plain(mail)
        finally:
            await host.stop()
            container.close()
            await smtp.stop()

    asyncio.run(story())


def test_r8_the_bot_reaches_the_e_mail_sender_through_its_named_method(
        db_url: str, tmp_path: Path) -> None:
    """Host.telegram_bot_is wrote the username onto whatever e-mail sender had an attribute
    named telegram_bot (hasattr): a sender around the SMTP one (recording what goes, say) got
    nothing, and one with an unrelated telegram_bot had it overwritten. Now a sender takes the
    bot by saying so (LinksTelegramBot.link_telegram_bot)."""
    class Around:
        def __init__(self, inner: EmailSender) -> None:
            self.inner = inner

        async def send(self, msg: OutboxMessage) -> Result:
            return await self.inner.send(msg)

        def link_telegram_bot(self, username: str) -> None:
            self.inner.link_telegram_bot(username)

    class Unrelated:
        telegram_bot = "another meaning"

        async def send(self, msg: OutboxMessage) -> Result:
            raise AssertionError(msg)

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url, files_dir=str(tmp_path / "files"))
    container = bootstrap(settings, store=SqlStore(db_url))
    try:
        host = Host(container, channels=[])
        smtp = EmailSender(SmtpConfig("127.0.0.1", 2525, None, None), MAIL_FROM)
        host.register_sender("email", Around(smtp))
        host.telegram_bot_is("suporte_mercado_bot")
        assert smtp.telegram_bot == "suporte_mercado_bot"
        unrelated = Unrelated()
        host.register_sender("email", unrelated)
        host.telegram_bot_is("suporte_mercado_bot")
        assert unrelated.telegram_bot == "another meaning"
    finally:
        container.close()
