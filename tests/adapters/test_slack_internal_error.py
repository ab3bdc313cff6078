"""A DM step that cannot be answered (an internal error) tells the person so, in their own
language; it said nothing, and the person waited for an answer that never came."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from slack_harness import Scenario, SlackWorld

from core.conversation import commands
from core.i18n import t

DM = "DCARLA"


def speaks_english(ctx: Any, user_id: int) -> None:
    user = ctx.uow.users.get(user_id)
    user.language = "en"
    ctx.uow.users.update(user)


def test_an_internal_error_in_a_dm_step_is_said_in_the_persons_language(
        run: Callable[[Scenario], None], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any) -> None:
        raise RuntimeError("a bug in a step")

    async def scenario(w: SlackWorld) -> None:
        await w.core(speaks_english, w.ids["carla"])
        await w.dm("UCARLA", "hi")
        await w.until(lambda: w.fake.messages(DM))
        await w.idle()
        before = len(w.fake.messages(DM))
        monkeypatch.setattr(commands, "run", broken)
        await w.dm("UCARLA", "help")
        said = await w.until(lambda: [m["text"] for m in w.fake.messages(DM)[before:]])
        assert said == [t("error.generic", "en")]

    run(scenario)
