"""An edit (Telegram's edited_message) of a message already sent as a ticket's trâmite: the
trâmite sent stays as the team received it, the customer is told so, naming the ticket, and the
corrected text is offered as a new trâmite (R7)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from telegram_harness import CARLA, TelegramWorld, linked_carla, open_ticket, to_the_assunto

from core.i18n import t
from core.models import EntryKind
from core.services import closing, users


def edited(api: Any, update: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The edited_message update Telegram sends when the message of `update` changes."""
    return {"update_id": api.next_update_id(),
            "edited_message": {**update["message"], **changes, "edit_date": int(time.time())}}


def public(world: TelegramWorld, ticket_id: int) -> list[str]:
    """The ticket's public trâmites' texts, oldest first."""
    with world.desk.store() as uow:
        return [e.text for e in uow.entries.list(ticket_id, include_internal=True)
                if e.kind == EntryKind.PUBLIC]


def test_r7_an_edited_tramite_is_said_sent_and_its_new_text_offered_as_another(
        db_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            note = await world.bot_says(carla, ticket.number)
            sent = api.text_update(CARLA, "O pedido 44 continua travado",
                                   reply_to=note["message_id"])
            await carla.send(sent)
            assert t("conv.tramite.added", "pt_BR", number=ticket.number) in carla.last_text()
            before = len(carla.texts())
            await carla.send(edited(api, sent, text="O pedido 4431 continua travado"))
            said = carla.since(before)
            assert t("conv.edited.tramite", "pt_BR", number=ticket.number) in said
            assert "“O pedido 4431 continua travado”" in said
            assert t("telegram.edited", "pt_BR") not in said
            await carla.click(t("conv.tramite.send_said", "pt_BR"))
            assert public(world, ticket.id or 0) == ["O pedido 44 continua travado",
                                                     "O pedido 4431 continua travado"]

    asyncio.run(story())


def test_r7_an_edited_tramite_in_the_middle_of_an_intake_names_its_ticket_and_keeps_the_draft(
        sqlite_url: str, tmp_path: Path) -> None:
    """Opening another ticket meanwhile: not 'this edit does not change the ticket you are
    opening' (it was never about that one); the ticket it went to named, how to send the
    correction said, the draft and its question untouched."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            note = await world.bot_says(carla, ticket.number)
            await to_the_assunto(carla)
            sent = api.text_update(CARLA, "O pedido 44 continua travado",
                                   reply_to=note["message_id"])
            await carla.send(sent)
            before = len(carla.texts())
            await carla.send(edited(api, sent, text="O pedido 4431 continua travado"))
            said = carla.since(before)
            assert t("conv.edited.tramite", "pt_BR", number=ticket.number) in said
            assert t("conv.edited.tramite_reply", "pt_BR", number=ticket.number) in said
            assert t("conv.edited.intake", "pt_BR") not in said
            await carla.say("Boleto sai sem o desconto")  # the assunto, as asked before
            assert "Agora descreva o problema" in carla.last_text()
            assert public(world, ticket.id or 0) == ["O pedido 44 continua travado"]

    asyncio.run(story())


def test_r7_words_on_offer_at_a_ticket_s_page_edited_are_the_words_sent(
        sqlite_url: str, tmp_path: Path) -> None:
    """Words typed at a ticket's page wait for Enviar: an edit then changes what will be sent,
    shown again; once sent, an edit of them is told the trâmite went, the new text offered."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.drain_outbox()
            await carla.say(f"ticket {ticket.number}")
            typed = api.text_update(CARLA, "Ainda trava o pedido 44")
            await carla.send(typed)
            before = len(carla.texts())
            await carla.send(edited(api, typed, text="Ainda trava o pedido 4431"))
            said = carla.since(before)
            assert t("conv.edited.offer", "pt_BR") in said
            assert "“Ainda trava o pedido 4431”" in said
            await carla.click(t("conv.tramite.send_said", "pt_BR"))
            assert public(world, ticket.id or 0) == ["Ainda trava o pedido 4431"]
            before = len(carla.texts())
            await carla.send(edited(api, typed, text="Ainda trava o pedido 4432"))
            said = carla.since(before)
            assert t("conv.edited.tramite", "pt_BR", number=ticket.number) in said
            assert "“Ainda trava o pedido 4432”" in said
            await carla.click(t("conv.tramite.drop", "pt_BR"))
            assert public(world, ticket.id or 0) == ["Ainda trava o pedido 4431"]

    asyncio.run(story())


def test_r7_a_tramite_written_by_its_button_then_edited_is_said_sent(
        sqlite_url: str, tmp_path: Path) -> None:
    """Escrever trâmite, then the words (sent at once): their edit names the ticket, in the
    customer's language."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            world.desk.call(users.set_language, "carla@mercado.com.br", "en")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.drain_outbox()
            await carla.say(f"ticket {ticket.number}")
            await carla.click(t("conv.ticket.add_tramite", "en"))
            typed = api.text_update(CARLA, "Order 44 still stuck")
            await carla.send(typed)
            assert public(world, ticket.id or 0) == ["Order 44 still stuck"]
            before = len(carla.texts())
            await carla.send(edited(api, typed, text="Order 4431 still stuck"))
            said = carla.since(before)
            assert t("conv.edited.tramite", "en", number=ticket.number) in said
            assert "“Order 4431 still stuck”" in said

    asyncio.run(story())


def test_r19_an_edited_reason_for_not_approving_is_said_sent_and_offered_again(
        sqlite_url: str, tmp_path: Path) -> None:
    """The reason typed for Não aprovar went into the ticket's thread at once: its edit is told
    so, the reason stays as sent, the corrected words offered as a trâmite."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.bot_says(carla, ticket.number)
            world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await world.bot_says(carla, "Você aprova a solução?")
            await carla.click(t("conv.closing.reject", "pt_BR"))
            reason = api.text_update(CARLA, "Continua travando o pedido 44")
            await carla.send(reason)
            before = len(carla.texts())
            await carla.send(edited(api, reason, text="Continua travando o pedido 4431"))
            said = carla.since(before)
            assert t("conv.edited.tramite", "pt_BR", number=ticket.number) in said
            assert "“Continua travando o pedido 4431”" in said
            await carla.click(t("conv.tramite.send_said", "pt_BR"))
            assert public(world, ticket.id or 0)[-2:] == ["Continua travando o pedido 44",
                                                          "Continua travando o pedido 4431"]
            with world.desk.store() as uow:
                stored = uow.tickets.get(ticket.id or 0)
                assert stored is not None
                assert stored.decision_comment == "Continua travando o pedido 44"

    asyncio.run(story())
