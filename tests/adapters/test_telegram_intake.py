"""A whole intake through the real python-telegram-bot Application, polling and webhook."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, TgChat, seed, tickets

from core.services import users

NUMBER = re.compile(r"\d{6}/\d{4}")


async def intake(world: TelegramWorld, carla: TgChat) -> str:
    """From /start CODE to the ticket number; returns the number the bot showed."""
    code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
    await carla.say(f"/start {code}")
    assert "Carla Souza" in carla.since(0)
    await carla.click("Abrir ticket")
    await carla.click("Suporte")
    await carla.click("Vendas")
    await carla.click("atual")
    await carla.say("Erro ao confirmar pedido <urgente> & bloqueado")
    await carla.say("Vendas / Pedidos de Vendas / Registrar Pedido - Novo pedido: o pedido "
                    "4431 não confirma na versão 2026.11")
    await carla.click("Concluir")
    await carla.click("Padrão")
    assert "Erro ao confirmar pedido &lt;urgente&gt; &amp; bloqueado" in carla.last_text()
    before = len(carla.texts())
    await carla.click("Registrar o Ticket")
    answer = carla.since(before)
    found = NUMBER.search(answer)
    assert found, answer
    return found.group(0)


def test_r2_r5_intake_from_start_code_to_the_number_in_polling_mode(
        db_url: str, tmp_path: Path) -> None:
    """/start CODE links the account; buttons and typed answers reach the ticket number."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            assert world.api.webhook is None
            assert [c["command"] for c in world.api.commands] == [
                "novo", "tickets", "ticket", "resumo", "perfil", "contato", "ajuda", "cancelar"]
            carla = world.chat(CARLA)
            number = await intake(world, carla)
            [ticket] = tickets(world.desk)
            assert ticket.number == number
            assert ticket.assunto == "Erro ao confirmar pedido <urgente> & bloqueado"
            # Only the current question keeps its buttons (the menu shown after registering).
            assert len(carla.with_buttons()) == 1
            assert world.api.count(200, "answerCallbackQuery") == 7
            await world.drain_outbox()

    asyncio.run(story())


def test_r5_intake_in_webhook_mode_and_a_wrong_secret_changes_nothing(
        db_url: str, tmp_path: Path) -> None:
    """Webhook mode: setWebhook with the secret; a request without it gets 403 and no effect."""
    world = TelegramWorld(db_url, tmp_path, webhook=True)

    async def story() -> None:
        async with world:
            world.ids = seed(world.desk)
            assert world.api.webhook is not None
            assert world.api.webhook["secret_token"] == "s3cr3t-webhook_token"
            assert world.api.webhook["url"].startswith("https://helpdesk.example.com/telegram")
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            forged = world.api.text_update(CARLA, f"/start {code}")
            assert await world.post(forged, secret="wrong") == 403
            assert await world.post(forged, secret=None) == 403
            assert world.api.sent(CARLA) == []
            with world.desk.store() as uow:
                assert uow.users.by_telegram(CARLA) is None
            number = await intake(world, world.chat(CARLA))
            assert [t.number for t in tickets(world.desk)] == [number]

    asyncio.run(story())
