"""The Telegram channel as `helpdesk run` hosts it, on a real database, against the fake Bot API.

    world = TelegramWorld(db_url, tmp_path)            # webhook=True for webhook mode
    async with world:                                  # host started: HTTP, dispatcher, channel
        carla = world.chat(CARLA)
        await carla.say("/start " + code)
        await carla.click("Abrir ticket")
        carla.last_text()
"""

from __future__ import annotations

import asyncio
import gc
import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from fakes.delivery_world import QUICK_PACING
from fakes.telegram_api import BOT_USER, FakeTelegramAPI

from bots.app import Host, dispatcher_config_for, serve
from bots.bootstrap import Container, bootstrap
from bots.delivery.limits import Limits
from bots.settings import Settings
from bots.telegram.channel import TelegramChannel, TelegramOptions
from bots.telegram.chatprocs import START_SECONDS
from core.i18n import t
from core.models import Invite, Role, Ticket
from core.ports import TicketQuery
from core.services import closing, intake, users
from core.services.context import Ctx
from storage.sql import SqlStore

CARLA = 5001
RITA = 5002
SECRET = "s3cr3t-webhook_token"
FAST = TelegramOptions(poll_timeout=1.0, typing_after=0.2, reply_budget=6.0, album_wait=0.3,
                       drain_seconds=5.0)
LOST_ANSWER_OPTIONS = replace(FAST, answer_grace=2 * START_SECONDS)
"""For a chat process killed after its step's commit: its replacement starts as any does, in
up to START_SECONDS on a loaded machine (20 s ran out under load), and the answer's outbox row
is not due before then, so that what reaches the chat can only be the answer the new process
took over, never the outbox's send of it. Wait for that update with within=START_SECONDS."""


