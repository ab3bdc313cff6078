"""Buttons and repeats (DESIGN decisions 6 and 8): every click is re-checked by core, answered,
and its keyboard taken away; a repeated update is processed once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from telegram_harness import (
    CARLA,
    TelegramWorld,
    link,
    linked_carla,
    open_ticket,
    seed,
    to_the_assunto,
)

from core.i18n import t
from core.outbox import Channel, OutboxMessage
from core.services import users
from core.services.context import Ctx


def answers(world: TelegramWorld) -> list[str | None]:
    """The texts of answerCallbackQuery calls, in order (None: a silent answer)."""
    return [c.params.get("text") for c in world.api.calls_of("answerCallbackQuery")]


def state_version(world: TelegramWorld) -> int:
    from core.conversation import telegram_key

    with world.desk.store() as uow:
        state = uow.conversations.get(telegram_key(CARLA, CARLA))
        return state.version if state else 0


def test_r8_forged_callback_for_another_customers_ticket_is_refused(sqlite_url: str,
                                                                    tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            mine = open_ticket(world.desk, ids["carla"], "Pedido travado")
            theirs = open_ticket(world.desk, ids["rita"], "Segredo da Loja Rival")
            carla = world.chat(CARLA)
            await carla.say("/tickets")
            await world.drain_outbox()  # the opened ticket's notice is in before the count
            list_id, data = carla.button(mine.number)
            prefix = data.split(":", 1)[0]
            sent_before = len(carla.texts())
            version = state_version(world)
            # The same listing message, the current prompt id, another company's ticket.
            for forged in (f"{prefix}:t:{theirs.id}", f"{int(prefix) + 5}:t:{theirs.id}",
                           "lixo"):
                await carla.send(world.api.callback_update(CARLA, list_id, forged))
            assert len(carla.texts()) == sent_before
            assert all(theirs.number not in text for text in carla.texts())
            assert "Segredo" not in "\n".join(carla.texts())
            assert state_version(world) == version
            refusals = answers(world)[-3:]
            assert refusals[0] is not None
            assert refusals[0].startswith(t("conv.error.not_offered")[:30])
            assert all(r for r in refusals)
            # The listing is still the current question: its buttons stay and still work.
            assert world.api.keyboard(CARLA, list_id)
            await carla.click(mine.number)
            assert "Pedido travado" in carla.last_text()

    asyncio.run(story())


def test_a_button_pressed_twice_acts_once(sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("oi")
            menu_id, data = carla.button("Abrir ticket")
            click = world.api.callback_update(CARLA, menu_id, data)
            again = world.api.callback_update(CARLA, menu_id, data)
            await carla.send(click)
            assert world.api.keyboard(CARLA, menu_id) == []  # taken away at once
            intro = sum(t("conv.intake.intro") in text for text in carla.texts())
            await carla.send(again)
            assert sum(t("conv.intake.intro") in text for text in carla.texts()) == intro == 1
            assert answers(world)[-2] is None
            assert answers(world)[-1] == t("telegram.callback.taken")  # a toast, not an alert
            # Every click was answered.
            assert world.api.count(200, "answerCallbackQuery") == 2

    asyncio.run(story())


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
def test_a_repeated_update_is_processed_once(sqlite_url: str, tmp_path: Path,
                                             webhook: bool) -> None:
    world = TelegramWorld(sqlite_url, tmp_path, webhook=webhook)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await to_the_assunto(carla)
            update = world.api.text_update(CARLA, "Assunto enviado duas vezes")
            before = len(carla.texts())
            statuses = await carla.send(update, times=2)
            assert statuses == [200, 200]
            assert len(carla.texts()) == before + 1
            assert carla.last_text() == t("conv.intake.ask_descricao")
            assert world.conversations.stats.duplicates == 1

    asyncio.run(story())


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
def test_clicks_are_answered_alike_and_by_webhook_in_the_webhook_answer(
        db_url: str, tmp_path: Path, webhook: bool) -> None:
    """Each click is answered the same way in both modes (spinner stopped, a toast for a double
    tap, an alert for an old button), its buttons taken away and the next question shown (in
    the clicked message itself for a guided question of the intake: bots.telegram.form); with
    a webhook the answer rides in the HTTP answer to Telegram's delivery ("Making requests when
    getting updates"), not in a Bot API request of its own."""
    world = TelegramWorld(db_url, tmp_path, webhook=webhook)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("oi")
            menu_id, data = carla.button("Abrir ticket")
            click = world.api.callback_update(CARLA, menu_id, data)
            assert await carla.send(click) == [200]
            await carla.send(world.api.callback_update(CARLA, menu_id, data))  # a double tap
            item_id, _ = carla.button("Suporte")
            await carla.click("Suporte")
            await carla.send(world.api.callback_update(CARLA, menu_id, data))  # an old button
            calls = world.api.calls_of("answerCallbackQuery")
            shown = [(c.params.get("text"), c.params.get("show_alert")) for c in calls]
            assert shown[:3] == [(None, None), (t("telegram.callback.taken"), False),
                                 (None, None)]
            assert shown[3][0]  # an alert saying why
            assert shown[3][1] is True
            assert calls[0].params["callback_query_id"] == click["callback_query"]["id"]
            assert {c.via for c in calls} == {"webhook" if webhook else "http"}
            assert world.api.keyboard(CARLA, menu_id) == []
            assert carla.messages()[-1]["message_id"] == item_id
            shown = [b["text"] for row in world.api.keyboard(CARLA, item_id) for b in row]
            assert "Vendas / Pedidos de venda" in shown
            assert not any("Suporte" in label for label in shown)
            assert carla.last_text().endswith(t("conv.intake.ask_servico"))

    asyncio.run(story())


