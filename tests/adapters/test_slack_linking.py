"""R2 in Slack DMs: an invite code typed there links the account, and guessing is stopped after
5 failures in 10 minutes, as in Telegram (the engine keeps the count, in the database)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_harness import Scenario, SlackWorld

from core.i18n import t
from core.models import Role
from core.services import sweeps, users


async def say(w: SlackWorld, user: str, text: str) -> str:
    """Type in one's DM with the bot; the text of the bot's answer."""
    channel = "D" + user.removeprefix("U")
    before = len(w.fake.messages(channel))
    await w.dm(user, text)
    await w.until(lambda: len(w.fake.messages(channel)) > before)
    await w.idle()
    return "\n".join(m["text"] for m in w.fake.messages(channel)[before:])


def test_r2_guessing_invite_codes_in_a_slack_dm_is_stopped_after_five_failures(
        run: Callable[[Scenario], None]) -> None:
    """A Slack DM had no limit at all: codes could be guessed there as fast as one could type."""
    async def scenario(w: SlackWorld) -> None:
        for guess in ("CHUTE0001", "CHUTE0002", "ABCDEFGHJK", "XPTO12345", "ZZZ999ZZZ"):
            assert await say(w, "UZECA", guess) == t("error.invite_unknown")
        dora = await w.core(users.create_invite, "dora@example.com")
        w.now += timedelta(minutes=4)
        said = await say(w, "UZECA", dora.code)  # even a good code waits
        assert said == t("error.invite_locked", minutes=6)
        assert "Muitas tentativas" in said
        assert await w.read(lambda uow: uow.users.by_slack("UZECA")) is None
        # Dora's own DM is another conversation: not locked, and her code was not spent.
        assert "Dora Semslack" in await say(w, "UDORA", dora.code)
        linked = await w.read(lambda uow: uow.users.by_slack("UDORA"))
        assert linked is not None
        assert linked.id == w.ids["dora"]
        # Ten minutes after the first failure the lock is over: a good code links.
        w.now += timedelta(minutes=6)
        eva = await w.core(users.add_user, name="Eva Nova", email="eva@example.com",
                           company_names=["Mercado Exemplo"], role=Role.CUSTOMER, trained=True)
        code = (await w.core(users.create_invite, "eva@example.com")).code
        assert "Eva Nova" in await say(w, "UZECA", code)
        linked = await w.read(lambda uow: uow.users.by_slack("UZECA"))
        assert linked is not None
        assert linked.id == eva.id

    run(scenario)


def test_r2_the_limits_of_invite_code_guessing_in_a_slack_dm_are_the_settings(
        sql_store: Any) -> None:
    """INVITE_MAX_FAILURES=2 and INVITE_FAILURE_MINUTES=30: the third try waits 30 minutes, and
    the sweep does not forget failures still in that window. The limits were constants (5 in
    10 minutes) and the sweep dropped every failure older than 10 minutes."""
    async def scenario(w: SlackWorld) -> None:
        for guess in ("CHUTE0001", "CHUTE0002"):
            assert await say(w, "UZECA", guess) == t("error.invite_unknown")
        dora = await w.core(users.create_invite, "dora@example.com")
        assert await say(w, "UZECA", dora.code) == t("error.invite_locked", minutes=30)
        w.now += timedelta(minutes=15)
        await w.core(sweeps.run_all)
        assert await say(w, "UZECA", dora.code) == t("error.invite_locked", minutes=15)
        w.now += timedelta(minutes=15)
        assert "Dora Semslack" in await say(w, "UZECA", dora.code)

    async def main() -> None:
        world = SlackWorld(sql_store)
        await world.start(invite_max_failures=2, invite_failure_minutes=30)
        world.desk.policy = world.settings.policy()  # as bootstrap gives `helpdesk run` its desk
        try:
            await scenario(world)
        finally:
            await world.stop()

    asyncio.run(main())
