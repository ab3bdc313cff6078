"""One chat's updates strictly in order, different chats at the same time (the Inbox), and the
same through the real Application with a batch of updates for several chats."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fakes.telegram_api import FakeTelegramAPI
from telegram import Update
from telegram_harness import TelegramWorld, link, seed, until

from bots.telegram.inbox import Inbox
from core.conversation import telegram_key
from core.models import Role
from core.services import users


def update(data: dict[str, Any]) -> Update:
    return Update.de_json(data, None)


def test_one_chat_waits_for_its_turn_while_another_chat_goes_ahead() -> None:
    api = FakeTelegramAPI()
    seen: list[tuple[int, str]] = []
    second_chat_ran = asyncio.Event()

    async def process(updates: list[Update]) -> None:
        message = updates[0].message
        assert message is not None
        if message.text == "a1":
            # Chat 1's first update is slow; chat 2 must not wait for it.
            await asyncio.wait_for(second_chat_ran.wait(), 5)
        seen.append((message.chat.id, message.text or ""))
        if message.chat.id == 2:
            second_chat_ran.set()

    async def story() -> None:
        inbox = Inbox(process)
        jobs = [inbox.accept(update(api.text_update(chat, text)))
                for chat, text in ((1, "a1"), (1, "a2"), (2, "b1"), (1, "a3"), (2, "b2"))]
        await asyncio.gather(*jobs)
        await inbox.drain(1)

    asyncio.run(story())
    assert [text for chat, text in seen if chat == 1] == ["a1", "a2", "a3"]
    assert [text for chat, text in seen if chat == 2] == ["b1", "b2"]
    assert seen.index((2, "b1")) < seen.index((1, "a1"))


def test_a_full_inbox_makes_the_receiver_wait_and_loses_nothing() -> None:
    """Back-pressure: with max_pending updates in hand, room() waits until one is done."""
    api = FakeTelegramAPI()
    release = asyncio.Event()
    seen: list[str] = []

    async def process(updates: list[Update]) -> None:
        await release.wait()
        seen.append(updates[0].message.text or "" if updates[0].message else "")

    async def story() -> tuple[bool, bool]:
        inbox = Inbox(process, max_pending=2)
        jobs = [inbox.accept(update(api.text_update(chat, f"m{chat}"))) for chat in (1, 2)]
        waiting = asyncio.create_task(inbox.room())
        await asyncio.sleep(0.05)
        blocked = not waiting.done()
        release.set()
        await asyncio.wait_for(waiting, 5)
        jobs.append(inbox.accept(update(api.text_update(3, "m3"))))
        await asyncio.gather(*jobs)
        await inbox.drain(1)
        return blocked, waiting.done()

    blocked, freed = asyncio.run(story())
    assert blocked
    assert freed
    assert sorted(seen) == ["m1", "m2", "m3"]


def test_an_album_is_one_job_and_what_follows_waits_for_it() -> None:
    api = FakeTelegramAPI()
    calls: list[list[str]] = []

    async def process(updates: list[Update]) -> None:
        calls.append([u.message.caption or u.message.text or "" for u in updates
                      if u.message is not None])

    async def story() -> None:
        inbox = Inbox(process, album_wait=0.1)
        jobs = [inbox.accept(update(api.message_update(7, caption=f"p{n}",
                                                       media_group_id="g1")))
                for n in range(3)]
        jobs.append(inbox.accept(update(api.text_update(7, "depois"))))
        await asyncio.gather(*jobs)

    asyncio.run(story())
    assert calls == [["p0", "p1", "p2"], ["depois"]]


def test_a_batch_for_three_chats_is_answered_in_order(new_db_url: Callable[[str], str],
                                                     tmp_path: Path) -> None:
    """Each chat's six updates come in one getUpdates batch, interleaved with the others'."""
    world = TelegramWorld(new_db_url("sqlite"), tmp_path)
    script = ["/novo", "1", "1", "2026.11", "Pedido não confirma",
              "Vendas / Pedidos / Novo: o pedido 4431 não confirma na versão 2026.11"]
    chats = (6001, 6002, 6003)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            for n, chat in enumerate(chats):
                user = world.desk.call(users.add_user, name=f"Cliente {n}",
                                       email=f"c{n}@mercado.com.br", role=Role.CUSTOMER,
                                       company_names=["Mercado Exemplo"], trained=True)
                world.desk.call(link, user.id, chat)
            assert ids
            done = world.conversations.stats.done
            for text in script:
                for chat in chats:
                    world.api.push_update(world.api.text_update(chat, text))
            await until(lambda: world.conversations.stats.done >= done + 18, within=20)
            with world.desk.store() as uow:
                for chat in chats:
                    state = uow.conversations.get(telegram_key(chat, chat))
                    assert state is not None
                    assert state.step == "intake.anexos", (chat, state.step)
                    assert state.data["intake"]["draft"]["assunto"] == "Pedido não confirma"

    asyncio.run(story())
