"""'typing…' while a step takes long: here the database is busy with another writer. Only a
typed message's step shows it, and only past a second: a click's button shows Telegram's
progress bar until its answerCallbackQuery, and an answer within the second replaces it at
once (sendChatAction: 'only when a response will take a noticeable amount of time')."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from telegram_harness import CARLA, FAST, TelegramWorld, linked_carla

from bots.telegram.channel import TelegramOptions


@contextlib.contextmanager
def busy_database(sqlite_url: str, seconds: float) -> Iterator[None]:
    """Another process writing for `seconds`: a step waits for it."""
    other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), timeout=5,
                            isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(seconds, other.rollback)
    release.start()
    try:
        yield
    finally:
        release.join()
        other.close()


def test_a_typed_step_waiting_for_the_database_shows_typing_then_answers(
        sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            for label in ("Suporte", "Vendas", "atual"):
                await carla.click(label)
            before = len(world.api.calls_of("sendChatAction", CARLA))
            with busy_database(sqlite_url, 3 * world.options.typing_after):
                await carla.say("Pedido não confirma")
            typing = world.api.calls_of("sendChatAction", CARLA)[before:]
            assert [c.params["action"] for c in typing] == ["typing"]
            assert "descreva o problema" in carla.last_text()  # then the answer

    asyncio.run(story())


def test_a_click_waiting_for_the_database_shows_the_buttons_progress_not_typing(
        sqlite_url: str, tmp_path: Path) -> None:
    """The click is answered (answerCallbackQuery, ending the progress bar) with its step's
    answer; a 'typing…' there was a request shown under that bar."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            before = len(world.api.calls_of("sendChatAction", CARLA))
            with busy_database(sqlite_url, 3 * world.options.typing_after):
                await carla.click("Suporte")
            assert world.api.calls_of("sendChatAction", CARLA)[before:] == []
            carla.button("Vendas")  # the answer: the next question

    asyncio.run(story())


def test_a_typed_step_answered_within_a_second_shows_no_typing(
        sqlite_url: str, tmp_path: Path) -> None:
    """With the channel's own timing (TelegramOptions' default), a step held 0.6 s answers
    before anyone would read 'typing…'."""
    world = TelegramWorld(sqlite_url, tmp_path,
                          options=replace(FAST, typing_after=TelegramOptions.typing_after))

    async def story() -> None:
        async with world:
            _, carla = linked_carla(world)
            await carla.say("/novo")
            before = len(world.api.calls_of("sendChatAction", CARLA))
            with busy_database(sqlite_url, 0.6):
                await carla.say("ajuda")
            assert world.api.calls_of("sendChatAction", CARLA)[before:] == []

    asyncio.run(story())
