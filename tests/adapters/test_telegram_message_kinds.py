"""What Telegram itself sends besides text, as a customer sends it from a phone: live locations,
edits, voice notes, double taps on a button."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import (
    CARLA,
    TelegramWorld,
    linked_carla,
    open_ticket,
    tickets,
    to_the_assunto,
    until,
    voice,
)

from core.conversation import telegram_key
from core.conversation.contact import team_away
from core.conversation_state import ConversationKey
from core.i18n import t
from core.models import Status
from core.services import closing, handling
from core.services.context import Ctx


def edited(api: Any, update: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The edited_message update Telegram sends when the message of `update` changes."""
    return {"update_id": api.next_update_id(),
            "edited_message": {**update["message"], **changes, "edit_date": int(time.time())}}


async def at_descricao(carla: Any) -> None:
    """Carla opens a ticket up to the descrição question (assunto 'Pedido não confirma')."""
    await to_the_assunto(carla)
    await carla.say("Pedido não confirma")


def test_a_live_location_moving_does_not_flood_the_chat(sqlite_url: str,
                                                        tmp_path: Path) -> None:
    """Telegram sends each move of a live location as an edit: one notice, not one a move."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await carla.say("/novo")
            before = len(carla.texts())
            shared = api.message_update(CARLA, location={
                "latitude": -23.55, "longitude": -46.63, "live_period": 900})
            await carla.send(shared)
            for step in range(1, 4):
                await carla.send(edited(api, shared, location={
                    "latitude": -23.55 + step / 1000, "longitude": -46.63, "live_period": 900}))
            [said] = carla.texts()[before:]
            assert said.startswith("Recebi uma localização, mas não consigo usar isso")

    asyncio.run(story())


def test_a_double_tap_on_a_button_is_taken_once_without_an_alert(sqlite_url: str,
                                                                  tmp_path: Path) -> None:
    """A second tap that Telegram delivers before the buttons are gone gets a toast, no popup;
    a button of an older question still says why it does nothing, in a sentence that ends."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await carla.say("/novo")
            message_id, data = carla.button("Suporte")
            answered = len(api.calls_of("answerCallbackQuery"))
            done = world.conversations.stats.done
            for _ in range(2):
                api.push_update(api.callback_update(CARLA, message_id, data))
            await until(lambda: world.conversations.stats.done >= done + 2)
            answers = api.calls_of("answerCallbackQuery")[answered:]
            assert [a.params.get("show_alert") for a in answers] == [None, False]
            assert [a.params.get("text") for a in answers] == [None, "✓ Já recebi essa escolha."]
            assert carla.texts().count(carla.last_text()) == 1  # the serviço, asked once
            await carla.click("Vendas")
            await carla.send(api.callback_update(CARLA, message_id, data))  # minutes later
            [alert] = api.calls_of("answerCallbackQuery")[-1:]
            assert alert.params["show_alert"] is True
            assert alert.params["text"] == ("Esse botão é de uma pergunta anterior e não vale "
                                            "mais. Responda à pergunta atual.")

    asyncio.run(story())


