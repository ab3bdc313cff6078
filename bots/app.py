"""`helpdesk run`: one asyncio process hosting the HTTP server, the chat channels, the outbox
dispatcher and the scheduler (DESIGN decision 3).

A channel plugs in by exposing `build(host) -> Channel | None` in one of CHANNEL_MODULES (None
when its settings are missing). Before the HTTP server starts, the host adds the channel's
`routes()` (optional); then it awaits `channel.start(host)`, where the channel registers its
outbox sender with `host.register_sender("telegram", sender)`. On SIGTERM/SIGINT the host stops
the scheduler, lets the dispatcher finish the sends in flight, stops the channels, the HTTP
server and the senders, and closes the database. A channel whose service is out of reach at
start waits with `await host.pause(seconds)` between tries, which ends the start (StartAborted)
when a stop is asked meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import logging
import signal
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from aiohttp import web

from bots.blobs import require_files_dir
from bots.bootstrap import Container
from bots.delivery.dispatcher import Dispatcher, DispatcherConfig, utc_now
from bots.delivery.limits import Backoff
from bots.delivery.reach import Reach
from bots.delivery.registry import SenderRegistry
from bots.delivery.results import LinksTelegramBot, Sender
from bots.oserror import os_reason
from bots.scheduler import Scheduler
from bots.settings import secret
from bots.warmup import (
    compile_statements,
    freeze_heap,
    load_calendar,
    parse_catalog,
    thaw_heap,
)
from core.i18n import t
from core.outbox import OutboxMessage
from core.services.delivery import record_undeliverable
from storage.engine import checkpoint, checkpoint_in_background, on_disk
from storage.job_runs import JobRuns
from storage.outbox_sql import OutboxQueue

if TYPE_CHECKING:
    from bots.email_inbound import ReplyReceiver

log = logging.getLogger(__name__)

CHANNEL_MODULES = ("bots.telegram.plugin", "bots.slack.plugin")
"""Modules that may define `build(host) -> Channel | None`; a missing module is skipped. Each
imports its channel (its platform's library: ~a fifth of a start) only when configured."""
LISTEN_BACKLOG = 1024
T = TypeVar("T")


class StartAborted(Exception):
    """A stop asked while the start waited for a service out of reach (the Bot API)."""


@runtime_checkable
class Channel(Protocol):
    """A chat platform hosted by `helpdesk run`; `routes()` is optional."""

    name: str

    async def start(self, host: Host) -> None:
        """Begin receiving (polling, webhooks, sockets) and register the outbox sender."""
        ...

    async def stop(self) -> None:
        """Stop receiving and release connections."""
        ...


def discover_channels(host: Host, modules: Iterable[str] = CHANNEL_MODULES) -> list[Channel]:
    """Build every configured channel whose module exists."""
    found: list[Channel] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                log.debug("channel module %s not present", name)
                continue
            raise
        build = getattr(module, "build", None)
        channel = build(host) if callable(build) else None
        if channel is not None:
            found.append(channel)
    return found


class Host:
    """What a channel sees of the running process."""

    def __init__(self, container: Container, *, channels: list[Channel] | None = None,
                 dispatcher_config: DispatcherConfig | None = None,
                 stop: asyncio.Event | None = None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        """`clock`: the dispatcher's (tests: the desk's, when it is moved by the test)."""
        self.container = container
        self.stop_asked = stop or asyncio.Event()
        self.settings = container.settings
        self.desk = container.desk
        self.web = web.Application()
        self.web.router.add_get("/healthz", self._healthz)
        self.senders = SenderRegistry()
        engine = getattr(container.store, "engine", None)
        if engine is None:
            raise RuntimeError("helpdesk run needs the SQL store (DATABASE_URL)")
        self.queue = OutboxQueue(engine, language=self.settings.language)
        self.dispatcher = Dispatcher(
            self.queue, self.senders,
            config=dispatcher_config or dispatcher_config_for(self.settings),
            run_sync=self.desk.run_sync, on_undeliverable=self._undeliverable, clock=clock)
        # What the chat promises (an e-mail) counts this instance's senders and live ones'.
        self.desk.reach = Reach(engine, self.dispatcher.config.unserved_grace,
                                dispatching=self.senders.channels)
        self.engine = engine
        self.checkpointing = on_disk(engine)
        self.scheduler = Scheduler(
            self.desk, self.queue,
            sweep_every=float(getattr(self.settings, "sweep_interval_seconds", 60)),
            keep_sent_days=float(getattr(self.settings, "outbox_keep_days", 7)),
            on_notifications=self.wake_outbox,
            checkpoint=functools.partial(checkpoint, engine) if self.checkpointing else None,
            runs=JobRuns(engine), worker=self.dispatcher.worker_id,
            language=self.settings.language,
            files_dir=getattr(self.settings, "files_dir", None))
        self.channels = channels if channels is not None else discover_channels(self)
        self.http_url = ""
        self._runner: web.AppRunner | None = None
        self.replies: ReplyReceiver | None = None
        """The receiver of replies by e-mail (MAIL_INBOUND_LISTEN), once listening."""
        self.replies_port = 0

    async def pause(self, seconds: float) -> None:
        """Wait before trying a service again; StartAborted when a stop is asked meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop_asked.wait(), seconds)
        if self.stop_asked.is_set():
            raise StartAborted

    async def unless_stopped(self, waited: Awaitable[T]) -> T:
        """Await what the start waits for (a service retrying on its own, as Slack's socket),
        or StartAborted when a stop is asked first: Ctrl-C went unheard. It runs in this task
        (in a task of its own, a SystemExit of the start would stop the event loop), which a
        stop cancels."""
        current = asyncio.current_task()
        assert current is not None
        active = True

        def stop_it(_: object) -> None:
            if active:  # a stop asked as `waited` ended is left to the next wait or the stop
                current.cancel()

        watcher = asyncio.ensure_future(self.stop_asked.wait())
        watcher.add_done_callback(stop_it)
        try:
            return await waited
        except asyncio.CancelledError:
            if not self.stop_asked.is_set():
                raise
            current.uncancel()
            raise StartAborted from None
        finally:
            active = False
            watcher.cancel()

    def register_sender(self, channel: str, sender: Sender) -> None:
        """Deliver a channel's outbox rows through sender (the last registration wins)."""
        self.senders.register(channel, sender)

    def telegram_bot_is(self, username: str | None) -> None:
        """The bot's username as getMe answered: ticket e-mails link to the ticket there (it
        outranks TELEGRAM_BOT_USERNAME, which serves an instance without Telegram)."""
        email = self.senders.get("email")
        if username and isinstance(email, LinksTelegramBot):
            email.link_telegram_bot(username)

    def wake_outbox(self) -> None:
        """Tell the dispatcher new rows were committed (it also polls on its own)."""
        self.dispatcher.wake()

    async def _undeliverable(self, msg: OutboxMessage, error: str, unreachable: bool) -> None:
        if await self.desk.acall(record_undeliverable, msg, error, unreachable):
            self.wake_outbox()

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(self.desk.run_sync(self.queue.ping), 5)
        except Exception as exc:
            return web.json_response({"ok": False, "database": str(exc)[:200]}, status=503)
        health: dict[str, Any] = {"ok": True, "channels": [c.name for c in self.channels],
                                  "senders": sorted(self.senders.channels())}
        if self.replies is not None:
            health["replies_by_email"] = dict(sorted(self.replies.outcomes.items()))
        return web.json_response(health)

    async def start(self) -> None:
        """Start the dispatcher, open the HTTP server, start the channels and the scheduler.

        The dispatcher beats from the start with the channels configured here: an instance
        started at the same moment would otherwise fail their rows before they are served."""
        if self.checkpointing:  # before any thread opens a connection: it adds a listener
            checkpoint_in_background(self.engine)
        self.dispatcher.starting = self._configured()
        await self.dispatcher.start()
        load_calendar(self.container.policy, self.desk.clock())
        parse_catalog()
        await compile_statements(self.desk)
        require_files_dir(self.settings.files_dir, self.settings.language)
        for channel in self.channels:
            routes = getattr(channel, "routes", None)
            if callable(routes):
                self.web.add_routes(list(routes()))
        self._runner = web.AppRunner(self.web, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        # aiohttp's default backlog (128) overflows when Slack or Telegram open hundreds of
        # connections at once; refused connects are retried by the kernel a second later.
        site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port,
                           backlog=LISTEN_BACKLOG)
        try:
            await site.start()
        except OSError as exc:  # a port taken by another program, an address not of this host
            where = f"{self.settings.http_host}:{self.settings.http_port}"
            # asyncio's strerror is its own English sentence; the system's words are shorter. A
            # name not resolved has a resolver's code, which os.strerror calls 'Unknown error -2'.
            reason = exc.strerror if isinstance(exc, socket.gaierror) else \
                os_reason(exc, self.settings.language) if exc.errno else str(exc)
            raise SystemExit(t("run.http_unusable", self.settings.language, where=where,
                               reason=reason)) from None
        port = _bound_port(site) or self.settings.http_port
        self.http_url = f"http://{self.settings.http_host}:{port}"
        log.info("%s", t("run.http_listening", self.settings.language, url=self.http_url))
        self._register_email()
        await self._receive_replies()
        await self._say_smtputf8_need()
        await self._check_services_email()
        for channel in self.channels:
            await channel.start(self)
            log.info("%s", t("run.channel_started", self.settings.language,
                             channel=channel.name))
        self._register_telegram_fallback()
        if not self.channels:
            lang = self.settings.language
            mail = t("run.no_channel.mail_on" if self.senders.get("email")
                     else "run.no_channel.mail_off", lang)
            log.warning("%s", t("run.no_channel", lang, mail=mail))
        self.dispatcher.starting = frozenset()
        self.wake_outbox()
        await self.scheduler.start()
        freeze_heap()

    async def stop(self) -> None:
        """Stop in reverse: timers, deliveries in flight, channels, HTTP, senders, database."""
        await self.scheduler.stop()
        await self.dispatcher.stop()
        for channel in reversed(self.channels):
            try:
                await channel.stop()
            except Exception:
                log.exception("stopping channel %s failed", channel.name)
        if self.replies is not None:
            await self.replies.stop()
            self.replies = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.senders.aclose()
        thaw_heap()

    def _configured(self) -> frozenset[str]:
        """The channels this instance will send on once started."""
        names = {c.name for c in self.channels}
        if self.settings.smtp() is not None:
            names.add("email")
        if secret(self.settings.telegram_bot_token):
            names.add("telegram")
        return frozenset(names)

    def _register_email(self) -> None:
        smtp = self.settings.smtp()
        if smtp is None:
            return
        from bots.email import EmailSender
        from bots.mailfrom import is_sender

        # Running on without a sender would fail every e-mail notification, other instances' too.
        if not self.settings.mail_from:
            raise SystemExit(t("run.mail_from_missing", self.settings.language))
        if not is_sender(self.settings.mail_from):
            raise SystemExit(t("run.mail_from_invalid", self.settings.language,
                               value=self.settings.mail_from))

        self.register_sender("email", EmailSender(
            smtp, self.settings.mail_from, language=self.settings.language,
            telegram_bot=self.settings.telegram_bot_username,
            replies=self.settings.reply_address(), desk=self.desk,
            files_dir=self.settings.files_dir))
        log.info("%s", t("run.mail_via", self.settings.language, where=f"{smtp.host}:{smtp.port}",
                         mail_from=self.settings.mail_from))

    async def _receive_replies(self) -> None:
        """Listen for the replies to tickets' e-mails (MAIL_INBOUND_LISTEN): each instance
        may; Message-IDs kept in the database make each reply count once."""
        where, replies = self.settings.inbound_listen(), self.settings.reply_address()
        if where is None or replies is None:
            return
        from bots.email_inbound import ReplyReceiver

        lang = self.settings.language
        receiver = ReplyReceiver(self.desk, replies, self.settings.files_dir,
                                 ours=[self.settings.mail_from or ""],
                                 on_notifications=self.wake_outbox)
        tls = self._inbound_tls()
        try:
            self.replies_port = await receiver.start(*where, tls=tls)
        except OSError as exc:
            raise SystemExit(t("run.mail_inbound_unusable", lang,
                               where=self.settings.mail_inbound_listen,
                               reason=os_reason(exc, lang) if exc.errno else str(exc))) from None
        self.replies = receiver
        log.info("%s", t("run.mail_inbound_listening", lang,
                         where=f"{where[0]}:{self.replies_port}", address=replies.address))

    def _inbound_tls(self) -> ssl.SSLContext | None:
        """MAIL_INBOUND_TLS_CERT and _KEY loaded for the receiver's STARTTLS, or None; one
        it cannot use stops the start, in LANGUAGE."""
        cert, key = self.settings.mail_inbound_tls_cert, self.settings.mail_inbound_tls_key
        if not cert or not key:
            return None
        lang = self.settings.language
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(cert, key)
        except ssl.SSLError:  # before OSError: its errno is the library's, not the system's
            reason = t("run.mail_inbound_tls_not_pem", lang)
        except OSError as exc:
            reason = os_reason(exc, lang) if exc.errno else str(exc)
        else:
            return context
        raise SystemExit(t("run.mail_inbound_tls_unusable", lang, cert=cert, key=key,
                           reason=reason))

    async def _say_smtputf8_need(self) -> None:
        """A MAIL_FROM with letters beyond ASCII before the @ sends only through a server
        offering SMTPUTF8: ask the server's EHLO once and warn when it lacks it (or cannot be
        asked). The start goes on either way: the server may be changed, or be up later."""
        smtp = self.settings.smtp()
        mail_from = self.settings.mail_from
        if smtp is None or not mail_from or self.senders.get("email") is None:
            return
        import aiosmtplib

        from bots.email import offers_smtputf8
        from bots.mailfrom import needs_smtputf8

        if not needs_smtputf8(mail_from):
            return
        lang, where = self.settings.language, f"{smtp.host}:{smtp.port}"
        try:
            if await offers_smtputf8(smtp):
                return
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.warning("%s", t("run.mail_from_smtputf8_unchecked", lang, mail_from=mail_from,
                                where=where, reason=str(exc) or type(exc).__name__))
            return
        log.warning("%s", t("run.mail_from_smtputf8_missing", lang, mail_from=mail_from,
                            where=where))

    async def _check_services_email(self) -> None:
        """SERVICES_EMAIL on an instance that sends no e-mail (no SMTP_URL): each authorized
        charge's e-mail to the services area (R23) goes only through an instance that does.
        One did in the last 24 h (instances may split the work): said, naming it. None did:
        refused, the area would never hear of a charge; after a lease for another instance
        live (one starting with this one lists its channels from its start), or
        SERVICES_EMAIL_WAIT_SECONDS for one started at the same moment that has not beaten yet
        (it beats once its process is up, its dispatcher's first act: seconds on a loaded
        machine)."""
        address = self.settings.services_email
        if not address or self.senders.get("email") is not None:
            return
        queue, me = self.queue, self.dispatcher.worker_id
        grace = self.dispatcher.config.unserved_grace
        together = float(self.settings.services_email_wait_seconds)
        began = time.monotonic()
        while True:
            now, workers = await self.desk.run_sync(queue.workers_now, self.desk.clock())
            mailing = [w.worker for w in workers if "email" in w.channels]
            others = [w for w in workers if w.worker != me and w.stopped_at is None
                      and (now - w.seen_at).total_seconds() < grace]
            bound = grace if others else min(grace, together)
            if mailing or time.monotonic() - began >= bound:
                break
            await self.pause(1.0)
        lang = self.settings.language
        if not mailing:
            raise SystemExit(t("run.services_email_no_smtp", lang, address=address))
        log.warning("%s", t("run.services_email_elsewhere", lang, address=address,
                            instances=", ".join(mailing)))

    def _register_telegram_fallback(self) -> None:
        """Deliver Telegram notifications even when no Telegram channel module took them."""
        token = secret(self.settings.telegram_bot_token)
        if token and self.senders.get("telegram") is None:
            from bots.telegram.sender import TelegramSender

            self.register_sender("telegram", TelegramSender.from_token(
                token, self.settings.telegram_api_url, language=self.settings.language,
                files_dir=self.settings.files_dir))  # a row another instance began: its files


def dispatcher_config_for(s: Any) -> DispatcherConfig:
    """The dispatcher's pacing from the settings."""
    lease = float(getattr(s, "outbox_lease_seconds", 60))
    return DispatcherConfig(
        workers=s.outbox_workers,
        poll_interval=float(getattr(s, "outbox_poll_seconds", 0.5)),
        lease=lease,
        send_timeout=min(25.0, lease / 2),
        # A file on a slow link is slow, not failed: its lease is renewed while it goes.
        upload_timeout=max(DispatcherConfig.upload_timeout, lease * 0.8),
        stop_wait=lease * 0.8,
        # An instance silent for a lease is gone, as its claimed rows are given up then.
        unserved_every=min(2.0, lease / 4),
        unserved_grace=lease,
        backoff=Backoff(base=float(getattr(s, "outbox_retry_base_seconds", 2)),
                        cap=float(getattr(s, "outbox_retry_max_seconds", 900)),
                        give_up_after=float(getattr(s, "outbox_give_up_hours", 72)) * 3600),
        language=s.language,
    )


def _bound_port(site: web.TCPSite) -> int | None:
    server = getattr(site, "_server", None)
    sockets = getattr(server, "sockets", None) or []
    return sockets[0].getsockname()[1] if sockets else None


async def serve(container: Container, *, stop: asyncio.Event | None = None,
                channels: list[Channel] | None = None) -> None:
    """Run until `stop` is set or SIGTERM/SIGINT arrives, then shut down cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    host = Host(container, channels=channels, stop=stop)
    try:
        with contextlib.suppress(StartAborted):
            await host.start()
            log.info("%s", t("run.running", container.settings.language))
            await stop.wait()
        log.info("%s", t("run.stopping", container.settings.language))
    finally:
        await host.stop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)


def run(container: Container) -> None:
    """The blocking entry point of `helpdesk run`; closes the database at the end."""
    try:
        asyncio.run(serve(container))
    finally:
        container.close()
