"""R2 in Telegram: a deactivated person is refused, and once reactivated is recognised again in
the chat already linked, with no new invite code."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import CARLA, TelegramWorld, seed

from core.i18n import t
from core.services import users


def test_r2_a_deactivated_customer_is_refused_and_recognised_again_once_reactivated(
        sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            seed(world.desk)
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            carla = world.chat(CARLA)
            await carla.say(f"/start {code}")
            assert "Carla Souza" in carla.since(0)
            world.desk.call(users.deactivate, "carla@mercado.com.br", "Saiu da empresa")
            await carla.say("oi")
            assert carla.last_text() == t("conv.eligibility.inactive", contact="")
            world.desk.call(users.reactivate, "carla@mercado.com.br")
            seen = len(carla.texts())
            await carla.say("oi")
            said = carla.since(seen)
            assert "Carla" in said
            assert t("conv.eligibility.inactive", contact="") not in said
            assert "código de convite" not in said
            with world.desk.store() as uow:
                assert uow.users.by_telegram(CARLA).active

    asyncio.run(story())
