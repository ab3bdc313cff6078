"""The bolt AsyncApp, built explicitly from settings, and its aiohttp route."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.settings import Settings, secret
from bots.slack import actions, commands, direct, threads
from bots.slack.files import SlackFiles

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def make_client(settings: Settings) -> AsyncWebClient:
    """A Web API client from SLACK_BOT_TOKEN and SLACK_API_URL; retries are the outbox's job."""
    token = secret(settings.slack_bot_token)
    if not token:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") \
        else settings.slack_api_url + "/"
    return AsyncWebClient(token=token, base_url=base_url, timeout=30, retry_handlers=[])


def build_app(settings: Settings, desk: Desk, client: AsyncWebClient | None = None,
              *, socket_mode: bool = False) -> AsyncApp:
    """The bolt app with every listener; it never reads the environment by itself."""
    signing_secret = secret(settings.slack_signing_secret)
    if not signing_secret and not socket_mode:
        raise ValueError("SLACK_SIGNING_SECRET is required to receive Slack requests over HTTP")
    client = client or make_client(settings)
    app = AsyncApp(
        name="helpdesk",
        client=client,
        # Socket Mode requests are not signed; bolt skips the check for them.
        signing_secret=signing_secret or "socket-mode",
        ssl_check_enabled=False,  # answered by our route; bolt would read an env token for it
        process_before_response=False,
        logger=logging.getLogger("bots.slack.bolt"),
    )
    files = SlackFiles(client.token or "", settings.files_dir, client.base_url)
    conversations = direct.Conversations(desk, files)
    actions.register(app, desk)
    direct.register(app, conversations)
    threads.register(app, desk, conversations.on_message, files)
    commands.register(app, desk, conversations)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed for %s", body.get("type") or body.get("command"),
                  exc_info=error)

    return app


def events_handler(app: AsyncApp) -> Any:
    """The aiohttp handler of POST /slack/events: translate, dispatch, translate back."""

    async def slack_events(request: web.Request) -> web.Response:
        if request.content_type == "application/x-www-form-urlencoded":
            form = parse_qs(await request.text())
            if form.get("ssl_check") == ["1"]:
                return web.Response(status=200)  # Slack probing the certificate; no action
        bolt_request = await to_bolt_request(request)
        bolt_response = await app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return slack_events


def routes(app: AsyncApp) -> list[web.RouteDef]:
    """The routes the shared HTTP server mounts for Slack."""
    return [web.post(EVENTS_PATH, events_handler(app))]
