"""The Telegram channel hosted by `helpdesk run`: long polling, or webhooks at POST /telegram.

A python-telegram-bot Bot is built explicitly from the settings (token, Bot API root for
methods and files); in polling mode our Poller (bots.telegram.polling) journals each batch
before confirming it and hands it, in order, to our Inbox, which runs different chats at once
and one chat's updates strictly in order. (No PTB Application: without a persistence it
remembers every chat and user id it ever saw, in sets that only a persistence empties.) With
TELEGRAM_WEBHOOK_URL the updates come to our own aiohttp route on the shared HTTP server
instead, which answers 200 only once the update was processed (so Telegram delivers it again
after a crash) and 403 to a request without the secret header; the 200 to a button click
carries its answerCallbackQuery, which Telegram runs for the bot (one request fewer a click).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram import Bot
from telegram import error as tg

from bots.runtime import Desk
from bots.settings import Settings, secret
from bots.telegram.chatprocs import ChatProcesses, StartFailed
from bots.telegram.conversation import Conversations
from bots.telegram.files import FileStore
from bots.telegram.inbox import Inbox, Incoming, read_incoming
from bots.telegram.menus import customer_menu, linked_staff, show_staff_menus
from bots.telegram.polling import Poller
from bots.telegram.reach import BotApiStart
from bots.telegram.sender import TelegramSender
from bots.telegram.steps import GRACE, forget_old
from bots.telegram.transport import AiohttpRequest, api_bot
from core.i18n import normalize_language, t
from storage.telegram_journal import UpdateJournal

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header name)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MENU_LANGUAGES = ((None, None), ("pt", "pt_BR"), ("en", "en"))
"""(Telegram language_code, our language): the default menu in the help desk's language, and
one per language we speak for people whose Telegram app is set to it."""


@dataclass(frozen=True)
class TelegramOptions:
    """Timings of the channel (tests make them short)."""

    poll_timeout: float = 10.0
    typing_after: float = 1.0
    """A typed message's step shows 'typing…' once it has taken this long: an answer within
    the second replaced it at once (under load, 0.4 s sent one for ~0.4 of the updates, nearly
    all answered within the second)."""
    reply_budget: float = 15.0
    read_timeout: float = 15.0
    """How long a Bot API call waits for Telegram's answer once sent (getUpdates: its own)."""
    answer_grace: float = GRACE.total_seconds()
    """How long a step's answer waits in the outbox for the channel's own send (steps.GRACE)."""
    album_wait: float = 0.6
    concurrency: int = 64
    drain_seconds: float = 20.0
    upkeep_seconds: float = 6 * 3600.0
    connect_retry_first: float = 1.0
    connect_retry_max: float = 30.0
    """The pauses between tries while the Bot API is out of reach at start (doubling)."""


def build(host: Any) -> TelegramChannel | None:
    """The channel when TELEGRAM_BOT_TOKEN is set (the host's plug-in point)."""
    if not secret(host.settings.telegram_bot_token):
        return None
    try:
        return TelegramChannel(host.settings, host.desk)
    except ValueError as exc:
        # A configuration mistake stops `helpdesk run` with one line, not a traceback.
        raise SystemExit(str(exc)) from None