@pytest.mark.parametrize(("webhook", "processes"), [(False, 0), (True, 0), (True, 1)],
                         ids=["polling", "webhook", "webhook-chat-process"])
def test_a_typed_answer_takes_the_buttons_off_the_question_before_by_webhook_in_its_answer(
        db_url: str, tmp_path: Path, webhook: bool, processes: int) -> None:
    """Carla types /novo under the menu's buttons: the menu loses them and the item question
    comes with its own, in both modes; with a webhook the removal rides in the HTTP answer to
    the typed update's delivery, as a click's answer does, not in a request of its own (also
    from a chat process of TELEGRAM_CHAT_PROCESSES)."""
    world = TelegramWorld(db_url, tmp_path, webhook=webhook,
                          extra={"telegram_chat_processes": processes})

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("oi")
            menu_id, _ = carla.button("Abrir ticket")
            await carla.say("/novo")
            assert world.api.keyboard(CARLA, menu_id) == []
            assert carla.button("Suporte")
            [removal] = [c for c in world.api.calls_of("editMessageReplyMarkup", CARLA)
                         if c.params["message_id"] == menu_id]
            assert removal.via == ("webhook" if webhook else "http")

    asyncio.run(story())


def test_a_refused_click_asks_again_a_question_that_is_not_on_screen(db_url: str,
                                                                     tmp_path: Path) -> None:
    """The question after a typed answer never reached the chat (Telegram refused it): a click
    on the question before, still showing its buttons, is refused and the current question is
    asked again with its buttons; a click on an old button while the current question is on
    screen below stays an alert only."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            await carla.click("Suporte")
            servico_id, _ = carla.button("Vendas")
            world.api.fail_next(400, "Bad Request: message thread not found", chat_id=CARLA)
            await carla.say("Vendas")  # the version question is refused by Telegram
            assert "versão" not in carla.last_text()
            assert world.api.keyboard(CARLA, servico_id)  # the customer sees only this one

            await carla.click("Vendas", servico_id)
            assert answers(world)[-1] == t("conv.error.old_prompt")[:-1] + "."
            asked = carla.messages()[-1]
            assert asked["message_id"] > servico_id
            assert "versão" in asked["text"]
            assert world.api.keyboard(CARLA, asked["message_id"])
            assert world.api.keyboard(CARLA, servico_id) == []
            await carla.click("atual")
            assert "Qual o assunto?" in carla.last_text()

            # An old button while the current question is on screen below: an alert only.
            sent = len(world.api.sent(CARLA))
            await carla.send(world.api.callback_update(CARLA, servico_id, "1:x"))
            await carla.send(world.api.callback_update(CARLA, asked["message_id"], "1:x"))
            assert len(world.api.sent(CARLA)) == sent
            assert answers(world)[-1] == answers(world)[-2] == \
                t("conv.error.old_prompt")[:-1] + "."

    asyncio.run(story())


def test_a_waiting_approval_that_will_send_its_plain_notice_does_not_hold_back_the_question(
        db_url: str, tmp_path: Path) -> None:
    """The version question never reached the chat (Telegram refused it) and an approval
    request for another of Carla's tickets waits in the outbox (a retry): a click on the
    question before was refused without asking the version question again, as if the
    approval row brought a question. Sent while Carla is mid-intake, that row sends its plain
    notice (the intake is kept), so the version question is asked again."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            ticket = open_ticket(world.desk, ids["carla"])
            await world.drain_outbox()  # its notice sent: the refusal below is the question's
            await carla.say("/novo")
            await carla.click("Suporte")
            servico_id, _ = carla.button("Vendas")
            world.api.fail_next(400, "Bad Request: message thread not found", chat_id=CARLA)
            await carla.say("Vendas")  # the version question is refused by Telegram

            def waiting(ctx: Ctx) -> None:  # Telegram failed on it: tried again in an hour
                ctx.uow.outbox.add(OutboxMessage(
                    channel=Channel.TELEGRAM, target=str(CARLA),
                    kind="ticket.approval_requested", ticket_id=ticket.id,
                    params={"number": ticket.number}, created_at=ctx.now,
                    next_attempt_at=ctx.now + timedelta(hours=1)))

            world.desk.call(waiting)
            await carla.click("Vendas", servico_id)
            assert answers(world)[-1] == t("conv.error.old_prompt")[:-1] + "."
            asked = carla.messages()[-1]
            assert asked["message_id"] > servico_id
            assert "versão" in asked["text"]

    asyncio.run(story())


