"""`/start` with a deep link's payload (t.me/<bot>?start=202611_0001, as a link in a message or
an e-mail opens the chat): the ticket it names, never an invite code (R8)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram_harness import CARLA, RITA, TelegramWorld, linked_carla, open_ticket, to_the_assunto

from core.i18n import t
from core.services import users


def test_r8_a_start_link_naming_her_ticket_opens_its_page(db_url: str, tmp_path: Path) -> None:
    """Carla's own ticket by a link, in each form a payload may take (no '/' in a payload):
    its page, not 'the invite code was not used'; also in the middle of an intake, which is
    put aside, as `ticket …` typed does."""
    world = TelegramWorld(db_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            ticket = open_ticket(world.desk, ids["carla"], "Pedido travado")
            await world.drain_outbox()
            period, seq = ticket.number.split("/")
            for payload in (f"{period}_{seq}", f"{period}{seq}", f"{period}-{seq}",
                            f"ticket_{period}_{seq}"):
                before = len(carla.texts())
                await carla.say(f"/start {payload}")
                said = carla.since(before)
                assert f"Ticket {ticket.number} — Pedido travado" in said, (payload, said)
                assert "convite" not in said
            await to_the_assunto(carla)
            before = len(carla.texts())
            await carla.say(f"/start {period}_{seq}")
            assert f"Ticket {ticket.number} — Pedido travado" in carla.since(before)

    asyncio.run(story())


def test_r8_a_start_link_naming_another_company_s_ticket_shows_nothing_of_it(
        sqlite_url: str, tmp_path: Path) -> None:
    """Rita's ticket (Loja Rival) by a link in Carla's chat: not found among hers, in her
    language, nothing of it shown; a number no ticket has, likewise."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, carla = linked_carla(world)
            theirs = open_ticket(world.desk, ids["rita"], "Boleto da Rival")
            await world.drain_outbox()
            before = len(carla.texts())
            await carla.say("/start " + theirs.number.replace("/", "_"))
            said = carla.since(before)
            assert "Não encontrei esse ticket entre os que você pode ver" in said
            assert "Boleto da Rival" not in said
            assert "convite" not in said
            world.desk.call(users.set_language, "carla@mercado.com.br", "en")
            before = len(carla.texts())
            await carla.say("/start 202001_0007")
            said = carla.since(before)
            assert "I could not find that ticket among those you can see" in said
            assert "invite" not in said

    asyncio.run(story())


def test_r2_a_start_link_naming_a_ticket_from_an_unlinked_account_says_how_to_link(
        sqlite_url: str, tmp_path: Path) -> None:
    """Someone not linked opens a ticket's link: told how to link the account first and that
    the ticket can be seen then; the number is not taken for a wrong invite code."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            ids, _ = linked_carla(world)
            theirs = open_ticket(world.desk, ids["rita"], "Boleto da Rival")
            await world.drain_outbox()
            rita = world.chat(RITA)
            await rita.say("/start " + theirs.number.replace("/", "_"))
            said = rita.last_text()
            assert said.startswith(t("conv.eligibility.unknown", "pt_BR"))
            assert t("conv.eligibility.ticket_link", "pt_BR", number=theirs.number) in said
            assert "Boleto da Rival" not in said
            assert CARLA  # Carla's chat untouched

    asyncio.run(story())
