"""R7, R19 in Telegram: a photo with a caption, replied to a message about a ticket, keeps its
file where words alone would go: offered with a new ticket when the ticket closed since, with
the decision when the caption decides the approval it was replied to."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import (
    CARLA,
    TelegramWorld,
    closed_after_approval,
    linked_carla,
    open_ticket,
    photo,
    two_awaiting_approval,
)

from core.i18n import t
from core.models import Decision, EntryKind, Status
from core.services import handling


def test_r7_a_captioned_photo_replied_to_a_closed_ticket_is_offered_with_a_new_ticket(
        db_url: str, tmp_path: Path) -> None:
    """Carla replied a photo of the error, 'voltou a travar hoje no caixa 3', to a closed
    ticket's registration: the refusal said to open a new ticket and the photo was lost."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            opened, note = await closed_after_approval(world, ids, carla)
            words = "voltou a travar hoje no caixa 3"
            await carla.send(api.message_update(CARLA, photo=photo(api, b"\x89PNG caixa 3"),
                                                caption=words, reply_to=note["message_id"]))
            said = carla.last_text()
            assert t("conv.tramite.not_open_closed", number=opened.number) in said
            assert words in said
            assert "1 arquivo: foto-" in said
            assert t("conv.typed.follows_note", number=opened.number) in said
            await carla.click(t("conv.typed.open_files"))
            assert t("conv.intake.intro") in carla.since(0)

    asyncio.run(story())


def test_r19_a_captioned_photo_replied_to_the_approval_request_is_its_decision(
        db_url: str, tmp_path: Path) -> None:
    """'não resolveu, o pedido 4431 continua travando' with a print, replied to the approval
    request, became a trâmite and the ticket kept waiting (to close as approved after 15
    days); 'funcionou' with a photo too. Now the words decide, as typed at the question, and
    the print goes with the reason."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            first, second, asked = await two_awaiting_approval(world, ids, carla)
            await carla.say("/tickets")
            words = "não resolveu, o pedido 4431 continua travando"
            await carla.send(api.message_update(CARLA, photo=photo(api, b"\x89PNG erro 4431"),
                                                caption=words,
                                                reply_to=asked[second.id]["message_id"]))
            assert t("conv.closing.ask_reason", number=second.number) in carla.last_text()
            await carla.click(t("conv.closing.use_said"))
            with world.desk.store() as uow:
                reason = [e for e in uow.entries.list(second.id, False)
                          if e.kind == EntryKind.PUBLIC][-1]
                assert reason.text == words
                assert len(uow.entries.attachments(second.id)) == 1
                stored = uow.tickets.get(second.id)
                assert stored is not None
                assert (stored.status, stored.decision) == (Status.IN_PROGRESS,
                                                            Decision.NOT_APPROVED)

            await carla.send(api.message_update(CARLA, photo=photo(api, b"\x89PNG ok"),
                                                caption="funcionou, pode encerrar",
                                                reply_to=asked[first.id]["message_id"]))
            # As a print with that caption at the question: kept should Não aprovar come.
            assert carla.last_text() == "\n\n".join([
                t("conv.closing.files_for_decision", count=1),
                t("conv.closing.confirm_approve", number=first.number)])
            await carla.click(t("conv.closing.confirm_yes"))
            with world.desk.store() as uow:
                stored = uow.tickets.get(first.id)
                assert stored is not None
                assert (stored.status, stored.decision) == (Status.CLOSED, Decision.APPROVED)
                # Approved after all: the photo stays in the thread, as a trâmite before it.
                assert len(uow.entries.attachments(first.id)) == 1
            assert t("conv.closing.files_as_tramite", count=1, number=first.number) \
                in carla.since(len(carla.texts()) - 3)

    asyncio.run(story())


def test_r18_a_captioned_photo_replied_to_a_duplicate_is_offered_to_its_original(
        db_url: str, tmp_path: Path) -> None:
    """Carla replied a photo, 'continua travando no caixa 3', to the registration of a ticket
    rejected as a duplicate: the plain refusal, and the photo was lost. It is offered as a
    trâmite of the original, where the attendance goes on: Enviar sends words and photo."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            api = world.api
            await carla.say("oi")
            original = open_ticket(world.desk, ids["carla"], "Pedido travado")
            again = open_ticket(world.desk, ids["carla"], "Pedido travado de novo")
            note = await world.bot_says(carla, again.number)
            world.desk.call(handling.reject_duplicate, ids["ana"], again.id, original.number)
            await world.bot_says(carla, "rejeitado por duplicidade")  # its notice first
            words = "continua travando no caixa 3"
            await carla.send(api.message_update(CARLA, photo=photo(api, b"\x89PNG caixa 3"),
                                                caption=words, reply_to=note["message_id"]))
            said = carla.last_text()
            assert t("conv.tramite.not_open_duplicate", number=again.number,
                     original=original.number) in said
            assert t("conv.tramite.offer", number=original.number) in said
            assert words in said
            await carla.click(t("conv.tramite.send_said"))
            with world.desk.store() as uow:
                mine = [e for e in uow.entries.list(original.id, False)
                        if e.kind == EntryKind.PUBLIC and e.author_id == ids["carla"]]
                assert [e.text for e in mine] == [words]
                assert len(uow.entries.attachments(original.id)) == 1

    asyncio.run(story())