async def until(check: Callable[[], Any], within: float = 20.0, what: str = "condition") -> Any:
    """Wait for check() to be truthy; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {within} s")
        await asyncio.sleep(0.02)


def seed(desk: Any) -> dict[str, int]:
    """Mercado Exemplo with Carla (trained), Loja Rival with Rita, and Ana (agent)."""
    desk.call(users.add_company, "Mercado Exemplo")
    desk.call(users.add_company, "Loja Rival")
    carla = desk.call(users.add_user, name="Carla Souza", email="carla@mercado.com.br",
                      company_names=["Mercado Exemplo"], trained=True)
    rita = desk.call(users.add_user, name="Rita Rival", email="rita@rival.com.br",
                     company_names=["Loja Rival"], trained=True)
    ana = desk.call(users.add_user, name="Ana Atendente", email="ana@suporte.com.br",
                    role=Role.AGENT, trained=True)
    return {"carla": carla.id, "rita": rita.id, "ana": ana.id}


def link(ctx: Ctx, user_id: int, telegram_id: int) -> None:
    """Link a Telegram account directly (as a redeemed invite would)."""
    user = ctx.uow.users.get(user_id)
    assert user is not None
    user.telegram_id = telegram_id
    ctx.uow.users.update(user)


def expired_invite(ctx: Ctx, user_id: int) -> str:
    """An invite code that expired yesterday."""
    ctx.uow.invites.add(Invite(code="VELHO123", user_id=user_id,
                               created_at=ctx.now - timedelta(days=5),
                               expires_at=ctx.now - timedelta(days=1)))
    return "VELHO123"


def open_ticket(desk: Any, user_id: int, assunto: str = "Nota fiscal rejeitada") -> Ticket:
    """A complete ticket opened without the chat."""
    draft = intake.TicketDraft(tipo_id="varejo", item_id="suporte", servico_id="vendas",
                               versao="2026.11", assunto=assunto,
                               descricao="Vendas > Notas > Emitir: a nota 10125 é rejeitada.")
    return desk.call(intake.open_ticket, user_id, draft)


def tickets(desk: Any) -> list[Ticket]:
    """Every ticket, newest first."""
    with desk.store() as uow:
        return uow.tickets.list(TicketQuery(limit=100))


class TelegramWorld:
    """One `helpdesk run` host with only the Telegram channel, on its own database."""

    def __init__(self, db_url: str, tmp_path: Path, *, webhook: bool = False,
                 api: FakeTelegramAPI | None = None, options: TelegramOptions = FAST,
                 name: str = "a", extra: dict[str, Any] | None = None,
                 limits: Limits | None = None, dispatcher: dict[str, Any] | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.db_url = db_url
        self.tmp_path = tmp_path
        self.webhook = webhook
        self.api = api or FakeTelegramAPI()
        self.options = options
        self.name = name
        self.extra = extra or {}
        self.limits = limits
        self.dispatcher = dispatcher or {}
        """DispatcherConfig fields set otherwise (upload_timeout…)."""
        self.clock = clock
        """The host's clock (the desk's and the dispatcher's): the wall clock unless given."""
        self.container: Container | None = None
        self.host: Host | None = None
        self.channel: TelegramChannel | None = None
        self.ids: dict[str, int] = {}
        self._own_api = False

    def settings(self) -> Settings:
        """The settings of this instance (the fake API must be started)."""
        values: dict[str, Any] = {
            "database_url": self.db_url, "files_dir": str(self.tmp_path / "files"),
            "telegram_bot_token": self.api.token, "telegram_api_url": self.api.root,
            "http_host": "127.0.0.1", "http_port": 0, "outbox_poll_seconds": 0.1,
            "outbox_retry_base_seconds": 0.2, "outbox_retry_max_seconds": 1.0,
            "sweep_interval_seconds": 3600, "db_workers": 8,
        }
        if self.webhook:
            values["telegram_webhook_url"] = f"https://helpdesk.example.com/telegram/{self.name}"
            values["telegram_webhook_secret"] = SECRET
        values.update(self.extra)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    @property
    def desk(self) -> Any:
        assert self.container is not None
        return self.container.desk

    @property
    def conversations(self) -> Any:
        assert self.channel is not None
        assert self.channel.conversations is not None
        return self.channel.conversations

    async def __aenter__(self) -> TelegramWorld:
        if not self.api.root:
            await self.api.start()
            self._own_api = True
        try:
            settings = self.settings()
            self.container = bootstrap(settings, store=SqlStore(self.db_url), clock=self.clock)
            self.channel = TelegramChannel(settings, self.container.desk, options=self.options)
            limits = self.limits or (Limits() if self.api.enforce_limits else QUICK_PACING)
            # The only instance, without Slack: the triage's Slack rows fail a second after
            # the start (a lease, in production), so that the outbox drains.
            config = replace(dispatcher_config_for(settings), limits=limits,
                             unserved_grace=1.0, unserved_every=0.5, **self.dispatcher)
            self.host = Host(self.container, channels=[self.channel], dispatcher_config=config,
                             **({"clock": self.clock} if self.clock else {}))
            # The start's full collection (warmup.freeze_heap) scanned the whole test process:
            # pytest, every test module collected, ~0.15-0.3 s a start. Set aside what was
            # there before: it collects what this world built; the stop unfreezes it all.
            gc.freeze()
            await self.host.start()
        except BaseException:
            # No __aexit__ follows a failed __aenter__: what started would be left for the
            # garbage collector, whose ResourceWarning then fails some later test.
            await self.__aexit__()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self.host is not None:
                await self.host.stop()
            if self.container is not None:
                self.container.close()
            if self._own_api:
                await self.api.stop()
        finally:
            gc.unfreeze()  # host.stop() did (thaw_heap), unless it failed first

    def chat(self, chat_id: int) -> TgChat:
        """A person talking to the bot in a private chat."""
        return TgChat(self, chat_id)

    async def deliver(self, update: dict[str, Any], times: int = 1,
                      within: float = 20.0) -> list[int]:
        """Hand an update to the bot and wait until it was processed (HTTP statuses back)."""
        if self.webhook:
            return [await self.post(update) for _ in range(times)]
        target = self.processed() + times
        self.api.push_update(update, times=times)
        await until(lambda: self.processed() >= target, within, "update processed")
        return [200] * times

    def processed(self) -> int:
        """Updates this instance processed (in its chat processes with TELEGRAM_CHAT_PROCESSES)."""
        assert self.channel is not None
        chats = self.channel.chats
        return chats.done if chats is not None else int(self.conversations.stats.done)

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        """POST an update to this instance's /telegram route."""
        assert self.host is not None
        async with aiohttp.ClientSession() as session:
            return await self.api.post_update(session, f"{self.host.http_url}/telegram", update,
                                              secret)

    async def drain_outbox(self, within: float = 20.0) -> None:
        """Wait until the outbox has no row left to send (none pending, none in flight)."""
        assert self.host is not None
        queue = self.host.queue

        async def pending() -> int:
            stats = await self.desk.run_sync(queue.stats, now())
            return int(stats.pending)

        deadline = time.monotonic() + within
        while await pending():
            if time.monotonic() > deadline:
                raise AssertionError("the outbox did not drain")
            await asyncio.sleep(0.05)


    async def bot_says(self, chat: TgChat, needle: str, within: float = 20.0) -> dict[str, Any]:
        """Wait for a bot message in the chat containing `needle` (outbox deliveries)."""
        def found() -> dict[str, Any] | None:
            return next((m for m in reversed(chat.messages()) if needle in m.get("text", "")),
                        None)

        return await until(found, within, f"bot message with {needle!r}")


