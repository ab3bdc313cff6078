"""R11, R5: in Telegram, a new e-mail address is confirmed with the code the help desk mails
to it, through a real SMTP server on loopback (aiosmtpd): until then the ticket e-mail goes to
the old address, which is told of the change once the code is typed."""

from __future__ import annotations

import asyncio
import re
from email.message import EmailMessage
from pathlib import Path

from fakes.smtp_server import FakeSMTP
from telegram_harness import TelegramWorld, linked_carla, open_ticket, until

from core.i18n import t

MAIL_FROM = "Suporte <suporte@exemplo.com.br>"
OLD = "carla@mercado.com.br"
NEW = "carla.nova@mercado.com.br"


def _plain(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def test_r11_r5_the_code_reaches_the_new_address_by_smtp_and_typed_in_telegram_confirms_it(
        db_url: str, tmp_path: Path) -> None:
    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        try:
            async with TelegramWorld(db_url, tmp_path, extra={
                    "smtp_url": smtp.url, "mail_from": MAIL_FROM}) as world:
                await changed(world)
        finally:
            await smtp.stop()

    async def changed(world: TelegramWorld) -> None:
        ids, carla = linked_carla(world)
        await carla.say("perfil")
        await carla.click("Alterar e-mail")
        await carla.say(NEW)
        assert t("conv.profile.email_code_sent", email=NEW) in "\n".join(carla.texts()[-2:])
        [mail] = await until(lambda: smtp.to(NEW), what="the code's e-mail")
        code = re.search(r"\b(\d{6})\b", _plain(mail))
        assert code is not None
        assert code.group(1) in str(mail["Subject"])
        assert smtp.envelopes[-1][1] == [NEW]  # the new mailbox alone
        assert "Carla" in _plain(mail)

        ticket = open_ticket(world.desk, ids["carla"], "Pedido não confirma")
        [registered] = await until(lambda: smtp.to(OLD), what="the ticket's e-mail")
        assert ticket.number in str(registered["Subject"])  # R5: the old address meanwhile

        await carla.say(f"{code.group(1)[:3]} {code.group(1)[3:]}")
        assert t("conv.profile.email_changed", email=NEW) in "\n".join(carla.texts()[-2:])
        notices = await until(lambda: len(smtp.to(OLD)) >= 2 and smtp.to(OLD),
                              what="the old address's notice")
        assert str(notices[-1]["Subject"]) == t("notify.profile.email_changed.subject")
        assert NEW in _plain(notices[-1])

    asyncio.run(story())


def test_r11_a_wrong_code_in_telegram_is_said_and_the_old_address_stays(
        db_url: str, tmp_path: Path) -> None:
    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        try:
            async with TelegramWorld(db_url, tmp_path, extra={
                    "smtp_url": smtp.url, "mail_from": MAIL_FROM}) as world:
                ids, carla = linked_carla(world)
                await carla.say("perfil")
                await carla.click("Alterar e-mail")
                await carla.say(NEW)
                [mail] = await until(lambda: smtp.to(NEW), what="the code's e-mail")
                code = re.search(r"\b(\d{6})\b", _plain(mail))
                assert code is not None
                await carla.say(f"{(int(code.group(1)) + 1) % 1_000_000:06d}")
                assert t("error.email_code_wrong", left=4) in "\n".join(carla.texts()[-2:])
                user = world.desk.call(lambda ctx: ctx.uow.users.get(ids["carla"]))
                assert user.email == OLD
        finally:
            await smtp.stop()

    asyncio.run(story())
