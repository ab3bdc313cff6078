"""A click on a guided question of the intake is answered in the clicked message: edited in
place (one editMessageText), it shows the choice and the next question, like a form being
filled; the priority's click shows the review there too, and Registrar o Ticket the ticket's
number under the review, the menu's buttons on it."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from telegram_harness import CARLA, TelegramWorld, TgChat, linked_carla, tickets

from core.i18n import t

NUMBER = re.compile(r"\d{6}/\d{4}")


def answers(world: TelegramWorld) -> list[str | None]:
    """The texts of answerCallbackQuery calls, in order (None: a silent answer)."""
    return [c.params.get("text") for c in world.api.calls_of("answerCallbackQuery")]


def requests(world: TelegramWorld, since: int) -> list[str]:
    """The bot's Bot API requests since then (not what rode in a webhook's answer)."""
    return [c.method for c in world.api.calls[since:] if c.via == "http" and c.status == 200
            and c.method not in ("getUpdates", "sendChatAction")]


def labels(chat: TgChat, message_id: int) -> str:
    """The labels of the buttons a message shows now, one a line."""
    return "\n".join(b["text"] for row in chat.api.keyboard(CARLA, message_id) for b in row)


@pytest.mark.parametrize(("webhook", "processes"), [(False, 0), (True, 0), (True, 1)],
                         ids=["polling", "webhook", "webhook-chat-process"])
def test_a_click_on_the_item_question_shows_the_choice_and_the_next_question_in_place(
        db_url: str, tmp_path: Path, webhook: bool, processes: int) -> None:
    """Suporte, Vendas, the version: each click edits the question's message into the next
    question (its buttons with it), the choices kept above it; no new message, no removal of
    buttons of its own; with a webhook the click's answer rides in the HTTP answer, so a click
    costs one Bot API request. The typed answers' questions come as messages of their own."""
    world = TelegramWorld(db_url, tmp_path, webhook=webhook,
                          extra={"telegram_chat_processes": processes})

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            question, _ = carla.button("Suporte")
            count = len(carla.messages())
            since = len(world.api.calls)
            await carla.click("Suporte")
            assert len(carla.messages()) == count, "no new message"
            shown = carla.messages()[-1]
            assert shown["message_id"] == question
            assert "✅ Suporte" in shown["text"]
            assert shown["text"].endswith(t("conv.intake.ask_servico"))
            assert "Vendas" in labels(carla, question)
            assert "Implementação" not in labels(carla, question)
            assert sorted(requests(world, since)) == \
                (["editMessageText"] if webhook else ["answerCallbackQuery", "editMessageText"])
            assert world.api.calls_of("answerCallbackQuery")[-1].via == \
                ("webhook" if webhook else "http")
            assert world.api.calls_of("editMessageReplyMarkup", CARLA) == []

            await carla.click("Vendas")
            await carla.click("atual")
            assert len(carla.messages()) == count
            text = carla.messages()[-1]["text"]
            assert text.index("✅ Suporte") < text.index("✅ Vendas") < text.index("✅ 2026.11")
            assert t("conv.intake.ask_item").split("(")[0] in text  # the questions kept
            assert "Qual o assunto?" in text
            assert carla.with_buttons() == []  # the assunto is typed
            assert world.api.sent(CARLA)[-1].params["text"] != text

            await carla.say("Pedido não confirma")
            await carla.say("Vendas > Pedidos > Novo: o pedido 4431 não confirma na versão "
                            "2026.11")
            await carla.click("Concluir")
            assert "✅ Concluir" in carla.last_text()

    asyncio.run(story())


async def to_the_priority(carla: TgChat) -> None:
    """From /novo to the priority question, the assunto "Pedido não confirma"."""
    await carla.say("/novo")
    for label in ("Suporte", "Vendas", "atual"):
        await carla.click(label)
    await carla.say("Pedido não confirma")
    await carla.say("Vendas > Pedidos > Novo: o pedido 4431 não confirma na versão 2026.11")
    await carla.click("Concluir")


@pytest.mark.parametrize(("webhook", "processes"), [(False, 0), (True, 0), (True, 1)],
                         ids=["polling", "webhook", "webhook-chat-process"])
def test_r5_padrao_shows_the_review_and_registrar_the_number_under_it_in_place(
        db_url: str, tmp_path: Path, webhook: bool, processes: int) -> None:
    """Padrão edits the priority question into the review (its buttons with it); Registrar o
    Ticket edits the review into the registration: what was registered stays above the
    ticket's number, the menu's buttons under it, one Bot API request each with a webhook.
    A reply to that message is a trâmite of the ticket."""
    world = TelegramWorld(db_url, tmp_path, webhook=webhook,
                          extra={"telegram_chat_processes": processes})

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await to_the_priority(carla)
            question, _ = carla.button("Padrão")
            count = len(carla.messages())
            since = len(world.api.calls)
            await carla.click("Padrão")
            assert len(carla.messages()) == count, "no new message"
            text = carla.last_text()
            assert text.index("✅ Padrão") < text.index("Confira o seu ticket:") \
                < text.index("Assunto: Pedido não confirma")
            assert labels(carla, question) == "Registrar o Ticket\nCorrigir\nCancelar"
            assert sorted(requests(world, since)) == \
                (["editMessageText"] if webhook else ["answerCallbackQuery", "editMessageText"])

            since = len(world.api.calls)
            await carla.click("Registrar o Ticket")
            assert len(carla.messages()) == count, "no new message"
            [ticket] = tickets(world.desk)
            text = carla.last_text()
            assert text.index("Assunto: Pedido não confirma") < text.index(
                "✅ Registrar o Ticket") < text.index(f"Ticket {ticket.number} registrado")
            assert text.endswith(t("conv.menu.prompt"))
            assert "Abrir ticket" in labels(carla, question)
            assert "Registrar o Ticket" not in labels(carla, question)
            assert sorted(requests(world, since)) == \
                (["editMessageText"] if webhook else ["answerCallbackQuery", "editMessageText"])
            assert world.api.calls_of("editMessageReplyMarkup", CARLA) == []

            await carla.say("Segue o print do erro", reply_to=question)
            assert t("conv.tramite.added", number=ticket.number) in carla.last_text()

    asyncio.run(story())