class TgChat:
    """A private chat: send text, files and clicks; read what the bot sent."""

    def __init__(self, world: TelegramWorld, chat_id: int) -> None:
        self.world = world
        self.api = world.api
        self.chat_id = chat_id

    async def send(self, update: dict[str, Any], times: int = 1,
                   within: float = 20.0) -> list[int]:
        """Deliver a prepared update (processed within `within` seconds)."""
        return await self.world.deliver(update, times, within)

    async def say(self, text: str, within: float = 20.0, **kwargs: Any) -> list[int]:
        """Type a message (a reply when reply_to=message_id)."""
        return await self.send(self.api.text_update(self.chat_id, text, **kwargs),
                               within=within)

    async def click(self, label: str, message_id: int | None = None,
                    within: float = 20.0) -> list[int]:
        """Press the newest button whose label contains `label`."""
        mid, data = self.button(label, message_id)
        return await self.send(self.api.callback_update(self.chat_id, mid, data), within=within)

    def button(self, label: str, message_id: int | None = None) -> tuple[int, str]:
        """(message id, callback data) of the newest button matching `label`."""
        for message in reversed(self.messages()):
            if message_id is not None and message["message_id"] != message_id:
                continue
            for row in (message.get("reply_markup") or {}).get("inline_keyboard") or []:
                for button in row:
                    if label.casefold() in button["text"].casefold():
                        return message["message_id"], button["callback_data"]
        raise AssertionError(f"no button {label!r}; last: {self.last_text()!r}")

    def messages(self) -> list[dict[str, Any]]:
        """The bot's messages in this chat, oldest first, as they look now."""
        found = [m for (chat, _), m in list(self.api.messages.items())
                 if chat == self.chat_id and m.get("from", {}).get("id") == BOT_USER["id"]]
        return sorted(found, key=lambda m: m["message_id"])

    def texts(self) -> list[str]:
        """Every text the bot sent to this chat (raw HTML), oldest first."""
        return [str(m.get("text", "")) for m in self.messages() if "text" in m]

    def last_text(self) -> str:
        """The newest text."""
        texts = self.texts()
        return texts[-1] if texts else ""

    def since(self, count: int) -> str:
        """The texts after the first `count`, joined."""
        return "\n".join(self.texts()[count:])

    def with_buttons(self) -> list[dict[str, Any]]:
        """Bot messages that still show buttons."""
        return [m for m in self.messages() if (m.get("reply_markup") or {}).get("inline_keyboard")]


def linked_carla(world: TelegramWorld) -> tuple[dict[str, int], TgChat]:
    """The seeded desk's ids and Carla's chat, her Telegram account linked."""
    ids = seed(world.desk)
    world.desk.call(link, ids["carla"], CARLA)
    return ids, world.chat(CARLA)


def now() -> datetime:
    """The wall clock (the host runs on it)."""
    return datetime.now(UTC)


def photo(api: FakeTelegramAPI, content: bytes) -> list[dict[str, Any]]:
    """The sizes Telegram sends for a photo: a thumbnail and the full picture."""
    thumb_id, thumb_unique = api.add_file(content[:10])
    file_id, unique = api.add_file(content)
    return [{"file_id": thumb_id, "file_unique_id": thumb_unique, "width": 90, "height": 60,
             "file_size": 10},
            {"file_id": file_id, "file_unique_id": unique, "width": 1280, "height": 853,
             "file_size": len(content)}]


