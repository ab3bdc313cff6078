"""The steps of chats whose updates arrive together run together
(bots.telegram.steps.converse_many: SQLite, in one transaction; PostgreSQL, one after another
on one database thread), each answered and kept as if alone."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram_harness import TelegramWorld, link, until

from core.conversation.identity import telegram_key
from core.services import users
from core.services.context import Ctx

CHATS = list(range(7301, 7309))


def customers(ctx: Ctx) -> None:
    users.add_company(ctx, "Mercado Exemplo")
    for chat in CHATS:
        user = users.add_user(ctx, name=f"Cliente {chat}", email=f"c{chat}@mercado.com.br",
                              company_names=["Mercado Exemplo"], trained=True)
        link(ctx, user.id or 0, chat)


def steps_kept(ctx: Ctx) -> list[str | None]:
    found = [ctx.uow.conversations.get(telegram_key(chat, chat)) for chat in CHATS]
    return [state.step if state else None for state in found]


def test_the_steps_of_chats_arriving_together_run_together(db_url: str, tmp_path: Path
                                                            ) -> None:
    """Eight customers type /novo while the database is busy: their steps run in fewer calls
    than steps (SQLite: one transaction, or two if the first began before the others came;
    PostgreSQL: the first few alone, one per writer (half the database threads), each waiting
    for the update ids' table, then the others in one), each answered with the intake's
    first question and its conversation kept."""
    world = TelegramWorld(db_url, tmp_path, webhook=True)
    sqlite = db_url.startswith("sqlite")

    async def story() -> tuple[int, int, list[str | None]]:
        async with world:
            world.desk.call(customers)
            steps: Any = world.conversations.steps
            busy = world.desk.store()
            with busy:  # another writer holds SQLite's lock, or the update ids' table
                busy.begin()
                if not sqlite:
                    busy.connection.exec_driver_sql("LOCK TABLE inbound_events IN SHARE MODE")
                posts = [asyncio.create_task(world.post(world.api.text_update(chat, "/novo")))
                         for chat in CHATS]
                await until(lambda: world.conversations.stats.updates == len(CHATS))
                await until(lambda: steps.in_hand == len(CHATS), what="steps in hand")
            assert await asyncio.gather(*posts) == [200] * len(CHATS)
            for chat in CHATS:
                await world.bot_says(world.chat(chat), "Qual o item?")
            return steps.transactions, steps.writers, world.desk.call(steps_kept)

    transactions, writers, kept = asyncio.run(story())
    assert transactions <= (2 if sqlite else writers + 1) < len(CHATS)
    assert kept == ["intake.item"] * len(CHATS)
