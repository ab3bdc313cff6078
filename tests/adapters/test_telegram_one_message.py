"""One answer, one Telegram message: the texts of a step's answer arrive together, the buttons
under the question, and registering is confirmed once in the chat (the e-mail still goes)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fakes.smtp_server import FakeSMTP
from telegram_harness import (
    CARLA,
    NUMBER,
    TelegramWorld,
    link,
    linked_carla,
    now,
    seed,
    tickets,
    to_the_assunto,
    until,
    whole_intake,
)

from core.i18n import t
from core.outbox import Channel
from core.services.approval_clock import calendar_for


def pt(key: str, **params: object) -> str:
    return t(key, "pt_BR", **params)


def test_novo_answers_with_one_message_greeting_explanation_and_the_item_buttons(
        sqlite_url: str, tmp_path: Path) -> None:
    """/novo sent three messages (the greeting, how the intake goes, the item question): three
    notifications on the phone for one command. Now one, the item's buttons under it."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            [answer] = carla.messages()
            text = answer["text"]
            greeting = text.index(pt("conv.welcome", name="Carla"))
            intro = text.index(pt("conv.intake.intro").split(".")[0])
            question = text.index("Qual o item?")
            assert greeting < intro < question
            labels = [b["text"] for row in answer["reply_markup"]["inline_keyboard"]
                      for b in row]
            assert any("Suporte" in label for label in labels)
            await carla.click("Suporte")  # the buttons of that one message answer it
            assert "Qual o serviço" in carla.last_text()

    asyncio.run(story())


def test_r5_registering_is_one_message_and_the_chat_gets_no_second_confirmation(
        db_url: str, tmp_path: Path) -> None:
    """Registrar answered with three messages (number and e-mail, out of hours, the menu) and
    the outbox then sent 'Recebemos o seu ticket…' to the same chat, saying it again. Now one
    message (the review's own, edited: what was registered stays above) says the number, the
    e-mail, when the team is back (out of hours), how to follow the ticket, and asks what next
    under the menu's buttons; the e-mail still goes (R5)."""
    smtp = FakeSMTP()

    async def story() -> None:
        await smtp.start()
        world = TelegramWorld(db_url, tmp_path, extra={
            "smtp_url": smtp.url, "mail_from": "Suporte <suporte@exemplo.com.br>"})
        async with world:
            _, carla = linked_carla(world)
            await to_the_assunto(carla)
            await carla.say("Erro ao confirmar pedido")
            await carla.say("Vendas > Pedidos > Novo: o pedido 4431 não confirma na versão "
                            "2026.11")
            await carla.click("Concluir")
            await carla.click("Padrão")
            before = len(carla.messages())
            closed = not calendar_for(world.desk.policy.timezone).is_open(now())
            await carla.click("Registrar o Ticket")  # said under the review, in its message
            assert len(carla.messages()) == before
            answer = carla.messages()[-1]
            text = answer["text"]
            [ticket] = tickets(world.desk)
            assert text.index("Confira o seu ticket:") < text.index("✅ Registrar o Ticket") \
                < text.index(ticket.number)
            assert NUMBER.findall(text)[0] == ticket.number
            assert "carla@mercado.com.br" in text
            assert f'"ticket {ticket.number}"' in text  # how to follow it
            assert '"tickets"' in text
            assert pt("conv.menu.prompt") in text
            assert ("fora do horário" in text) == closed
            assert text.index("carla@mercado.com.br") < text.index(pt("conv.menu.prompt"))
            assert any("Abrir ticket" in b["text"]
                       for row in answer["reply_markup"]["inline_keyboard"] for b in row)
            await world.drain_outbox()
            assert not [m for m in carla.texts() if "Recebemos" in m]
            assert len(carla.messages()) == before
            with world.desk.store() as uow:
                notices = [(m.channel, m.target) for m in uow.outbox.all()
                           if m.kind == "ticket.registered"]
            assert notices == [(Channel.EMAIL, "carla@mercado.com.br")]
            await until(lambda: smtp.to("carla@mercado.com.br"), what="the e-mail")
        await smtp.stop()

    asyncio.run(story())


def test_r5_with_no_instance_sending_e_mail_registering_promises_none(
        db_url: str, tmp_path: Path) -> None:
    """No SMTP_URL on the only instance: the answer said 'Enviamos a confirmação para
    carla@…' and no e-mail ever went. Now it says the number and how to follow it here."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await whole_intake(carla, "Erro ao confirmar pedido")
            text = "\n".join(carla.texts())
            [ticket] = tickets(world.desk)
            assert pt("conv.intake.registered_here", number=ticket.number,
                      assunto=ticket.assunto) in text
            assert "Enviamos" not in text
            assert "carla@mercado.com.br" not in text
            assert f'"ticket {ticket.number}"' in text

    asyncio.run(story())


def test_r5_a_ticket_opened_elsewhere_is_still_told_in_telegram(sqlite_url: str,
                                                                tmp_path: Path) -> None:
    """Only the chat the ticket was registered from goes without the notice: a ticket opened
    elsewhere (here without any chat) reaches the linked Telegram chat as before."""
    from telegram_harness import open_ticket

    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            ticket = open_ticket(world.desk, ids["carla"])
            carla = world.chat(CARLA)
            await until(lambda: any(f"Recebemos o seu ticket {ticket.number}" in m
                                    for m in carla.texts()), what="the notice")

    asyncio.run(story())
