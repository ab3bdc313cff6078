"""R12 in Telegram's "/" menu: the team's chats list /fila; customers' chats never do."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fakes.chat_death import MARKER, main_dies_after_commit
from telegram_harness import (
    CARLA,
    LOST_ANSWER_OPTIONS,
    TelegramWorld,
    TgChat,
    link,
    open_ticket,
    seed,
)

from bots.telegram import chatprocs
from core.i18n import t
from core.services import users
from core.services.context import Ctx

ANA = 5003
CUSTOMER_MENU = ["novo", "tickets", "ticket", "resumo", "perfil", "contato", "ajuda", "cancelar"]
STAFF_MENU = ["fila", "tickets", "ticket", "resumo", "relatorio", "perfil", "ajuda", "cancelar"]


def speaks_english(ctx: Ctx, user_id: int) -> None:
    """The user's profile language is English."""
    user = ctx.uow.users.get(user_id)
    assert user is not None
    user.language = "en"
    ctx.uow.users.update(user)


def test_r12_an_agent_who_links_telegram_gets_fila_in_the_menu_and_customers_do_not(
        sqlite_url: str, tmp_path: Path) -> None:
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            api, ids = world.api, seed(world.desk)
            open_ticket(world.desk, ids["carla"])
            carla, ana = world.chat(CARLA), world.chat(ANA)
            code = world.desk.call(users.create_invite, "carla@mercado.com.br").code
            await carla.say(f"/start {code}")
            assert api.menu_for(CARLA, "pt") == CUSTOMER_MENU
            code = world.desk.call(users.create_invite, "ana@suporte.com.br").code
            assert api.menu_for(ANA, "pt") == CUSTOMER_MENU  # not linked yet: a stranger
            await ana.say(f"/start {code}")
            # Her own chat's list, whatever language her Telegram app is in.
            assert api.menu_for(ANA, "pt") == STAFF_MENU
            assert api.menu_for(ANA, "en") == STAFF_MENU
            assert api.chat_menus[(ANA, "")][0]["description"] == t("telegram.cmd.staff.fila")
            assert api.menu_for(CARLA, "pt") == CUSTOMER_MENU
            assert api.menu_for(CARLA, "en")[0] == "new"
            await ana.say("/fila")  # what the menu offers works
            assert "Fila de atendimento: 1 ticket, ainda sem responsável." in ana.last_text()

    asyncio.run(story())


def test_r12_after_a_restart_linked_agents_have_the_team_menu_in_their_language(
        sqlite_url: str, tmp_path: Path) -> None:
    """The menus are set when the channel starts: an agent linked earlier (or made staff
    since) gets the team's menu, in the language of their profile."""
    first = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with first:
            ids = seed(first.desk)
            first.desk.call(link, ids["ana"], ANA)
            first.desk.call(link, ids["carla"], CARLA)
            first.desk.call(speaks_english, ids["ana"])
        again = TelegramWorld(sqlite_url, tmp_path, api=first.api)
        await first.api.start()
        async with again:
            api = again.api
            assert api.menu_for(ANA, "pt") == [
                "queue", "tickets", "ticket", "summary", "report", "profile", "help", "cancel"]
            assert api.chat_menus[(ANA, "")][1]["description"] == \
                t("telegram.cmd.staff.tickets", "en")
            assert (CARLA, "") not in api.chat_menus
            assert api.menu_for(CARLA, "pt") == CUSTOMER_MENU
        await first.api.stop()

    asyncio.run(story())


async def ana_linked_beside_carla(world: TelegramWorld) -> TgChat:
    """Carla linked as a customer; Ana (an agent) links her chat with an invite: the team's
    menu is hers."""
    ids = seed(world.desk)
    world.desk.call(link, ids["carla"], CARLA)
    ana = world.chat(ANA)
    code = world.desk.call(users.create_invite, "ana@suporte.com.br").code
    await ana.say(f"/start {code}")
    assert world.api.menu_for(ANA, "pt") == STAFF_MENU
    return ana


