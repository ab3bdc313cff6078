"""Two `helpdesk run` instances in webhook mode on one PostgreSQL database serve one intake
whose updates alternate between them, some at the same moment: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes.databases import db_kinds
from telegram_harness import CARLA, TelegramWorld, TgChat, link, seed, tickets

from core.conversation import telegram_key
from core.i18n import t

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgres" not in db_kinds(), reason="HELPDESK_TEST_DB excludes PostgreSQL"),
]


class Alternating(TgChat):
    """Carla's chat whose updates Telegram hands to instance A, then B, then A..."""

    def __init__(self, a: TelegramWorld, b: TelegramWorld) -> None:
        super().__init__(a, CARLA)
        self.instances = (a, b)
        self.turn = 0

    async def send(self, update: dict[str, Any], times: int = 1,
                   within: float = 20.0) -> list[int]:
        """Post to the instance whose turn it is (a webhook answers once processed)."""
        statuses = []
        for _ in range(times):
            world = self.instances[self.turn % 2]
            self.turn += 1
            statuses.append(await world.post(update))
        return statuses

    async def together(self, *updates: dict[str, Any]) -> list[int]:
        """Deliver updates to both instances at the same moment."""
        posts = [self.instances[n % 2].post(u) for n, u in enumerate(updates)]
        return list(await asyncio.gather(*posts))


def state(world: TelegramWorld) -> Any:
    with world.desk.store() as uow:
        return uow.conversations.get(telegram_key(CARLA, CARLA))


def test_two_instances_alternate_on_one_intake(new_db_url: Callable[[str], str],
                                               tmp_path: Path) -> None:
    url = new_db_url("postgres")
    a = TelegramWorld(url, tmp_path / "a", webhook=True, name="a")
    b = TelegramWorld(url, tmp_path / "b", webhook=True, api=a.api, name="b")

    async def story() -> None:
        await a.api.start()
        async with a, b:
            ids = seed(a.desk)
            a.desk.call(link, ids["carla"], CARLA)
            carla = Alternating(a, b)
            api = a.api
            await carla.say("oi")
            await carla.click("Abrir ticket")
            await carla.click("Suporte")
            # The same update delivered to both instances at once: processed once.
            mid, data = carla.button("Vendas")
            twice = api.callback_update(CARLA, mid, data)
            assert await carla.together(twice, twice) == [200, 200]
            assert a.conversations.stats.duplicates + b.conversations.stats.duplicates == 1
            # The serviço question edited into the version's once (bots.telegram.form).
            asked = [x for x in carla.texts() if t("conv.intake.ask_versao")[:20] in x]
            assert len(asked) == 1
            assert asked[0].count("✅ Vendas") == asked[0].count(
                t("conv.intake.ask_versao")[:20]) == 1
            await carla.click("atual")
            # Two different updates at the same moment: both applied, in some order.
            await carla.together(api.text_update(CARLA, "Pedido não confirma"),
                                 api.text_update(CARLA, "/ajuda"))
            current = state(a)
            assert current.step == "intake.descricao"
            assert current.data["intake"]["draft"]["assunto"] == "Pedido não confirma"
            await carla.say("Vendas / Pedidos / Novo: o pedido 4431 não confirma na 2026.11")
            # A button pressed on both instances at once acts once.
            mid, data = carla.button("Concluir")
            await carla.together(api.callback_update(CARLA, mid, data),
                                 api.callback_update(CARLA, mid, data))
            asked = [x for x in carla.texts() if t("conv.intake.ask_prioridade") in x]
            assert len(asked) == 1
            assert asked[0].count(t("conv.intake.ask_prioridade")) == 1
            await carla.click("Padrão")
            await carla.click("Registrar o Ticket")
            [ticket] = tickets(a.desk)
            assert ticket.assunto == "Pedido não confirma"
            assert ticket.number in carla.since(0)
            for world in (a, b):
                stats = world.conversations.stats
                print(f"instance {world.name}: {stats}")
        await a.api.stop()

    asyncio.run(story())