def test_r3_a_voice_note_for_the_descricao_is_kept_and_said_not_to_be_heard(
        sqlite_url: str, tmp_path: Path) -> None:
    """A voice note describing the problem joins the anexos for the team to hear; the bot says
    it does not listen to audio and asks for the descrição in writing again."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await at_descricao(carla)
            question = carla.last_text()
            before = len(carla.texts())
            await carla.send(api.message_update(CARLA, voice=voice(api, b"OggS o pedido...")))
            [said] = carla.texts()[before:]
            heard, kept, *_ = said.split("\n\n")
            assert heard == t("conv.files.audio_not_heard", "pt_BR")
            assert "Não consigo ouvir" in heard
            assert "audio-" in kept  # kept for the anexos
            assert said.endswith(question)  # and the descrição asked again
            await carla.say("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma na "
                            "versão 2026.11")
            await carla.click("Concluir")
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            with world.desk.store() as uow:
                [kept] = uow.entries.attachments(ticket.id)
            assert kept.content_type == "audio/ogg"
            # A voice note in reply to the ticket's message: a trâmite with the audio, said so.
            registered = next(m for m in carla.messages() if ticket.number in m.get("text", ""))
            await world.drain_outbox()
            before = len(carla.texts())
            await carla.send(api.message_update(CARLA, voice=voice(api, b"OggS mais detalhes"),
                                                reply_to=registered["message_id"]))
            away = world.desk.call(team_away, "pt_BR")  # R14, outside business hours
            assert carla.texts()[before:] == [
                t("conv.files.audio_not_heard", "pt_BR") + "\n\n"
                + t("conv.tramite.added", "pt_BR", number=ticket.number)
                + (f"\n\n{away}" if away else "")]

    asyncio.run(story())


def test_r3_an_edited_assunto_or_descricao_is_taken_into_the_ticket_being_opened(
        db_url: str, tmp_path: Path) -> None:
    """Fixing a typo by editing the message (as Telegram lets one do) changes the draft, and
    the bot says so; at the summary, the summary is shown again with the change."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_the_assunto(carla)
            assunto = api.text_update(CARLA, "Erro ao confirmar pedio")
            await carla.send(assunto)
            question = carla.last_text()
            before = len(carla.texts())
            await carla.send(edited(api, assunto, text="Erro ao confirmar pedido"))
            assert carla.texts()[before:] == [t("conv.edited.applied", "pt_BR",
                                                fields="Assunto")]
            descricao = api.text_update(CARLA, "Vendas / Pedidos / Novo pedido: o pedido 4431 "
                                               "não confirma na versão 2026.11")
            await carla.send(descricao)
            await carla.click("Concluir")
            await carla.click("Padrão")
            assert "Erro ao confirmar pedido\n" in carla.last_text()
            before = len(carla.texts())
            await carla.send(edited(api, descricao, text="Vendas / Pedidos / Novo pedido: o "
                                    "pedido 4432 não confirma na versão 2026.11"))
            [again] = carla.texts()[before:]
            applied, summary = again.split("\n\n", 1)
            assert applied == t("conv.edited.applied", "pt_BR", fields="Descrição")
            assert "o pedido 4432 não confirma" in summary  # the summary, shown again
            assert "4431" not in summary
            assert question not in again
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            assert ticket.assunto == "Erro ao confirmar pedido"
            assert "4432" in ticket.descricao
            assert "4431" not in ticket.descricao

    asyncio.run(story())


