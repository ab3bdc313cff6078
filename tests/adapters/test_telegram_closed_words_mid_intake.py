"""R3, R7 in Telegram: words about a ticket closed since, replied to its message or edited
into a trâmite it received, are never lost: in the middle of an intake they join the
descrição of the ticket being opened (its files the anexos), said so; else they are offered
as a new ticket naming the closed one."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from telegram_harness import (
    CARLA,
    TelegramWorld,
    closed_after_approval,
    linked_carla,
    open_ticket,
    photo,
    to_the_assunto,
)

from core.conversation.identity import telegram_key
from core.i18n import t
from core.services import closing


def _draft(world: TelegramWorld) -> dict[str, Any]:
    """The draft of the ticket Carla is opening."""
    with world.desk.store() as uow:
        state = uow.conversations.get(telegram_key(CARLA, CARLA))
    assert state is not None
    return dict(state.data["intake"]["draft"])


def _edited(api: Any, update: dict[str, Any], text: str) -> dict[str, Any]:
    """The edited_message update Telegram sends when the message of `update` changes."""
    return {"update_id": api.next_update_id(),
            "edited_message": {**update["message"], "text": text,
                               "edit_date": int(time.time())}}


def test_r7_a_reply_to_a_closed_ticket_mid_intake_joins_the_descricao(
        db_url: str, tmp_path: Path) -> None:
    """Carla, at the descrição of a new ticket, replied 'voltou a travar hoje no caixa 3' to
    a closed ticket's registration: she read that the ticket is closed and her words were
    gone. They join the descrição (naming the closed ticket), shown at its question to keep."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened, note = await closed_after_approval(world, ids, carla)
            await to_the_assunto(carla)
            await carla.say("Pedido travado de novo")
            before = len(carla.texts())
            words = "voltou a travar hoje no caixa 3"
            await carla.say(words, reply_to=note["message_id"])
            said = carla.since(before)
            assert t("conv.tramite.not_open_closed", number=opened.number) in said
            assert t("conv.replied.closed_joined", number=opened.number) in said
            assert t("conv.intake.ask_descricao") in carla.last_text()
            assert words in carla.last_text()
            descricao = _draft(world)["descricao"]
            assert descricao == f"{t('conv.typed.follows', number=opened.number)}\n{words}"
            assert _draft(world)["assunto"] == "Pedido travado de novo"
            await carla.click(t("conv.intake.keep_descricao"))
            assert words in _draft(world)["descricao"]

    asyncio.run(story())


def test_r4_a_captioned_photo_replied_to_a_closed_ticket_mid_intake_joins_the_anexos(
        sqlite_url: str, tmp_path: Path) -> None:
    """A print with its caption, replied to the closed ticket at the assunto question: the
    print joins the anexos, the caption the descrição; the assunto is still asked."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            opened, note = await closed_after_approval(world, ids, carla)
            await to_the_assunto(carla)
            words = "voltou a travar hoje no caixa 3"
            await carla.send(api.message_update(CARLA, photo=photo(api, b"\x89PNG caixa 3"),
                                                caption=words, reply_to=note["message_id"]))
            assert t("conv.tramite.not_open_closed", number=opened.number) in carla.since(0)
            assert "Assunto" in carla.last_text() or "assunto" in carla.last_text()
            kept = _draft(world)
            assert words in kept["descricao"]
            assert [a["filename"][:5] for a in kept["attachments"]] == ["foto-"]

    asyncio.run(story())


async def _tramite_then_closed(world: TelegramWorld, ids: dict[str, int], carla: Any
                               ) -> tuple[Any, dict[str, Any]]:
    """Carla's trâmite replied to her ticket's registration, then the ticket solved,
    approved and rated: closed for good. The ticket, and the trâmite's update (to edit)."""
    api = world.api
    await carla.say("oi")
    ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
    note = await world.bot_says(carla, ticket.number)
    sent = api.text_update(CARLA, "O pedido 44 continua travado", reply_to=note["message_id"])
    await carla.send(sent)
    assert t("conv.tramite.added", number=ticket.number) in carla.last_text()
    world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                    "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    await world.bot_says(carla, "Você aprova a solução?")
    await carla.click(t("conv.closing.approve"))
    await carla.click(t("rating.otimo"))
    return ticket, sent


def test_r7_an_edited_tramite_of_a_closed_ticket_is_offered_as_a_new_ticket(
        db_url: str, tmp_path: Path) -> None:
    """Carla corrected a trâmite after its ticket closed: she was told only that a trâmite
    sent does not change, the corrected words neither offered nor kept."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            ticket, sent = await _tramite_then_closed(world, ids, carla)
            before = len(carla.texts())
            await carla.send(_edited(world.api, sent, "O pedido 4431 continua travado"))
            said = carla.since(before)
            assert t("conv.edited.tramite", number=ticket.number) in said
            assert t("conv.tramite.not_open_closed", number=ticket.number) in said
            assert "O pedido 4431 continua travado" in said
            assert t("conv.typed.follows_note", number=ticket.number) in said
            await carla.click(t("conv.typed.open"))
            assert t("conv.intake.intro") in carla.since(before)

    asyncio.run(story())


def test_r7_an_edited_tramite_of_a_closed_ticket_mid_intake_joins_the_descricao(
        sqlite_url: str, tmp_path: Path) -> None:
    """The same edit in the middle of an intake: the corrected words join the descrição of
    the ticket being opened, said so, and its question comes again."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            ticket, sent = await _tramite_then_closed(world, ids, carla)
            await to_the_assunto(carla)
            before = len(carla.texts())
            await carla.send(_edited(world.api, sent, "O pedido 4431 continua travado"))
            said = carla.since(before)
            assert t("conv.edited.tramite", number=ticket.number) in said
            assert t("conv.replied.closed_joined", number=ticket.number) in said
            assert "O pedido 4431 continua travado" in _draft(world)["descricao"]
            await carla.say("Pedido travado de novo")  # the assunto, as asked before
            assert _draft(world)["assunto"] == "Pedido travado de novo"

    asyncio.run(story())
