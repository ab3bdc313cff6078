"""R8 in Telegram: a search that finds more than 1 000 tickets says "mais de 1 000" and still
turns its pages."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage_world import add_tickets
from telegram_harness import TelegramWorld, link, seed

ANA = 5003


def test_r8_an_agents_search_for_a_common_word_says_more_than_1000_and_turns_pages(
        sqlite_url: str, tmp_path: Path) -> None:
    """The listing's header counted every match (0.9 s for 'nota' at 1 000 000 tickets); it
    stops at 1 000 and says so, with no last page to name, and Próxima still goes on."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["ana"], ANA)
            world.desk.call(lambda ctx: add_tickets(ctx.uow, 1001, ids["carla"],
                                                    "Nota fiscal rejeitada"))
            ana = world.chat(ANA)
            await ana.say("/tickets nota")
            # The listing comes under the greeting of her first words: its header line.
            header = next(line for line in ana.last_text().split("\n") if "Tickets —" in line)
            assert "mais de 1\u00a0000 tickets. Página 1." in header, header
            await ana.click("Próxima")
            assert "mais de 1\u00a0000 tickets. Página 2." in ana.last_text()
            assert "Anterior" in str(world.api.keyboard(ANA, ana.messages()[-1]["message_id"]))

    asyncio.run(story())
