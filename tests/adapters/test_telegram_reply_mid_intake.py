"""R7 in Telegram: a reply to an older ticket's message in the middle of an intake goes to that
ticket, and the question the customer was answering is asked again, what she typed kept."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, linked_carla, open_ticket, to_the_assunto

from core.conversation.identity import telegram_key
from core.i18n import t
from core.models import EntryKind


def test_r7_a_reply_to_an_older_ticket_mid_intake_asks_the_pending_question_again(
        db_url: str, tmp_path: Path) -> None:
    """Carla, at the descrição of a new ticket, replied 'o caixa 2 também travou' to an older
    ticket's message: the trâmite went, and nothing else was said, so she did not know she
    was still opening a ticket. The descrição question comes again, her assunto kept."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            await carla.say("oi")
            older = open_ticket(world.desk, ids["carla"], "Pedido travado")
            note = await world.bot_says(carla, older.number)
            await to_the_assunto(carla)
            await carla.say("Nota fiscal rejeitada")
            assert t("conv.intake.ask_descricao") in carla.last_text()
            before = len(carla.texts())
            words = "o caixa 2 também travou"
            await carla.send(world.api.text_update(CARLA, words, reply_to=note["message_id"]))
            said = carla.since(before)
            assert t("conv.tramite.added", number=older.number) in said
            assert said.index(t("conv.tramite.added", number=older.number)) < \
                said.index(t("conv.intake.ask_descricao"))
            assert carla.last_text().endswith(t("conv.intake.ask_descricao"))
            await carla.say("Vendas / Notas / Emitir: a nota 10125 é rejeitada na versão 2026.11")
            carla.button(t("conv.intake.anexos_done"), carla.messages()[-1]["message_id"])
            with world.desk.store() as uow:
                mine = [e.text for e in uow.entries.list(older.id or 0, False)
                        if e.kind == EntryKind.PUBLIC and e.author_id == ids["carla"]]
                assert mine[-1] == words
                state = uow.conversations.get(telegram_key(CARLA, CARLA))
            assert state is not None
            assert state.data["intake"]["draft"]["assunto"] == "Nota fiscal rejeitada"

    asyncio.run(story())
