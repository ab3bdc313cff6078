"""A step that cannot be answered (an internal error, three times) tells the person so in
their own language, not the desk's."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from telegram_harness import CARLA, TelegramWorld, link, seed, until

from core.conversation import commands
from core.i18n import t


def english(ctx: Any, user_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    user.language = "en"
    ctx.uow.users.update(user)


def test_an_internal_error_is_said_in_the_persons_language(
        sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Carla reads English on a pt-BR desk: 'Algo deu errado. Tente de novo.' reached her."""
    world = TelegramWorld(sqlite_url, tmp_path)

    def broken(*_args: Any) -> None:
        raise RuntimeError("a bug in a step")

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            world.desk.call(english, ids["carla"])
            carla = world.chat(CARLA)
            await carla.say("hi")
            await until(lambda: carla.button("Help"), what="the menu")
            monkeypatch.setattr(commands, "run", broken)
            await carla.say("help")
            errors = {t("error.generic", "en"), t("error.generic", "pt_BR")}
            said = await until(lambda: [x for x in carla.texts() if x in errors],
                               what="the error said")
            assert said == [t("error.generic", "en")]
            await carla.click("Help")
            answers = await until(lambda: [
                c.params.get("text") for c in world.api.calls_of("answerCallbackQuery")
                if c.params.get("text")], what="the click answered")
            assert answers == [t("error.generic", "en")]

    asyncio.run(story())
