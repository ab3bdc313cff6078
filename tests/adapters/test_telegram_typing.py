"""'typing…' while a step takes long: here the database is busy with another writer."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, linked_carla


def test_a_step_waiting_for_the_database_shows_typing_then_answers(sqlite_url: str,
                                                                  tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            before = len(world.api.calls_of("sendChatAction", CARLA))
            other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), timeout=5,
                                    isolation_level=None, check_same_thread=False)
            other.execute("BEGIN IMMEDIATE")  # another process writing: the step waits
            release = threading.Timer(3 * world.options.typing_after, other.rollback)
            release.start()
            try:
                await carla.click("Suporte")
            finally:
                release.join()
                other.close()
            typing = world.api.calls_of("sendChatAction", CARLA)[before:]
            assert [c.params["action"] for c in typing] == ["typing"]
            carla.button("Vendas")  # then the answer: the next question

    asyncio.run(story())
