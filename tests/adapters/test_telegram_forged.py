"""Forged or misplaced Telegram updates: refused in words, nothing sent to another chat."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import CARLA, RITA, TelegramWorld, link, linked_carla, open_ticket, seed

from core.conversation import telegram_key
from core.i18n import t
from core.services.context import Ctx


def test_r8_a_click_on_a_message_of_another_persons_chat_sends_nothing_there(
        sqlite_url: str, tmp_path: Path) -> None:
    """Callback data from Carla's listing, pressed as Rita or in a group: the bot greeted
    Rita and showed her menu in Carla's chat (and in the group), and took Carla's buttons."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            world.desk.call(link, ids["rita"], RITA)
            mine = open_ticket(world.desk, ids["carla"], "Pedido travado")
            carla = world.chat(CARLA)
            await carla.say("/tickets")
            await world.drain_outbox()  # the opened ticket's notice is in before the count
            list_id, data = carla.button(mine.number)
            sent = len(world.api.sent())
            await carla.send(world.api.callback_update(CARLA, list_id, data, from_id=RITA))
            group = world.api.callback_update(-100, 77, data, from_id=CARLA)
            group["callback_query"]["message"]["chat"] = {"id": -100, "type": "group",
                                                          "title": "Loja"}
            await carla.send(group)
            assert len(world.api.sent()) == sent  # nothing in Carla's chat nor the group
            answered = [c.params.get("text") for c in world.api.calls_of("answerCallbackQuery")]
            assert answered[-2:] == [t("telegram.callback.not_yours"),
                                     t("telegram.private_only")]
            assert world.api.keyboard(CARLA, list_id)  # Carla's buttons stay and still work
            await carla.click(mine.number)
            assert "Pedido travado" in carla.last_text()

    asyncio.run(story())


def test_r3_control_characters_typed_are_dropped_and_the_words_kept(db_url: str,
                                                                    tmp_path: Path) -> None:
    """A NUL in a message (PostgreSQL refuses it in text and JSON) failed the step three
    times: 'Algo deu errado' and the words were lost."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("oi")
            before = len(carla.texts())
            await carla.say("A nota\x00 10125 não\x07 sai\x1b[31m na impressora")
            answer = carla.since(before)
            assert t("error.generic") not in answer
            assert "A nota 10125 não sai na impressora" in answer

    asyncio.run(story())


def test_r2_files_from_someone_not_registered_are_not_downloaded(sqlite_url: str,
                                                                 tmp_path: Path) -> None:
    """Anyone who finds the bot could send 20 MB files over and over: each was downloaded and
    kept in FILES_DIR for good before the bot said it did not know the person."""
    from telegram_harness import document

    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            seed(world.desk)
            stranger = world.chat(RITA)
            big = document(world.api, b"x" * 4096, "backup.zip", "application/zip")
            await stranger.send(world.api.message_update(RITA, document=big,
                                                         caption="segue o backup"))
            assert not world.api.calls_of("getFile")
            assert not [f for f in (tmp_path / "files").rglob("*") if f.is_file()]
            assert "código de convite" in stranger.last_text()

    asyncio.run(story())


def test_r2_a_group_that_adds_the_bot_or_calls_it_is_told_to_talk_in_private(
        sqlite_url: str, tmp_path: Path) -> None:
    """Someone adds the bot to the company's group and writes to it there ('@helpdesk_bot o
    pedido travou', a reply to its message): each is told where the bot answers, in the group;
    the group's own talk is not answered; nothing is kept from the group."""
    world = TelegramWorld(sqlite_url, tmp_path)
    group = {"id": -1001234, "type": "supergroup", "title": "Mercado Exemplo - TI"}

    async def story() -> None:
        async with world:
            linked_carla(world)
            api = world.api

            async def in_group(**content: object) -> None:
                update = api.message_update(CARLA, **content)
                update["message"]["chat"] = group
                await world.chat(CARLA).send(update)

            bot = {"id": 4242, "is_bot": True, "first_name": "Helpdesk",
                   "username": "helpdesk_bot"}
            await in_group(new_chat_members=[bot])
            await in_group(text="bom dia, pessoal")
            await in_group(text="@helpdesk_bot o pedido 4431 travou",
                           entities=[{"type": "mention", "offset": 0, "length": 13}])
            said = api.sent_texts(group["id"])
            assert said == [t("telegram.private_only", "pt_BR")] * 2
            first = next(m for (chat, _), m in api.messages.items() if chat == group["id"])
            await in_group(text="e agora?", reply_to_message=first)
            await in_group(new_chat_members=[{"id": 777, "is_bot": False, "first_name": "Jo"}])
            assert api.sent_texts(group["id"]) == [t("telegram.private_only", "pt_BR")] * 3
            assert world.chat(CARLA).texts() == []
            with world.desk.store() as uow:
                assert uow.conversations.get(telegram_key(group["id"], CARLA)) is None

    asyncio.run(story())


def test_r8_a_chat_relinked_to_another_company_acts_on_none_of_its_old_tickets(
        db_url: str, tmp_path: Path) -> None:
    """The Telegram account that was Carla's now belongs to Rita, of another company: the old
    messages about Carla's ticket are still in the chat. Replying 'funcionou' to its approval
    request, tapping its Aprovar (the callback data replayed), and tapping it again once the
    ticket closed by itself and the conversation was dropped: nothing of the ticket is said,
    decided or added."""
    from test_telegram_approval_expired import LATER, forget_conversations

    from core.models import Decision, EntryKind, Status
    from core.services import closing, sweeps

    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            chat = world.chat(CARLA)
            await chat.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(chat, ticket.number)
            world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            question = await world.bot_says(chat, "Você aprova a solução?")
            await world.drain_outbox()
            button = chat.button(t("conv.closing.approve"), question["message_id"])
            world.desk.call(unlink, ids["carla"])
            world.desk.call(link, ids["rita"], CARLA)
            before = len(chat.texts())
            await chat.send(world.api.text_update(CARLA, "funcionou, pode encerrar",
                                                  reply_to=question["message_id"]))
            await chat.send(world.api.callback_update(CARLA, *button))  # Carla's, replayed
            with world.desk.store() as uow:
                stored = uow.tickets.get(ticket.id or 0)
                rita = [e for e in uow.entries.list(ticket.id or 0, True)
                        if e.author_id == ids["rita"] and e.kind == EntryKind.PUBLIC]
            assert stored is not None
            assert stored.status == Status.AWAITING_APPROVAL
            assert rita == []
            at = world.desk.at(LATER)
            try:
                at.call(sweeps.auto_close, sweeps.SweepReport())
            finally:
                at.close()
            world.desk.call(forget_conversations)
            await chat.send(world.api.callback_update(CARLA, *button))
            said = chat.since(before)
            assert ticket.number not in said
            assert "Pedido travado" not in said
            with world.desk.store() as uow:
                stored = uow.tickets.get(ticket.id or 0)
            assert stored is not None
            assert (stored.status, stored.decision) == (Status.CLOSED, Decision.AUTO_APPROVED)

    asyncio.run(story())


def unlink(ctx: Ctx, user_id: int) -> None:
    """The Telegram account no longer this user's."""
    user = ctx.uow.users.get(user_id)
    assert user is not None
    user.telegram_id = None
    ctx.uow.users.update(user)