def test_a_stale_page_button_is_refused_as_a_stale_choice_and_asks_the_question_again(
        db_url: str, tmp_path: Path) -> None:
    """'Mais opções ▸' under a question answered meanwhile is what a stale choice under it is:
    refused as a button of an earlier question, the current question asked again with its
    buttons when Telegram refused it (not on screen), the old buttons taken away; with the
    current question on screen below, an alert only. It said 'Essa mensagem não vale mais.'
    and nothing else, the customer left with no question to answer."""
    world = TelegramWorld(db_url, tmp_path)
    old = t("conv.error.old_prompt")[:-1] + "."

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            await carla.click("Suporte")
            servico_id, turn_page = carla.button("Mais opções")
            world.api.fail_next(400, "Bad Request: message thread not found", chat_id=CARLA)
            await carla.say("Vendas")  # the version question is refused by Telegram
            assert "versão" not in carla.last_text()

            await carla.click("Mais opções", servico_id)
            assert answers(world)[-1] == old
            asked = carla.messages()[-1]
            assert asked["message_id"] > servico_id
            assert "versão" in asked["text"]
            assert world.api.keyboard(CARLA, asked["message_id"])
            assert world.api.keyboard(CARLA, servico_id) == []

            # The version question on screen below: the same page button, an alert only.
            sent = len(world.api.sent(CARLA))
            await carla.send(world.api.callback_update(CARLA, servico_id, turn_page))
            assert len(world.api.sent(CARLA)) == sent
            assert answers(world)[-1] == old
            await carla.click("atual")
            assert "Qual o assunto?" in carla.last_text()

    asyncio.run(story())


def test_a_clicks_answer_is_requested_before_the_click_is_answered_and_its_buttons_go(
        sqlite_url: str, tmp_path: Path) -> None:
    """The next question goes out first; answerCallbackQuery and the removal of the clicked
    buttons follow it (they wait for nothing the customer reads). A guided question's next
    question is the clicked message edited (its buttons go with the edit), then the answer."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("oi")
            for label, first, then in (
                    ("Abrir ticket", "sendMessage",
                     ["answerCallbackQuery", "editMessageReplyMarkup"]),
                    ("Suporte", "editMessageText", ["answerCallbackQuery"])):
                since = len(world.api.calls)
                await carla.click(label)
                methods = [c.method for c in world.api.calls[since:] if c.method in
                           ("sendMessage", "answerCallbackQuery", "editMessageReplyMarkup",
                            "editMessageText")]
                assert methods[0] == first
                assert sorted(methods[1:]) == then

    asyncio.run(story())


def test_r11_after_a_language_change_elsewhere_a_refused_click_is_a_toast_in_the_new_language(
        db_url: str, tmp_path: Path) -> None:
    """Carla chose English elsewhere (Slack, the CLI) while a Portuguese question is on screen:
    a double tap on the button before it is the toast, in English, and an old button an alert,
    in English; nothing is sent, and the question on screen keeps its buttons, which still
    work. It came as a message repeating the question (the engine asked it again in English,
    which looked like an accepted click), its buttons taken away, the toast in Portuguese."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            item_id, data = carla.button("Suporte")
            await carla.click("Suporte")
            servico_id, _ = carla.button("Vendas")
            world.desk.call(users.set_language, "carla@mercado.com.br", "en")
            sent = len(world.api.sent(CARLA))
            await carla.send(world.api.callback_update(CARLA, item_id, data))  # a double tap
            assert answers(world)[-1] == t("telegram.callback.taken", "en")
            assert world.api.calls_of("answerCallbackQuery")[-1].params.get("show_alert") \
                is False
            await carla.send(world.api.callback_update(CARLA, item_id, "1:x"))  # an old button
            assert answers(world)[-1] == t("conv.error.old_prompt", "en")[:-1] + "."
            assert len(world.api.sent(CARLA)) == sent
            assert world.api.keyboard(CARLA, servico_id)
            await carla.click("Vendas", servico_id)
            assert "Which system version" in carla.last_text()

    asyncio.run(story())
