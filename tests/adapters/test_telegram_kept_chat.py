"""What a chat's last step left, kept by the instance that ran it (PostgreSQL: the next step
starts from it instead of reading, steps.Inbound.known), never acts on old state: another
instance on the same database changes the user, their company links, the chat's row or the
conversation between two of Carla's steps, and her next step answers from what is there now."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from fakes.databases import db_kinds
from sqlalchemy import delete, insert, select
from telegram_harness import CARLA, TelegramWorld, TgChat, link, open_ticket, seed, tickets

from bots.telegram.steps import chat_blocked, telegram_repo
from core.conversation import telegram_key
from core.i18n import t
from core.services import users
from storage.tables import companies, user_companies

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("postgres" not in db_kinds(), reason="HELPDESK_TEST_DB excludes PostgreSQL"),
]

Story = Callable[[TelegramWorld, TelegramWorld, dict[str, int], TgChat], Awaitable[None]]


def run(new_db_url: Callable[[str], str], tmp_path: Path, story: Story) -> None:
    """Carla linked, her chat served by instance A; B is another instance on the database."""
    url = new_db_url("postgres")
    a = TelegramWorld(url, tmp_path / "a", webhook=True, name="a")
    b = TelegramWorld(url, tmp_path / "b", webhook=True, api=a.api, name="b")

    async def main() -> None:
        await a.api.start()
        async with a, b:
            ids = seed(a.desk)
            a.desk.call(link, ids["carla"], CARLA)
            await story(a, b, ids, a.chat(CARLA))
        await a.api.stop()

    asyncio.run(main())


async def kept(a: TelegramWorld, chat: TgChat, text: str = "oi") -> str:
    """Steps at A (the first makes the conversation), the last one starting from what A kept
    of the one before; its answer."""
    await chat.say(text)
    await chat.say(text)
    before = a.conversations.stats.kept
    await chat.say(text)
    assert a.conversations.stats.kept == before + 1
    return chat.last_text()


def test_a_language_changed_elsewhere_is_the_one_answered_in(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    async def story(a: TelegramWorld, b: TelegramWorld, ids: dict[str, int],
                    carla: TgChat) -> None:
        assert (await kept(a, carla)).endswith(t("conv.menu.prompt", "pt_BR"))
        b.desk.call(users.set_language, "carla@mercado.com.br", "en")  # her /perfil in Slack
        await carla.say("oi")
        assert carla.last_text().endswith(t("conv.menu.prompt", "en"))

    run(new_db_url, tmp_path, story)


def test_a_customer_deactivated_elsewhere_is_told_so(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    async def story(a: TelegramWorld, b: TelegramWorld, ids: dict[str, int],
                    carla: TgChat) -> None:
        await kept(a, carla)
        b.desk.call(users.deactivate, "carla@mercado.com.br")  # the CLI, an agent in Slack
        await carla.say("Bom dia, a nota 10125 foi rejeitada")
        assert carla.last_text() == t("conv.eligibility.inactive", contact="") + "\n\n" + \
            t("conv.eligibility.inactive_not_sent")

    run(new_db_url, tmp_path, story)


def move_links(ctx: Any, user_id: int, company: str) -> None:
    """Carla's company links replaced, her user's row untouched."""
    conn = ctx.uow.connection
    to = conn.execute(select(companies.c.id).where(companies.c.name == company)).scalar_one()
    conn.execute(delete(user_companies).where(user_companies.c.user_id == user_id))
    conn.execute(insert(user_companies).values(user_id=user_id, company_id=to, position=0))


def test_company_links_changed_elsewhere_are_the_ones_her_tickets_are_seen_by(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    async def story(a: TelegramWorld, b: TelegramWorld, ids: dict[str, int],
                    carla: TgChat) -> None:
        rival = open_ticket(b.desk, ids["rita"], "Cupom da Loja Rival")
        before = await kept(a, carla, f"/ticket {rival.number}")
        assert "Cupom da Loja Rival" not in before  # another company's
        b.desk.call(move_links, ids["carla"], "Loja Rival")
        await carla.say(f"/ticket {rival.number}")
        assert "Cupom da Loja Rival" in carla.last_text()

    run(new_db_url, tmp_path, story)


def flag_unreachable(ctx: Any, ticket_id: int) -> None:
    """The dispatcher found Carla's chat blocking the bot while notifying her ticket."""
    ticket = ctx.uow.tickets.get(ticket_id)
    ticket.unreachable_telegram = True
    ctx.uow.tickets.update(ticket)
    chat_blocked(ctx, CARLA)


def test_a_chat_found_blocked_elsewhere_is_reachable_again_when_she_writes(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    async def story(a: TelegramWorld, b: TelegramWorld, ids: dict[str, int],
                    carla: TgChat) -> None:
        ticket = open_ticket(b.desk, ids["carla"])
        await kept(a, carla)
        b.desk.call(flag_unreachable, ticket.id)
        await carla.say("oi")
        [now] = tickets(a.desk)
        assert not now.unreachable_telegram  # the agents' card no longer says so
        assert not a.desk.call(lambda ctx: telegram_repo(ctx).chat(CARLA)[1])

    run(new_db_url, tmp_path, story)


def state(world: TelegramWorld) -> Any:
    with world.desk.store() as uow:
        return uow.conversations.get(telegram_key(CARLA, CARLA))


def test_a_step_taken_by_another_instance_is_the_one_continued(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    async def story(a: TelegramWorld, b: TelegramWorld, ids: dict[str, int],
                    carla: TgChat) -> None:
        await kept(a, carla)
        await carla.click("Abrir ticket")
        mid, data = carla.button("Suporte")
        assert await b.post(a.api.callback_update(CARLA, mid, data)) == 200  # B took it
        await carla.click("Vendas")  # at A, on the question B asked
        await carla.click("atual")
        assert state(a).step == "intake.assunto"
        assert carla.last_text().endswith(t("conv.intake.ask_assunto", max=100))

    run(new_db_url, tmp_path, story)


def reset_to_menu(ctx: Any, version: int) -> None:
    """The conversation deleted (the scheduler's stale sweep, the CLI) and made anew at the
    menu, saved until it has the version the old one had."""
    key = telegram_key(CARLA, CARLA)
    old = ctx.uow.conversations.get(key)
    ctx.uow.conversations.delete(key)
    new = old.model_copy(update={"flow": None, "step": "idle", "data": {}, "version": 0})
    new = ctx.uow.conversations.save(new)
    while new.version < version:
        new = ctx.uow.conversations.save(new)


def test_a_conversation_made_anew_elsewhere_at_the_same_version_is_the_one_read(
        new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    async def story(a: TelegramWorld, b: TelegramWorld, ids: dict[str, int],
                    carla: TgChat) -> None:
        await kept(a, carla)
        await carla.click("Abrir ticket")
        await carla.click("Suporte")
        await carla.click("Vendas")
        await carla.click("atual")
        asked = state(a)
        assert asked.step == "intake.assunto"
        b.desk.call(reset_to_menu, asked.version)
        assert state(b).version == asked.version
        assert state(b).step == "idle"
        await carla.say("Pedido não confirma")  # not the subject of a ticket any more
        assert state(a).step != "intake.descricao"
        assert carla.last_text() != t("conv.intake.ask_descricao")

    run(new_db_url, tmp_path, story)