class TelegramChannel:
    """Receives updates (polling or webhook) and registers the Telegram outbox sender."""

    name = "telegram"

    def __init__(self, settings: Settings, desk: Desk,
                 options: TelegramOptions | None = None) -> None:
        token = secret(settings.telegram_bot_token)
        if not token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.token = token
        self.settings = settings
        self.desk = desk
        self.options = options or TelegramOptions()
        self.api_root = settings.telegram_api_url.rstrip("/")
        self.webhook_url = settings.telegram_webhook_url
        self.webhook_secret = secret(settings.telegram_webhook_secret)
        if self.webhook_url and not self.webhook_secret:
            raise ValueError(t("run.telegram_webhook_secret_missing", settings.language))
        self.files = FileStore(settings.files_dir)
        self.start_calls = BotApiStart(self.api_root, token, settings.language,
                                       self.options.connect_retry_first,
                                       self.options.connect_retry_max)
        self.bot: Bot | None = None
        self.poller: Poller | None = None
        self._polling_request: AiohttpRequest | None = None
        self.conversations: Conversations | None = None
        self.inbox: Inbox | None = None
        self._upkeep: asyncio.Task[None] | None = None
        self.chats: ChatProcesses | None = None

    @property
    def mode(self) -> str:
        """'webhook' or 'polling'."""
        return "webhook" if self.webhook_url else "polling"

    def routes(self) -> list[web.RouteDef]:
        """POST /telegram on the shared HTTP server, in webhook mode."""
        return [web.post(WEBHOOK_PATH, self._webhook)] if self.webhook_url else []

    def build_bot(self) -> Bot:
        """The PTB Bot against TELEGRAM_API_URL (methods and file downloads)."""
        polling = self._polling_request = AiohttpRequest(
            connection_pool_size=1, connect_timeout=5.0, read_timeout=5.0, write_timeout=10.0,
            pool_timeout=5.0)
        return api_bot(self.token, self.api_root, get_updates_request=polling,
                       read_timeout=self.options.read_timeout)

    async def start(self, host: Any) -> None:
        """Connect, register the sender and the commands, then poll or set the webhook."""
        bot = self.bot = self.build_bot()
        self.conversations = Conversations(
            self.desk, bot, self.files, wake=host.wake_outbox,
            typing_after=self.options.typing_after, budget=self.options.reply_budget,
            language=self.settings.language, repeats_lost=not self.webhook_url,
            grace=self.options.answer_grace)
        self.inbox = Inbox(self.conversations.process, album_wait=self.options.album_wait,
                           concurrency=self.options.concurrency)
        await self.start_calls.reach(host, self._get_me)
        host.telegram_bot_is(bot.username)  # ticket e-mails link to the ticket in the bot
        if self.settings.telegram_chat_processes and self.chats is None:
            self.chats = ChatProcesses(self.settings.telegram_chat_processes, self.settings,
                                       self.desk.policy, self.options,
                                       polling=not self.webhook_url, wake=host.wake_outbox)
            try:
                await self.chats.start()
            except StartFailed as exc:  # one line, as the other start checks
                self.chats = None
                raise SystemExit(str(exc)) from None
        host.register_sender("telegram", TelegramSender(
            bot, language=self.settings.language, desk=self.desk, owns_bot=False,
            files_dir=self.settings.files_dir))
        await self._introduce()
        # The team's menu (with /fila) in each linked agent's own chat; others link later.
        await show_staff_menus(bot, await self.desk.acall(linked_staff))
        engine = getattr(self.desk.store, "engine", None)
        if engine is None:
            raise RuntimeError("the Telegram channel needs the SQL store (DATABASE_URL)")
        assert self._polling_request is not None
        self.poller = Poller(bot, self._polling_request, UpdateJournal(engine), self.desk,
                             self._accept, timeout=self.options.poll_timeout,
                             allowed_updates=ALLOWED_UPDATES,
                             replayed=(self.chats or self.conversations).replayed,
                             accept_raw=self._accept_raw if self.chats is not None else None,
                             language=self.settings.language)
        if self.webhook_url:
            url = self.webhook_url
            await self.start_calls.reach(host, lambda: bot.set_webhook(
                url=url, secret_token=self.webhook_secret, allowed_updates=ALLOWED_UPDATES),
                refused="run.telegram_webhook_refused", url=url)
            await self.poller.replay()  # what an earlier polling run fetched and left
        else:
            # Its first call is deleteWebhook: a failure there left nothing to undo.
            await self.start_calls.reach(host, self.poller.start)
        self._upkeep = asyncio.create_task(self._forget_old(), name="telegram-upkeep")
        log.info("%s", t("run.telegram_started", self.settings.language, username=bot.username,
                         mode=self.mode))

    async def _get_me(self) -> None:
        """getMe checked as it comes back (see bots.telegram.reach), then PTB's own."""
        assert self.bot is not None
        await self.start_calls.check(self.bot.request)
        await self.bot.initialize()

    async def _forget_old(self) -> None:
        """Now and then, drop old message→ticket links."""
        while True:
            await asyncio.sleep(self.options.upkeep_seconds)
            try:
                gone = await self.desk.acall(forget_old)
            except Exception:
                log.exception("Telegram upkeep failed; trying again later")
            else:
                log.debug("Telegram upkeep: %d old row(s) dropped", gone)

    async def _introduce(self) -> None:
        """The customers' command menu (the default one; see bots.telegram.menus) and, unless
        set in BotFather, the description shown before a person writes the first message, in
        each language (best effort)."""
        # The languages at once: a dozen calls one after another would delay the start.
        await asyncio.gather(*(self._introduce_in(code, ours) for code, ours in MENU_LANGUAGES))

    async def _introduce_in(self, code: str | None, ours: str | None) -> None:
        bot = self.bot
        assert bot is not None
        lang = normalize_language(ours or self.settings.language)
        try:
            await bot.set_my_commands(customer_menu(lang), language_code=code)
            if not (await bot.get_my_description(language_code=code)).description:
                await bot.set_my_description(t("telegram.description", lang), language_code=code)
            if not (await bot.get_my_short_description(language_code=code)).short_description:
                await bot.set_my_short_description(t("telegram.short_description", lang),
                                                   language_code=code)
        except tg.TelegramError as exc:
            log.warning("bot menu/description (%s) not set; they stay as they were: %s",
                        code or "default", exc)

    async def stop(self) -> None:
        """Stop receiving, finish the updates in hand, close the connections."""
        bot = self.bot
        if bot is None:
            return
        if self._upkeep is not None:
            self._upkeep.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._upkeep
            self._upkeep = None
        if self.poller is not None:
            await self.poller.stop()
        if self.inbox is not None:
            await self.inbox.drain(self.options.drain_seconds)
        if self.chats is not None:
            await self.chats.drain(self.options.drain_seconds)
        if self.poller is not None:
            try:
                await self.poller.flush()
            except Exception:  # the processed ones are replayed and recognised next time
                log.exception("forgetting the processed Telegram updates failed")
            self.poller = None
        if self.chats is not None:
            await self.chats.close()
            self.chats = None
        await bot.shutdown()
        # A bot whose getMe never answered is not shut down by PTB: its connections are.
        await bot.request.shutdown()
        if self._polling_request is not None:
            await self._polling_request.shutdown()

        self.bot = None

    async def _accept(self, update: Incoming) -> asyncio.Task[None] | None:
        """Place a polled update in its chat's line (after waiting for room): its job."""
        if self.inbox is None or self.inbox.closed:
            log.info("%s", t("run.telegram_update_while_stopping", self.settings.language,
                             update=update.update_id))
            return None
        await self.inbox.room()
        return self.inbox.accept(update)

    async def _accept_raw(self, raw: dict[str, Any]) -> asyncio.Future[Any] | None:
        """Send a polled update to its chat's process (after waiting for room): its job."""
        if self.chats is None or self.chats.closed:
            log.info("%s", t("run.telegram_update_while_stopping", self.settings.language,
                             update=raw.get("update_id")))
            return None
        await self.chats.room()
        return self.chats.accept(raw)

    async def _webhook(self, request: web.Request) -> web.StreamResponse:
        """POST /telegram: check the secret, process the update, then answer."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not self.webhook_secret or not hmac.compare_digest(given,
                                                              self.webhook_secret.encode()):
            return web.Response(status=403)
        if self.chats is not None:
            return await self._route(request, self.chats)
        bot, inbox, conversations = self.bot, self.inbox, self.conversations
        if bot is None or inbox is None or inbox.closed or conversations is None:
            return web.Response(status=503)
        try:
            data = await request.json()
            update = read_incoming(data, bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError):
            update = None
        if update is None:
            return web.Response(status=400)
        # A click's answerCallbackQuery (or a typed answer's removal of the buttons of the
        # question before) comes back in this request's answer.
        conversations.answer_in_reply(update.update_id)
        try:
            await inbox.accept(update)
        except Exception:
            log.exception("webhook update %s failed; Telegram will deliver it again",
                          update.update_id)
            await conversations.answer_now(update.update_id)
            return web.Response(status=500)
        reply = conversations.reply_to(update.update_id)
        return web.json_response(reply) if reply is not None else web.Response(status=200)

    async def _route(self, request: web.Request, chats: ChatProcesses) -> web.StreamResponse:
        """A webhook delivery with TELEGRAM_CHAT_PROCESSES: to its chat's process, undecoded;
        the answer once processed, with the click's answerCallbackQuery when it has one."""
        if chats.closed:
            return web.Response(status=503)
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400)
        await chats.room()
        try:
            reply = await chats.accept(data, in_reply=True)
        except Exception:
            log.exception("webhook update %s failed; Telegram will deliver it again",
                          data["update_id"])
            return web.Response(status=500)
        return web.json_response(reply) if reply is not None else web.Response(status=200)
