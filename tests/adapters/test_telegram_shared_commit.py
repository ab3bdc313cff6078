"""SQLite: the steps of chats whose updates arrive together share one transaction
(bots.telegram.steps.converse_many), each answered and kept as if alone."""

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


def test_the_steps_of_chats_arriving_together_share_a_commit_on_sqlite(
        db_url: str, tmp_path: Path) -> None:
    """Eight customers type /novo while the database is busy: on SQLite their steps run in
    one transaction, or two (the first alone if it began before the others came); each is
    answered with the intake's first question and its conversation kept. PostgreSQL's steps
    commit alone (one statement each: bots.telegram.steps)."""
    world = TelegramWorld(db_url, tmp_path, webhook=True)

    async def story() -> tuple[int | None, list[str | None]]:
        async with world:
            world.desk.call(customers)
            steps: Any = world.conversations.steps
            busy = world.desk.store()
            with busy:  # another writer holds SQLite's lock while the updates arrive
                busy.begin()
                posts = [asyncio.create_task(world.post(world.api.text_update(chat, "/novo")))
                         for chat in CHATS]
                await until(lambda: world.conversations.stats.updates == len(CHATS))
                if steps is not None:
                    await until(lambda: steps.in_hand == len(CHATS), what="steps in hand")
            assert await asyncio.gather(*posts) == [200] * len(CHATS)
            for chat in CHATS:
                await world.bot_says(world.chat(chat), "Qual o item?")
            return (steps.transactions if steps is not None else None,
                    world.desk.call(steps_kept))

    transactions, kept = asyncio.run(story())
    if db_url.startswith("sqlite"):
        assert transactions is not None
        assert transactions <= 2
    else:
        assert transactions is None
    assert kept == ["intake.item"] * len(CHATS)
