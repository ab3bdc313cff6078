"""R8 in Telegram and Slack: a month's listing with no ticket offers Todo o período and the
nearest month with tickets as buttons (core's choices, each adapter's buttons). Before, only
the filters: nothing led to the months that had tickets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_harness import Scenario, SlackWorld
from telegram_harness import TelegramWorld, linked_carla, now, open_ticket

from core.i18n import local_time
from core.months import title

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def _this_month() -> str:
    """The current month's name, as the listing says it ("dezembro de 2026")."""
    local = local_time(now(), "America/Sao_Paulo") or now()
    return title(f"{local:%Y-%m}", "pt_BR")


def test_r8_an_empty_month_in_telegram_offers_all_time_and_the_month_with_tickets(
        sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            open_ticket(world.desk, ids["carla"], "Boleto com vencimento errado")
            await world.drain_outbox()  # its receipt, before the listing's answers
            await carla.say("/tickets de janeiro de 2020")
            assert "janeiro de 2020: 0 tickets" in carla.last_text()
            assert f"Há tickets em {_this_month()}." in carla.last_text()
            await carla.click(_this_month())
            assert f"{_this_month()}: 1 ticket." in carla.last_text()
            await carla.say("/tickets de janeiro de 2020")
            await carla.click("Todo o período")
            assert "todo o período: 1 ticket." in carla.last_text()

    asyncio.run(story())


def _buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {el["text"]["text"]: el for blk in message["blocks"] if blk["type"] == "actions"
            for el in blk["elements"] if el.get("type") == "button"}


def test_r8_an_empty_month_in_slack_offers_all_time_and_the_month_with_tickets(
        run: Callable[[Scenario], None]) -> None:
    async def scenario(w: SlackWorld) -> None:
        ticket = await w.open_ticket("carla")
        await w.dm("UANA", "tickets de janeiro de 2020")
        listing = await w.until(lambda: next((m for m in w.fake.messages("DANA")
                                              if "janeiro de 2020: 0 tickets" in m["text"]),
                                             None))
        buttons = _buttons(listing)  # the ticket's month: the world's clock's
        month = title(f"{(await w.ticket(ticket.id)).opened_at.astimezone(SAO_PAULO):%Y-%m}",
                      "pt_BR")
        assert f"Há tickets em {month}." in listing["text"]
        assert list(buttons)[:2] == ["Todo o período", month]
        every = buttons["Todo o período"]
        await w.click("UANA", every["action_id"], every["value"], channel="DANA",
                      message_ts=listing["ts"], message_text=listing["text"])
        await w.until(lambda: any("todo o período: 1 ticket." in m["text"]
                                  for m in w.fake.messages("DANA")))

    run(scenario)
