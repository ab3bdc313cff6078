"""The bolt AsyncApp, built explicitly from settings, and its aiohttp route."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk
from bots.settings import Settings, secret
from bots.slack import actions, article_actions, commands, direct, threads
from bots.slack.files import SlackFiles
from bots.slack.receiver import Receiver

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
OAUTH_ENV = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
"""With both set, bolt switches itself to OAuth installs and ignores the bot token."""
HIDDEN_ENV = (*OAUTH_ENV, "SLACK_BOT_TOKEN")
"""Also the token: bolt reads it besides our client's, and warns in English that it is unused."""


def make_client(settings: Settings) -> AsyncWebClient:
    """A Web API client from SLACK_BOT_TOKEN and SLACK_API_URL; retries are the outbox's job."""
    token = secret(settings.slack_bot_token)
    if not token:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") \
        else settings.slack_api_url + "/"
    return AsyncWebClient(token=token, base_url=base_url, timeout=30, retry_handlers=[])


def build_app(settings: Settings, desk: Desk, client: AsyncWebClient | None = None,
              *, socket_mode: bool = False, worker: bool = False) -> AsyncApp:
    """The bolt app with every listener; it never reads the environment by itself.

    A worker app runs each listener to the end before returning and trusts its caller to have
    checked the signature: only the Receiver's click queue may dispatch to it.
    """
    signing_secret = secret(settings.slack_signing_secret)
    if not signing_secret and not socket_mode:
        raise ValueError("SLACK_SIGNING_SECRET is required to receive Slack requests over HTTP")
    client = client or make_client(settings)
    with _oauth_env_hidden():
        app = AsyncApp(
            name="helpdesk",
            client=client,
            # Socket Mode requests are not signed; bolt skips the check for them.
            signing_secret=signing_secret or "socket-mode",
            ssl_check_enabled=False,  # answered by our route; bolt would read an env token
            request_verification_enabled=not worker,
            process_before_response=worker,
            logger=logging.getLogger("bots.slack.bolt"),
        )
    files = SlackFiles(client.token or "", settings.files_dir, client.base_url)
    conversations = direct.Conversations(desk, files)
    article_actions.register(app, desk)  # its form's md.article before actions' md.*
    actions.register(app, desk)
    direct.register(app, conversations)
    threads.register(app, desk, conversations.on_message, files)
    commands.register(app, desk, conversations)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed for %s", body.get("type") or body.get("command"),
                  exc_info=error)

    return app


@contextlib.contextmanager
def _oauth_env_hidden() -> Iterator[None]:
    """Hide SLACK_CLIENT_ID/SECRET (left by another app, say) and SLACK_BOT_TOKEN while bolt
    reads the environment."""
    saved = {name: os.environ.pop(name) for name in HIDDEN_ENV if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def build_receiver(settings: Settings, desk: Desk, app: AsyncApp) -> Receiver:
    """POST /slack/events over `app`, with a worker app of the same listeners for clicks."""
    worker_app = build_app(settings, desk, app.client, worker=True)
    return Receiver(app, worker_app, secret(settings.slack_signing_secret) or "",
                    language=settings.language)


def routes(receiver: Receiver) -> list[web.RouteDef]:
    """The routes the shared HTTP server mounts for Slack."""
    return [web.post(EVENTS_PATH, receiver.handle)]
