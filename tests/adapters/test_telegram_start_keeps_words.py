"""R19 in Telegram: /start at the question that asks whether words saying the solution did not
work are the reason or the restriction put Carla back at the menu, her words gone. The
question comes back with the words, and they go as the reason."""

from __future__ import annotations

import asyncio
from html import escape
from pathlib import Path

from telegram_harness import TelegramWorld, linked_carla, open_ticket

from core.i18n import t
from core.models import EntryKind, Status
from core.services import closing

WORDS = "não funcionou, a nota 10130 ainda volta rejeitada"


def test_r19_start_at_the_restriction_check_keeps_the_words(db_url: str, tmp_path: Path
                                                            ) -> None:
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            await carla.say("oi")
            ticket = open_ticket(world.desk, ids["carla"], "Nota rejeitada")
            await world.bot_says(carla, ticket.number)
            world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                            "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
            await world.bot_says(carla, "Você aprova a solução?")
            await carla.click(t("conv.closing.partial"))
            await carla.say(WORDS)
            check = t("conv.closing.comment_check", number=ticket.number)
            assert carla.last_text() == check
            before = len(carla.texts())
            await carla.say("/start")
            said = carla.since(before)
            assert escape(t("conv.resume_kept", about=WORDS), quote=False) in said
            assert t("conv.menu.prompt") not in said
            assert carla.last_text().endswith(check)
            await carla.click(t("conv.closing.check_not_approve"))
            await world.bot_says(carla, t("conv.closing.not_approved", number=ticket.number))
            with world.desk.store() as uow:
                stored = uow.tickets.get(ticket.id or 0)
                mine = [e.text for e in uow.entries.list(ticket.id or 0, False)
                        if e.kind == EntryKind.PUBLIC and e.author_id == ids["carla"]]
            assert stored is not None
            assert stored.status == Status.IN_PROGRESS
            assert mine == [WORDS]

    asyncio.run(story())
