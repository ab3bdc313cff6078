"""R12 in Telegram: a workaround the team sends reaches the customer's chat told as one, with
the definitive fix to follow (the agent's formatting as HTML), and a reply to it is a trâmite
of the ticket, which stays open."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import TelegramWorld, linked_carla, open_ticket

from core.conversation.contact import team_away
from core.i18n import t
from core.models import EntryKind, Status
from core.services import handling, workaround


def test_r12_the_workaround_reaches_the_chat_as_one_and_a_reply_is_a_tramite(
        db_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            opened = open_ticket(world.desk, ids["carla"])
            world.desk.call(handling.take, ids["ana"], opened.id)
            world.desk.call(workaround.send_workaround, ids["ana"], opened.id,
                            "Emita em **contingência** até a correção.")
            said = await world.bot_says(carla, "solução de contorno")
            assert opened.number in said["text"]
            assert "<b>contingência</b>" in said["text"]
            assert "solução definitiva" in said["text"]
            assert said["text"].endswith(t("telegram.reply_hint", number=opened.number))
            before = len(carla.texts())
            await carla.say("Funcionou em contingência, aguardo a correção.",
                            reply_to=said["message_id"])
            away = world.desk.call(team_away, "pt_BR")  # R14, outside business hours
            assert carla.texts()[before:] == [f"Trâmite adicionado ao ticket {opened.number}."
                                              + (f"\n\n{away}" if away else "")]
            with world.desk.store() as uow:
                stored = uow.tickets.get(opened.id)
                mine = [e.text for e in uow.entries.list(opened.id, include_internal=False)
                        if e.kind == EntryKind.PUBLIC and e.author_id == ids["carla"]]
            assert stored.status == Status.IN_PROGRESS
            assert mine == ["Funcionou em contingência, aguardo a correção."]

    asyncio.run(story())
