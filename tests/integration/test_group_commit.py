"""Group commit: callers arriving during a transaction share the next one, on a real database."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bots.telegram.batch import GroupCommit
from core.services.context import Ctx


def record(ctx: Ctx, keys: list[str]) -> list[bool]:
    """Remember each key as an inbound event: True when it was new."""
    if "boom" in keys:
        raise RuntimeError("broken batch")
    return [ctx.uow.inbound.record("test", key, ctx.now) for key in keys]


def seen(desk: Any, key: str) -> bool:
    """Whether the key was committed (recording it again says it was)."""
    return not desk.call(lambda ctx: ctx.uow.inbound.record("test", key, ctx.now))


def test_one_caller_gets_its_own_transaction(desk: Any) -> None:
    commit = GroupCommit(desk, record)

    async def story() -> None:
        assert await commit("a") is True
        assert await commit("a") is False
        assert commit.transactions == 2

    asyncio.run(story())
    assert seen(desk, "a")


def test_callers_arriving_meanwhile_share_one_transaction(desk: Any) -> None:
    commit = GroupCommit(desk, record, most=50)

    async def story() -> list[bool]:
        first = asyncio.create_task(commit("k0"))
        await asyncio.sleep(0)  # the first transaction has started
        rest = [asyncio.create_task(commit(f"k{i}")) for i in range(1, 120)]
        return [await first, *[await r for r in rest]]

    results = asyncio.run(story())
    assert results == [True] * 120
    assert commit.transactions == 4  # k0 alone, then 50 + 50 + 19 that waited
    assert all(seen(desk, f"k{i}") for i in range(120))


def test_a_failed_transaction_fails_its_callers_only(desk: Any) -> None:
    commit = GroupCommit(desk, record)

    async def story() -> None:
        first = asyncio.create_task(commit("x"))
        await asyncio.sleep(0)
        doomed = [asyncio.create_task(commit(k)) for k in ("y", "boom")]
        assert await first is True
        for task in doomed:
            with pytest.raises(RuntimeError, match="broken batch"):
                await task
        assert await commit("z") is True

    asyncio.run(story())
    assert seen(desk, "x")
    assert seen(desk, "z")
    assert not seen(desk, "y")
