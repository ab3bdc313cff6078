"""The Slack channel plug-in of `helpdesk run`: HTTP route or Socket Mode, plus the sender."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.settings import Settings, secret
from bots.slack.app import build_app, build_receiver, make_client, routes
from bots.slack.listeners import Listeners
from bots.slack.reach import out_of_reach
from bots.slack.receiver import Receiver, refused, warm_authorization
from bots.slack.sender import SlackSender
from core.i18n import t

if TYPE_CHECKING:
    from bots.app import Host

log = logging.getLogger(__name__)


class SlackChannel:
    """Slack for `helpdesk run`: bolt on POST /slack/events (or a socket), the card sender."""

    name = "slack"

    def __init__(self, settings: Settings, desk: Desk, client: AsyncWebClient | None = None,
                 ) -> None:
        self.settings = settings
        self.app_token = secret(settings.slack_app_token)
        self.http = bool(secret(settings.slack_signing_secret))
        self.client = client or make_client(settings)
        self.app = build_app(settings, desk, self.client, socket_mode=not self.http)
        self.listeners = Listeners(settings.language)
        self.listeners.install(self.app)
        self.sender = SlackSender(
            self.client, desk, triage_channel=settings.slack_triage_channel,
            dev_channel=settings.slack_dev_channel, tz=desk.policy.timezone,
            language=settings.language, files_dir=settings.files_dir)
        self.receiver: Receiver | None = (
            build_receiver(settings, desk, self.app) if self.http else None)
        self.socket: AsyncSocketModeHandler | None = None
        self._quiet: logging.Filter | None = None

    def routes(self) -> list[web.RouteDef]:
        """POST /slack/events when a signing secret is set (Socket Mode needs no route)."""
        return routes(self.receiver) if self.receiver is not None else []

    async def start(self, host: Any) -> None:
        """Register the sender, cache auth.test; connect the socket when SLACK_APP_TOKEN is set."""
        host.register_sender("slack", self.sender)
        apps = [self.app] + ([self.receiver.worker_app] if self.receiver is not None else [])
        # Each waits as long as Slack is out of reach (the socket retries forever): a stop
        # asked meanwhile ends the start (Host.unless_stopped).
        await host.unless_stopped(warm_authorization(*apps, lang=self.settings.language))
        if self.app_token:
            await host.unless_stopped(self._check_app_token(self.app_token))
            self.socket = AsyncSocketModeHandler(self.app, self.app_token,
                                                 web_client=self.client)
            self._quiet = unreachable_in_one_line(self.settings.slack_api_url,
                                                  self.settings.language)
            self.socket.client.logger.addFilter(self._quiet)
            await host.unless_stopped(self.socket.connect_async())
            log.info("%s", t("run.slack_socket_connected", self.settings.language))
        if self.http:
            log.info("%s", t("run.slack_http_receiving", self.settings.language))

    async def _check_app_token(self, token: str) -> None:
        """One apps.connections.open: the socket client would retry a refused token forever,
        with the start stuck before the outbox and the sweeps."""
        try:
            await self.client.apps_connections_open(app_token=token)
        except SlackApiError as exc:
            if refused(exc):
                raise SystemExit(t("run.slack_app_token_refused", self.settings.language,
                                   reason=refused(exc))) from None
            log.warning("%s", out_of_reach("run.slack_socket_failed", exc,
                                           self.settings.language, self.settings.slack_api_url))
        except Exception as exc:  # a passing failure: the socket client keeps trying
            log.warning("%s", out_of_reach("run.slack_socket_failed", exc,
                                           self.settings.language, self.settings.slack_api_url))

    async def stop(self) -> None:
        """Close the socket, if any; run every click already acknowledged; let the listeners
        still at work after their ack (a message event's: an agent's trâmite) finish, for a
        while (listeners.WAIT)."""
        if self.socket is not None:
            await self.socket.close_async()
            if self._quiet is not None:
                self.socket.client.logger.removeFilter(self._quiet)
            self.socket = None
        if self.receiver is not None:
            await self.receiver.close()
        await self.listeners.wait()


class unreachable_in_one_line(logging.Filter):  # noqa: N801 - used as a function
    """The socket client's 'Failed to connect (error: …); Retrying...', logged with its
    traceback every 10 s while Slack is out of reach, as one line in LANGUAGE."""

    def __init__(self, url: str, language: str) -> None:
        super().__init__()
        self.url = url
        self.language = language

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Failed to connect (error:"):
            error = record.exc_info[1] if record.exc_info else None
            line = out_of_reach("run.slack_unreachable", error, self.language, self.url) \
                if error else t("run.slack_unreachable", self.language, url=self.url,
                                why=t("reach.other", self.language), reason=record.msg)
            record.msg, record.args = "%s", (line,)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def build(host: Host) -> SlackChannel | None:
    """The Slack channel when SLACK_BOT_TOKEN and a way to receive are set; None without a token."""
    settings = host.settings
    if not secret(settings.slack_bot_token):
        return None
    if not secret(settings.slack_signing_secret) and not secret(settings.slack_app_token):
        # Running on without Slack would fail every Slack notification, other instances' too.
        raise SystemExit(t("run.slack_receiver_missing", settings.language))
    if not settings.slack_triage_channel:
        log.warning("%s", t("run.slack_triage_missing", settings.language))
    return SlackChannel(settings, host.desk)
