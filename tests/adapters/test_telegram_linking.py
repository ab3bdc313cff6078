"""R2 in Telegram: /start CODE (and the deep link) links the account; bad codes say why and
guessing is stopped after 5 failures in 10 minutes, counted in the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram_harness import CARLA, RITA, TelegramWorld, expired_invite, link, seed

from core.conversation.identity import telegram_key
from core.i18n import t
from core.services import users


def failures(world: TelegramWorld, chat_id: int) -> int:
    """The failed codes counted for the private chat (its conversation key) so far."""
    with world.desk.store() as uow:
        since = datetime(2000, 1, 1, tzinfo=UTC)
        return uow.link_failures.recent(telegram_key(chat_id, chat_id), since)[0]


def test_r2_wrong_used_and_expired_codes_get_a_clear_answer(sqlite_url: str,
                                                            tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            carla, stranger = world.chat(CARLA), world.chat(RITA)
            await stranger.say("oi")
            assert "código de convite" in stranger.last_text()
            await stranger.say("/start NAOEXISTE1")
            assert t("error.invite_unknown") in stranger.last_text()
            old = world.desk.call(expired_invite, ids["carla"])
            await stranger.say(f"/start {old}")
            assert t("error.invite_expired") in stranger.last_text()
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            # The deep link t.me/<bot>?start=CODE arrives as "/start CODE".
            await carla.say(f"/start {code}")
            assert "Carla Souza" in carla.since(0)
            await stranger.say(f"/start {code}")
            assert t("error.invite_used") in stranger.last_text()
            with world.desk.store() as uow:
                linked = uow.users.by_telegram(CARLA)
                assert linked is not None
                assert linked.id == ids["carla"]
                assert uow.users.by_telegram(RITA) is None
            assert failures(world, RITA) == 3

    asyncio.run(story())


def test_r2_guessing_codes_is_stopped_after_five_failures(sqlite_url: str,
                                                          tmp_path: Path) -> None:
    """Five wrong codes lock the chat for 10 minutes, even for a good code; the count lives in
    the database, so another instance sees the same lock."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            seed(world.desk)
            guesser = world.chat(RITA)
            for guess in ("CHUTE000X", "CHUTE100X", "CHUTEAAAX", "ABCDEFGHJK", "XPTOQWERTY"):
                # All capitals, no digit, as the engine also takes: counted all the same (those
                # went uncounted, so guessing them was never stopped).
                await guesser.say(guess)
                assert t("error.invite_unknown") in guesser.last_text()
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            await guesser.say(f"/start {code}")
            assert "Muitas tentativas" in guesser.last_text()
            assert "10 min" in guesser.last_text()
            assert failures(world, RITA) == 5
            with world.desk.store() as uow:
                assert uow.users.by_telegram(RITA) is None
            # Another chat is not affected.
            other = world.chat(CARLA)
            await other.say(f"/start {code}")
            assert "Carla Souza" in other.since(0)

    asyncio.run(story())


def test_r2_the_limits_of_invite_code_guessing_in_telegram_are_the_settings(
        sqlite_url: str, tmp_path: Path) -> None:
    """INVITE_MAX_FAILURES=2 and INVITE_FAILURE_MINUTES=30 lock the chat after two wrong codes
    for 30 minutes; the limits were constants (5 in 10 minutes) whatever was configured."""
    world = TelegramWorld(sqlite_url, tmp_path,
                          extra={"invite_max_failures": 2, "invite_failure_minutes": 30})

    async def story() -> None:
        async with world:
            seed(world.desk)
            guesser = world.chat(RITA)
            for guess in ("CHUTE000X", "/start CHUTE100X"):
                await guesser.say(guess)
                assert t("error.invite_unknown") in guesser.last_text()
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            await guesser.say(f"/start {code}")
            assert guesser.last_text() == t("error.invite_locked", minutes=30)
            assert failures(world, RITA) == 2
            with world.desk.store() as uow:
                assert uow.users.by_telegram(RITA) is None

    asyncio.run(story())


def test_r2_a_newcomer_sees_what_the_bot_does_and_how_to_start_in_their_language(
        sqlite_url: str, tmp_path: Path) -> None:
    """Before the first message Telegram shows the bot's description and, in the menu, its
    commands: in Portuguese by default, in English for an English Telegram app; a description
    the team wrote in BotFather is kept."""
    world = TelegramWorld(sqlite_url, tmp_path)
    world.api.descriptions[("description", "en")] = "Written by the team in BotFather."

    async def story() -> None:
        async with world:
            api = world.api
            assert [c["command"] for c in api.menus[""]] == [
                "novo", "tickets", "ticket", "resumo", "perfil", "contato", "ajuda", "cancelar"]
            assert api.menus["pt"] == api.menus[""]
            assert [c["command"] for c in api.menus["en"]] == [
                "new", "tickets", "ticket", "summary", "profile", "contact", "help", "cancel"]
            assert api.menus["en"][0]["description"] == t("telegram.cmd.novo", "en")
            assert api.descriptions[("description", "")] == t("telegram.description")
            assert "código de convite" in api.descriptions[("description", "pt")]
            assert api.descriptions[("short_description", "en")] == \
                t("telegram.short_description", "en")
            assert api.descriptions[("description", "en")] == "Written by the team in BotFather."

    asyncio.run(story())


def test_r2_a_deactivated_customer_is_told_the_account_is_deactivated(sqlite_url: str,
                                                                      tmp_path: Path) -> None:
    """She was greeted as a stranger: 'Não encontrei seu cadastro… envie o código de convite'."""
    world = TelegramWorld(sqlite_url, tmp_path)

    def deactivate(ctx: Any, user_id: int) -> None:
        user = ctx.uow.users.get(user_id)
        user.active = False
        ctx.uow.users.update(user)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            world.desk.call(deactivate, ids["carla"])
            carla = world.chat(CARLA)
            await carla.say("Bom dia, a nota 10125 foi rejeitada")  # and that it was not kept
            assert carla.last_text() == t("conv.eligibility.inactive", contact="") + "\n\n" + \
                t("conv.eligibility.inactive_not_sent")
            assert "Não encontrei seu cadastro" not in carla.since(0)

    asyncio.run(story())


def test_r2_start_with_a_code_from_a_linked_account_says_the_code_was_not_used(
        sqlite_url: str, tmp_path: Path) -> None:
    """The deep link of someone else's invite opened on Carla's phone showed her menu as if
    nothing had been sent; the code stays unused for the person it was made for."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids = seed(world.desk)
            world.desk.call(link, ids["carla"], CARLA)
            code = world.desk.call(users.create_invite, "rita@rival.com.br").code
            carla = world.chat(CARLA)
            await carla.say(f"/start {code}")
            said = carla.since(0)
            assert t("conv.eligibility.already_linked", name="Carla Souza") in said
            assert "Rita" not in said
            with world.desk.store() as uow:
                assert uow.users.by_telegram(CARLA).id == ids["carla"]
                assert uow.invites.get(code).used_at is None

    asyncio.run(story())