def test_r2_r12_a_deactivated_agent_s_chat_loses_the_team_menu_and_a_reactivation_restores_it(
        sqlite_url: str, tmp_path: Path) -> None:
    """`helpdesk user deactivate` left /fila in Ana's "/" menu: her chat's own list stayed. The
    reset goes through the outbox (deleteMyCommands for her chat); the return sets it again."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            api = world.api
            await ana_linked_beside_carla(world)
            world.desk.call(users.deactivate, "ana@suporte.com.br", "Saiu da equipe")
            await world.drain_outbox()
            [reset] = api.calls_of("deleteMyCommands")
            assert reset.params["scope"] == {"type": "chat", "chat_id": ANA}
            assert api.menu_for(ANA, "pt") == CUSTOMER_MENU
            assert api.menu_for(CARLA, "pt") == CUSTOMER_MENU
            before = len(api.calls_of("setMyCommands"))
            world.desk.call(users.reactivate, "ana@suporte.com.br")
            await world.drain_outbox()
            [back] = api.calls_of("setMyCommands")[before:]
            assert back.params["scope"] == {"type": "chat", "chat_id": ANA}
            assert api.menu_for(ANA, "pt") == STAFF_MENU
            assert len(api.calls_of("deleteMyCommands")) == 1

    asyncio.run(story())


ENGLISH_STAFF_MENU = ["queue", "tickets", "ticket", "summary", "report", "profile", "help",
                      "cancel"]


def test_r11_r12_a_linked_agent_s_team_menu_follows_a_change_of_language(
        sqlite_url: str, tmp_path: Path) -> None:
    """`helpdesk user language` and `perfil` → Idioma left Ana's "/" menu in the language she
    had when the channel started, until the next start; the change re-sets it (outbox)."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            api = world.api
            ana = await ana_linked_beside_carla(world)
            world.desk.call(users.set_language, "ana@suporte.com.br", "en")
            await world.drain_outbox()
            assert api.menu_for(ANA, "pt") == ENGLISH_STAFF_MENU
            assert api.chat_menus[(ANA, "")][0]["description"] == \
                t("telegram.cmd.staff.fila", "en")
            await ana.say("/profile")
            await ana.click(t("conv.profile.change_language", "en"))
            await ana.click(t("language.pt_BR"))
            assert t("conv.profile.language_changed") in ana.last_text()
            await world.drain_outbox()
            assert api.menu_for(ANA, "pt") == STAFF_MENU
            assert api.chat_menus[(ANA, "")][0]["description"] == t("telegram.cmd.staff.fila")
            before = len(api.calls_of("setMyCommands"))
            world.desk.call(users.set_language, "ana@suporte.com.br", "pt_BR")  # no change
            world.desk.call(users.set_language, "carla@mercado.com.br", "en")  # a customer
            await world.drain_outbox()
            assert len(api.calls_of("setMyCommands")) == before
            assert (CARLA, "") not in api.chat_menus

    asyncio.run(story())