def test_r5_a_second_tap_on_registrar_registers_nothing_more(
        db_url: str, tmp_path: Path) -> None:
    """A double tap on Registrar o Ticket (the second update carries the review as it was
    before the edit): one ticket, the toast, and the registration keeps the menu's buttons."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await to_the_priority(carla)
            await carla.click("Padrão")
            review, data = carla.button("Registrar o Ticket")
            first = world.api.callback_update(CARLA, review, data)
            second = world.api.callback_update(CARLA, review, data)
            await carla.send(first)
            shown = carla.last_text()
            sent = len(world.api.sent(CARLA))
            await carla.send(second)
            assert answers(world)[-1] == t("telegram.callback.taken")
            assert len(tickets(world.desk)) == 1
            assert len(world.api.sent(CARLA)) == sent
            assert carla.last_text() == shown
            assert "Abrir ticket" in labels(carla, review)
            await carla.click("Meus tickets")
            assert "Pedido não confirma" in carla.last_text()

    asyncio.run(story())


def test_r5_a_review_telegram_will_not_edit_gets_the_number_in_a_new_message(
        sqlite_url: str, tmp_path: Path) -> None:
    """The review can no longer be edited: the registration comes as a new message, as
    before, and the review loses its buttons and keeps its words."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await to_the_priority(carla)
            await carla.click("Padrão")
            review, _ = carla.button("Registrar o Ticket")
            world.api.fail_next(400, "Bad Request: message can't be edited",
                                method="editMessageText")
            await carla.click("Registrar o Ticket")
            [ticket] = tickets(world.desk)
            answer = carla.messages()[-1]
            assert answer["message_id"] > review
            assert answer["text"].startswith(f"Ticket {ticket.number} registrado")
            assert "Abrir ticket" in labels(carla, answer["message_id"])
            assert world.api.keyboard(CARLA, review) == []
            assert "Assunto: Pedido não confirma" in world.api.messages[(CARLA, review)]["text"]

    asyncio.run(story())


def test_an_edit_telegram_refuses_sends_the_next_question_as_a_new_message(
        sqlite_url: str, tmp_path: Path) -> None:
    """The item question can no longer be edited (deleted, too old): the serviço question
    comes as a new message, as before, and the item question loses its buttons."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            question, _ = carla.button("Suporte")
            world.api.fail_next(400, "Bad Request: message can't be edited",
                                method="editMessageText")
            await carla.click("Suporte")
            asked = carla.messages()[-1]
            assert asked["message_id"] > question
            assert asked["text"] == t("conv.intake.ask_servico")
            assert "Vendas" in labels(carla, asked["message_id"])
            assert world.api.keyboard(CARLA, question) == []
            await carla.click("Vendas")  # the new message is the question: edited in turn
            assert carla.messages()[-1]["message_id"] == asked["message_id"]
            assert "versão" in carla.last_text()

    asyncio.run(story())


def test_a_double_tap_or_an_old_button_on_the_edited_question_changes_nothing(
        db_url: str, tmp_path: Path) -> None:
    """The second tap of a double tap on Suporte (its update carries the message before the
    edit) is the toast; an older button of that message an alert: nothing is sent, the
    serviço question keeps its place and its buttons, which still work."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            question, data = carla.button("Suporte")
            first = world.api.callback_update(CARLA, question, data)
            second = world.api.callback_update(CARLA, question, data)
            await carla.send(first)
            sent = len(world.api.sent(CARLA))
            await carla.send(second)
            assert answers(world)[-1] == t("telegram.callback.taken")
            await carla.send(world.api.callback_update(CARLA, question, "1:x"))
            assert answers(world)[-1] == t("conv.error.old_prompt")[:-1] + "."
            assert len(world.api.sent(CARLA)) == sent
            assert carla.last_text().endswith(t("conv.intake.ask_servico"))
            assert "Vendas" in labels(carla, question)
            await carla.click("Vendas")
            assert "✅ Vendas" in carla.last_text()

    asyncio.run(story())


def test_the_choices_read_in_english_for_an_english_speaker(
        sqlite_url: str, tmp_path: Path) -> None:
    """The form's lines and questions in the customer's language."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)

            def english(ctx: object) -> None:
                from core.services.context import Ctx
                assert isinstance(ctx, Ctx)
                user = ctx.uow.users.get(ids["carla"])
                assert user is not None
                user.language = "en"
                ctx.uow.users.update(user)

            world.desk.call(english)
            await carla.say("/new")
            await carla.click("Support")
            text = carla.last_text()
            assert "✅ Support" in text
            assert text.endswith(t("conv.intake.ask_servico", "en"))

    asyncio.run(story())
