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
    await carla.click("Registrar o Ticket")  # the review edited: the number under it
    answer = carla.last_text()
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


def test_r3_the_servico_buttons_fit_a_phone_and_every_one_is_reachable(
        sqlite_url: str, tmp_path: Path) -> None:
    """The 15 serviços were 15 rows, taller than a phone's screen: now short labels go two by
    two and the list shows a page at a time (Mais opções ▸ / ◂ Opções anteriores, turned in
    the same message); a serviço typed by name is still taken from any page."""
    from core.catalog import default_catalog
    from core.i18n import t

    world = TelegramWorld(sqlite_url, tmp_path)
    every = [s.label for s in default_catalog().item("varejo", "suporte").servicos]
    assert len(every) == 15

    def rows_of(chat: TgChat, message_id: int) -> list[list[str]]:
        return [[b["text"] for b in row] for row in chat.api.keyboard(CARLA, message_id)]

    async def story() -> None:
        async with world:
            seed(world.desk)
            carla = world.chat(CARLA)
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            await carla.say(f"/start {code}")
            await carla.say("/novo")
            await carla.click("Suporte")
            question = carla.messages()[-1]
            first = rows_of(carla, question["message_id"])
            assert len(first) <= 8
            assert ["Fiscal / NF-e", "NFC-e / SAT"] in first
            assert first[-1] == [t("telegram.page.next", "pt_BR")]
            sent = len(carla.messages())
            _, turn_page = carla.button("Mais opções", question["message_id"])
            await carla.click("Mais opções", question["message_id"])
            assert len(carla.messages()) == sent, "the same message turns its page"
            second = rows_of(carla, question["message_id"])
            assert len(second) <= 8
            assert second[-1] == [t("telegram.page.previous", "pt_BR")]
            shown = [label for row in first[:-1] + second[:-1] for label in row]
            assert shown == every
            await carla.click("Opções anteriores", question["message_id"])
            assert rows_of(carla, question["message_id"]) == first
            await carla.say("relatórios")  # on the other page: typed, it is still taken
            assert "versão" in carla.last_text()
            # The page button of a question answered meanwhile (sent again) turns nothing: a
            # button of an earlier question, as its choices are.
            sent = len(carla.messages())
            await carla.send(world.api.callback_update(CARLA, question["message_id"], turn_page))
            answered = world.api.calls_of("answerCallbackQuery")[-1].params
            assert answered.get("text") == t("conv.error.old_prompt", "pt_BR")[:-1] + "."
            assert len(carla.messages()) == sent
            assert world.api.keyboard(CARLA, question["message_id"]) == []
            await carla.say("voltar")
            await carla.click("Mais opções")
            await carla.click("Outros")
            assert "versão" in carla.last_text()

    asyncio.run(story())


def test_r3_the_pages_of_a_long_list_are_even_and_the_page_button_stays_put(
        sqlite_url: str, tmp_path: Path) -> None:
    """Implementação's 13 serviços take 10 rows: they were cut 7 + 3, so turning the page
    shrank the keyboard by half and moved '◂ Opções anteriores' away from the finger that
    pressed 'Mais opções ▸'. The pages are even now (5 + 5, Suporte's 11 rows 6 + 5): the
    message keeps its height and the page button its place; every serviço is still on a page,
    in the catalog's order."""
    from core.catalog import default_catalog

    world = TelegramWorld(sqlite_url, tmp_path)
    item = default_catalog().item("varejo", "implementacao")
    every = [s.label for s in item.servicos]
    assert len(every) == 13

    def rows_of(chat: TgChat, message_id: int) -> list[list[str]]:
        return [[b["text"] for b in row] for row in chat.api.keyboard(CARLA, message_id)]

    async def story() -> None:
        async with world:
            seed(world.desk)
            carla = world.chat(CARLA)
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            await carla.say(f"/start {code}")
            await carla.say("/novo")
            await carla.click(item.label)
            question = carla.messages()[-1]["message_id"]
            first = rows_of(carla, question)
            await carla.click("Mais opções", question)
            second = rows_of(carla, question)
            assert (len(first), len(second)) == (6, 6), (first, second)
            assert [label for row in first[:-1] + second[:-1] for label in row] == every
            await carla.say("voltar")
            await carla.click("Suporte")
            support = carla.messages()[-1]["message_id"]
            first = rows_of(carla, support)
            await carla.click("Mais opções", support)
            assert (len(first), len(rows_of(carla, support))) == (7, 6)

    asyncio.run(story())