def test_r12_an_agent_whose_linking_answer_was_lost_gets_the_team_menu_with_it(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ana's /start with her code committed (linked) and its chat process died before the
    answer went out: the new process sent the answer the step wrote, but not the team menu
    the step would have set, until the next start. The recovered answer carries it."""
    marker = tmp_path / "die"
    monkeypatch.setenv(MARKER, str(marker))
    monkeypatch.setattr(chatprocs, "_main", main_dies_after_commit)
    world = TelegramWorld(db_url, tmp_path, extra={"telegram_chat_processes": 1},
                          options=LOST_ANSWER_OPTIONS)

    async def story() -> None:
        async with world:
            api, ids = world.api, seed(world.desk)
            world.desk.call(speaks_english, ids["ana"])
            ana = world.chat(ANA)
            code = world.desk.call(users.create_invite, "ana@suporte.com.br").code
            assert world.channel is not None
            assert world.channel.chats is not None
            [pid] = world.channel.chats.pids()
            marker.touch()
            await ana.say(f"/start {code}", within=chatprocs.START_SECONDS)
            assert not marker.exists()  # the chat process died after the commit
            assert world.channel.chats.pids() != [pid]
            assert ana.texts()  # the step's answer, at once
            assert api.menu_for(ANA, "pt") == ENGLISH_STAFF_MENU
            await world.drain_outbox()
            mine = [c for c in api.calls_of("setMyCommands")
                    if c.params.get("scope") == {"type": "chat", "chat_id": ANA}]
            assert len(mine) == 1  # once, not again by the outbox
            await ana.say("/queue")
            assert "queue" in ana.last_text().lower()

    asyncio.run(story())


def test_r12_a_linking_answer_the_outbox_sends_shows_the_team_menu_too() -> None:
    """Nobody re-sent the update (the answer waited GRACE for the dispatcher): the row the step
    wrote sets the team menu once its messages are out, as the step would have."""
    from datetime import UTC, datetime

    from fakes.telegram_api import FakeTelegramAPI

    from bots.delivery.results import Sent
    from bots.telegram.render import Outgoing
    from bots.telegram.sender import TelegramSender
    from bots.telegram.steps import REPLIES_KIND, STAFF_MENU
    from core.outbox import Channel, OutboxMessage

    def row(**extra: str) -> OutboxMessage:
        return OutboxMessage(channel=Channel.TELEGRAM, target=str(ANA), kind=REPLIES_KIND,
                             params={"messages": [Outgoing(html="Olá, Ana!").model_dump(
                                 mode="json")], "updates": [7], **extra},
                             created_at=datetime.now(UTC))

    async def story() -> None:
        api = FakeTelegramAPI()
        root = await api.start()
        sender = TelegramSender.from_token(api.token, root)
        try:
            assert isinstance(await sender.send(row()), Sent)
            assert (ANA, "") not in api.chat_menus  # an answer that linked nobody
            assert isinstance(await sender.send(row(**{STAFF_MENU: "en"})), Sent)
        finally:
            await sender.aclose()
            await api.stop()
        assert api.sent_texts(ANA) == ["Olá, Ana!", "Olá, Ana!"]
        assert api.menu_for(ANA, "pt") == ENGLISH_STAFF_MENU

    asyncio.run(story())


def _described(menu: list[dict[str, str]]) -> dict[str, str]:
    return {c["command"]: c["description"] for c in menu}


def test_r8_r9_r11_r23_each_commands_description_says_what_it_does_now_and_its_examples_work(
        sqlite_url: str, tmp_path: Path) -> None:
    """The "/" menus as setMyCommands left them, in both languages. Before: /relatorio
    ('/relatorio 7 EMPRESA') said nothing of a month, /tickets nothing of a month, /ticket
    only the whole number (its end works too), /perfil nothing of the language, and the
    team's /resumo was the customers' ('abertos, em atendimento e encerrados'), not its
    counts of unassigned and overdue tickets. Each example a description gives works."""
    world = TelegramWorld(sqlite_url, tmp_path)

    async def story() -> None:
        async with world:
            api = world.api
            ana = await ana_linked_beside_carla(world)
            carla = world.desk.call(lambda ctx: ctx.uow.users.by_email("carla@mercado.com.br"))
            ticket = open_ticket(world.desk, carla.id)
            await world.drain_outbox()  # its receipt, before the chat's answers
            customer, english = _described(api.menus[""]), _described(api.menus["en"])
            assert "/tickets novembro" in customer["tickets"]
            assert "mês" in customer["tickets"]
            assert "empresa" in customer["tickets"]
            assert "/ticket 4" in customer["ticket"]
            assert "idioma" in customer["perfil"]
            assert "cada aba" in customer["resumo"]
            assert "/tickets november" in english["tickets"]
            assert "/ticket 4" in english["ticket"]
            assert "language" in english["profile"]
            team = _described(api.chat_menus[(ANA, "")])
            assert "/relatorio novembro" in team["relatorio"]
            assert "/relatorio 7 EMPRESA" in team["relatorio"]
            assert "atrasados" in team["resumo"]
            assert "sem responsável" in team["resumo"]
            assert "/tickets da Carla" in team["tickets"]
            assert "mês" in team["tickets"]
            assert "/ticket 4" in team["ticket"]
            assert "idioma" in team["perfil"]
            assert "/report november" in t("telegram.cmd.staff.relatorio", "en")
            assert "overdue" in t("telegram.cmd.staff.resumo", "en")
            await world.chat(CARLA).say("/tickets novembro")
            assert "seus tickets, aba Todos, novembro de " in world.chat(CARLA).last_text()
            await world.chat(CARLA).say(f"/ticket {ticket.seq}")
            assert f"Ticket {ticket.number}" in world.chat(CARLA).last_text()
            await ana.say("/relatorio novembro")
            assert "Relatório do atendimento — novembro de " in ana.last_text()
            await ana.say("/relatorio 7 Mercado Exemplo")
            assert "Empresa: Mercado Exemplo" in ana.since(len(ana.texts()) - 3)
            await ana.say("/tickets da Carla")
            assert "tickets de Carla Souza" in ana.last_text()
            await ana.say("/resumo")
            assert "Atrasados: 0" in ana.last_text()

    asyncio.run(story())