def document(api: FakeTelegramAPI, content: bytes | None, name: str, mime: str,
             size: int | None = None, declare_size: bool = True) -> dict[str, Any]:
    """A document (size: pretend it is this big without storing the bytes)."""
    file_id, unique = api.add_file(content, size=size)
    doc: dict[str, Any] = {"file_id": file_id, "file_unique_id": unique, "file_name": name,
                           "mime_type": mime}
    if declare_size:
        doc["file_size"] = size if size is not None else len(content or b"")
    return doc


def voice(api: FakeTelegramAPI, content: bytes) -> dict[str, Any]:
    """A voice note."""
    file_id, unique = api.add_file(content)
    return {"file_id": file_id, "file_unique_id": unique, "duration": 4,
            "mime_type": "audio/ogg", "file_size": len(content)}


async def to_the_assunto(chat: TgChat) -> None:
    """A linked customer's intake up to the assunto question (Suporte, Vendas, the version
    offered)."""
    await chat.say("/novo")
    await chat.click("Suporte")
    await chat.click("Vendas")
    await chat.click("atual")


async def to_attachments_step(carla: TgChat) -> None:
    """A linked customer's intake up to the Anexos question."""
    await to_the_assunto(carla)
    await carla.say("Nota fiscal rejeitada")
    await carla.say("Vendas / Notas / Emitir: a nota 10125 é rejeitada na versão 2026.11")


NUMBER = re.compile(r"\d{6}/\d{4}")


async def whole_intake(chat: TgChat, subject: str) -> str:
    """A linked customer's whole intake; the number the bot showed."""
    await to_the_assunto(chat)
    await chat.say(subject)
    await chat.say("Vendas > Pedidos > Novo: o pedido 4431 não confirma na versão 2026.11")
    await chat.click("Concluir")
    await chat.click("Padrão")
    await chat.click("Registrar o Ticket")  # the review edited: the number under it
    found = NUMBER.search(chat.last_text())
    assert found, chat.last_text()
    return found.group(0)


def start_and_stop(world: TelegramWorld) -> None:
    """`helpdesk run` with the world's settings, stopped as soon as it started (a start that
    fails raises its SystemExit)."""
    async def story() -> None:
        await world.api.start()
        container = None
        try:
            container = bootstrap(world.settings())
            stop = asyncio.Event()
            stop.set()
            await serve(container, stop=stop)
        finally:
            if container is not None:
                container.close()
            await world.api.stop()

    asyncio.run(story())


async def two_awaiting_approval(world: TelegramWorld, ids: dict[str, int], carla: TgChat
                                ) -> tuple[Ticket, Ticket, dict[int, dict[str, Any]]]:
    """Carla's two tickets, each answered by Ana and awaiting approval; each one's approval
    request in the chat by ticket id (to reply to)."""
    await carla.say("oi")
    first = open_ticket(world.desk, ids["carla"], "Pedido travado")
    second = open_ticket(world.desk, ids["carla"], "Boleto errado")
    for ticket in (first, second):
        await world.bot_says(carla, ticket.number)
        world.desk.call(closing.request_approval, ids["ana"], ticket.id,
                        "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
        await world.bot_says(carla, f"Ticket {ticket.number}")
    asked = {ticket.id: next(m for m in reversed(carla.messages())
                             if f"Ticket {ticket.number}" in m.get("text", "")
                             and "aprova" in m.get("text", ""))
             for ticket in (first, second)}
    return first, second, asked


async def closed_after_approval(world: TelegramWorld, ids: dict[str, int], carla: TgChat
                                ) -> tuple[Ticket, dict[str, Any]]:
    """Carla's ticket 'Pedido travado', solved by Ana, approved and rated Ótimo: closed for
    good; with its registration's message in the chat (to reply to)."""
    await carla.say("oi")
    opened = open_ticket(world.desk, ids["carla"], "Pedido travado")
    note = await world.bot_says(carla, opened.number)
    world.desk.call(closing.request_approval, ids["ana"], opened.id,
                    "Corrigido no pacote 2026.11.3.", origin_id="erro_sistema")
    await world.bot_says(carla, "Você aprova a solução?")
    await carla.click(t("conv.closing.approve"))
    await carla.click(t("rating.otimo"))
    return opened, note