def test_an_edit_after_the_ticket_is_registered_says_how_to_correct_it(
        sqlite_url: str, tmp_path: Path) -> None:
    """Registered, the ticket keeps what was sent; the customer is told to reply to the
    ticket's message with the correction (a new message would start another matter)."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await at_descricao(carla)
            descricao = api.text_update(CARLA, "Vendas / Pedidos / Novo pedido: o pedido 4431 "
                                               "não confirma na versão 2026.11")
            await carla.send(descricao)
            for label in ("Concluir", "Padrão", "Registrar"):
                await carla.click(label)
            await world.drain_outbox()
            before = len(carla.texts())
            await carla.send(edited(api, descricao, text="o pedido 4432"))
            assert carla.texts()[before:] == [t("telegram.edited", "pt_BR")]
            assert "Responder" in carla.last_text()
            [ticket] = tickets(world.desk)
            assert "4431" in ticket.descricao
            assert "4432" not in ticket.descricao

    asyncio.run(story())


def test_r11_a_contact_shared_at_the_phone_question_gives_its_number(sqlite_url: str,
                                                                     tmp_path: Path) -> None:
    """Telegram's attach menu shares one's own contact card with one tap: its number is the
    answer, as if typed (someone else's card is no answer about oneself)."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            await carla.say("/perfil")
            await carla.click("telefone")
            await carla.send(api.message_update(CARLA, contact={  # a colleague's: not hers
                "phone_number": "+55 11 3456-7890", "first_name": "João", "user_id": 777}))
            assert carla.last_text() == t("conv.unhandled.choice_or_text", "pt_BR",
                                          what=t("conv.unhandled.contact", "pt_BR"))
            await carla.send(api.message_update(CARLA, contact={
                "phone_number": "5511987654321", "first_name": "Carla", "user_id": CARLA}))
            assert t("conv.profile.phone_changed", "pt_BR",
                     phone="(11) 98765-4321") in carla.last_text()
            with world.desk.store() as uow:
                user = uow.users.get(ids["carla"])
                assert user is not None
                assert user.phone == "+5511987654321"

    asyncio.run(story())


def test_r19_aprovar_tapped_on_yesterdays_question_approves(sqlite_url: str,
                                                             tmp_path: Path) -> None:
    """A button of the question still on screen names that question: however long ago it was
    asked, the tap is its answer (typed words a day later are what could be misread)."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"])
            world.desk.call(handling.take, ids["ana"], opened.id)
            world.desk.call(closing.request_approval, ids["ana"], opened.id,
                            "Atualizamos o certificado; a nota já pode ser emitida.",
                            origin_id="erro_sistema")
            prompt = await world.bot_says(carla, "Você aprova a solução?")
            await world.drain_outbox()
            world.desk.call(quiet_since, telegram_key(CARLA, CARLA), timedelta(hours=30))
            before = len(carla.texts())
            await carla.click("Aprovar", prompt["message_id"])
            said = carla.since(before)
            assert t("conv.stale", "pt_BR") not in said
            assert f"Ticket {opened.number} aprovado e encerrado." in said
            with world.desk.store() as uow:
                ticket = uow.tickets.get(opened.id)
                assert ticket is not None
                assert ticket.status == Status.CLOSED

    asyncio.run(story())


def quiet_since(ctx: Ctx, key: ConversationKey, quiet: timedelta) -> None:
    """Make the conversation's last answer `quiet` ago (the host runs on the wall clock)."""
    state = ctx.uow.conversations.get(key)
    assert state is not None
    assert state.updated_at is not None
    state.updated_at -= quiet
    ctx.uow.conversations.save(state)


STICKER = {"file_id": "CAACAgIAAxk", "file_unique_id": "AgADYQ", "width": 512, "height": 512,
           "is_animated": False, "is_video": False, "type": "regular", "emoji": "👍"}


def test_r3_a_sticker_or_a_die_says_what_the_question_takes_and_keeps_the_draft(
        sqlite_url: str, tmp_path: Path) -> None:
    """'Ainda não sei tratar esse tipo de mensagem' told nothing useful; now the bot names what
    came and what this question takes, in the customer's language, and the ticket being
    opened stays as it was."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await carla.say("/novo")
            await carla.click("Suporte")
            before = len(carla.texts())
            await carla.send(api.message_update(CARLA, dice={"emoji": "🎲", "value": 4}))
            assert carla.texts()[before:] == [t(
                "conv.unhandled.choice_or_text", "pt_BR",
                what=t("conv.unhandled.dice", "pt_BR"))]
            await carla.click("Vendas")  # the serviço question's buttons still work
            await carla.click("atual")
            await carla.say("Pedido não confirma")
            before = len(carla.texts())
            await carla.send(api.message_update(CARLA, sticker=STICKER))
            [said] = carla.texts()[before:]
            assert said == t("conv.unhandled.text_or_files", "pt_BR",
                             what=t("conv.unhandled.sticker", "pt_BR")) + " " + \
                t("conv.unhandled.kept", "pt_BR")
            await carla.say("Vendas / Pedidos / Novo pedido: o pedido 4431 não confirma na "
                            "versão 2026.11")
            await carla.click("Concluir")
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            assert ticket.assunto == "Pedido não confirma"
            assert "4431" in ticket.descricao

    asyncio.run(story())


def test_r3_a_sticker_is_answered_in_the_customer_s_language(sqlite_url: str,
                                                            tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    def english(ctx: Ctx, user_id: int) -> None:
        user = ctx.uow.users.get(user_id)
        assert user is not None
        user.language = "en"
        ctx.uow.users.update(user)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            world.desk.call(english, ids["carla"])
            await carla.send(world.api.message_update(CARLA, sticker=STICKER))
            assert carla.last_text() == t("conv.unhandled.idle", "en",
                                          what=t("conv.unhandled.sticker", "en"))
            assert carla.last_text().startswith("I got a sticker, but I cannot read it.")

    asyncio.run(story())


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
def test_a_forwarded_text_or_one_with_a_link_preview_is_taken_as_typed(
        sqlite_url: str, tmp_path: Path, webhook: bool) -> None:
    """A plain text is read without PTB's message reader (bots.telegram.inbox); a forwarded
    one, one with a link's preview and a command with its entity are read as before."""
    world = TelegramWorld(sqlite_url, tmp_path, webhook=webhook)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            api = world.api
            await to_the_assunto(carla)
            forwarded = api.text_update(CARLA, "Pedido não confirma")
            forwarded["message"]["forward_origin"] = {
                "type": "user", "date": int(time.time()) - 60,
                "sender_user": {"id": 8, "is_bot": False, "first_name": "Rui"}}
            await carla.send(forwarded)
            preview = api.text_update(CARLA, "Veja https://erp.example.com/pedidos/4431: o "
                                             "pedido não confirma")
            preview["message"]["link_preview_options"] = {"is_disabled": True}
            preview["message"]["entities"] = [{"type": "url", "offset": 5, "length": 34}]
            await carla.send(preview)
            await carla.click("Concluir")
            await carla.click("Padrão")
            await carla.click("Registrar")
            [ticket] = tickets(world.desk)
            assert ticket.assunto == "Pedido não confirma"
            assert ticket.descricao.startswith("Veja https://erp.example.com/pedidos/4431")
            await carla.say("/novo")  # a command and its entity, read without PTB's reader
            newest, _ = carla.button("Suporte")
            assert newest == carla.messages()[-1]["message_id"]

    asyncio.run(story())
