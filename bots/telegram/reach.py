"""The start's calls to the Bot API (getMe, then deleteWebhook or setWebhook), tried until it
answers. A Bot API out of reach may answer later; an address or a token it refuses never will.

getMe goes out first as a bare request: python-telegram-bot calls a 404 and a 401 alike a
refused token, a 403 Forbidden, and a 2xx that is not the Bot API's JSON an 'Invalid server
response' (or a KeyError), so only the status and the body tell a wrong TELEGRAM_API_URL from a
wrong TELEGRAM_BOT_TOKEN.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from telegram import error as tg
from telegram.request import BaseRequest

from bots.outofreach import why, without_secrets
from bots.startwait import seconds_text
from bots.telegram.courier import ours
from bots.telegram.errors import retry_seconds
from bots.telegram.transport import quoted
from core.i18n import t

log = logging.getLogger(__name__)

TOKEN_SHAPE = re.compile(r"\d+:[\w-]+", re.ASCII)
"""What @BotFather hands out. Telegram answers 404, not 401, to a token not of this shape (the
URL's 'bot' pasted in front): a 404 to a token of this shape is the address's doing."""


@dataclass(frozen=True)
class BotApiStart:
    """Where the start reaches the Bot API, and how patiently."""

    root: str
    token: str
    lang: str
    first_pause: float
    max_pause: float

    async def reach(self, host: Any, call: Callable[[], Awaitable[object]],
                    refused: str | None = None, url: str | None = None) -> None:
        """Run call until the Bot API answers: out of reach (the network not up yet, Telegram
        down or flapping, a gateway's 5xx) is tried again, one line per try, with a pause
        doubling up to max_pause; a token refused, or a request refused with the line `refused`
        names (about `url`), stops the start with one line, as no later try would work."""
        pause = self.first_pause
        for attempt in itertools.count(1):
            try:
                await call()
                return
            except tg.InvalidToken:
                raise SystemExit(t("run.telegram_token_refused", self.lang)) from None
            except (tg.NetworkError, tg.RetryAfter) as exc:
                reason = self.one_line(str(exc))
                if isinstance(exc, tg.BadRequest):  # a NetworkError to PTB, but no passing one
                    if refused is None:
                        raise
                    raise SystemExit(t(refused, self.lang, url=url, reason=reason)) from None
                wait = max(pause, retry_seconds(exc)) if isinstance(exc, tg.RetryAfter) else pause
                log.warning("%s", t("run.telegram_unreachable", self.lang,
                                    url=without_secrets(self.root),
                                    why=t("reach.busy", self.lang)
                                    if isinstance(exc, tg.RetryAfter) else why(reason, self.lang),
                                    reason=reason, attempt=attempt,
                                    wait=seconds_text(wait, self.lang)))
                await host.pause(wait)  # a stop asked meanwhile ends the start here
                pause = min(pause * 2, self.max_pause)

    async def check(self, request: BaseRequest) -> None:
        """getMe as it comes back: return when the Bot API answered it; SystemExit with one line
        naming the setting to check when something else answers, or refuses it; NetworkError or
        RetryAfter (tried again) when a gateway fails or Telegram asks to wait."""
        status, body = await ours(request).exchange(url=f"{self.root}/bot{self.token}/getMe",
                                                    method="POST")
        data = _json(body)
        if 200 <= status < 300:
            if (isinstance(data, dict) and data.get("ok") is True
                    and isinstance(data.get("result"), dict)):
                return
            self._stop("run.telegram_api_not_bot_api", status, data, body)
        if status == 401 or (status == 404 and not TOKEN_SHAPE.fullmatch(self.token)):
            raise SystemExit(t("run.telegram_token_refused", self.lang))
        if status == 404:
            self._stop("run.telegram_api_not_bot_api", status, data, body)
        parameters = data.get("parameters") if isinstance(data, dict) else None
        if status == 429 and isinstance(parameters, dict) and parameters.get("retry_after"):
            raise tg.RetryAfter(timedelta(seconds=float(parameters["retry_after"])))
        if status >= 500 or status == 429:
            # A gateway's error page, a Bot API restarting: it may pass.
            raise tg.NetworkError(self._answer(status, data, body))
        self._stop("run.telegram_api_refused", status, data, body)  # 403 and other 4xx

    def one_line(self, text: str) -> str:
        """text on one line, without the token (an aiohttp error may quote it with the URL)."""
        return " ".join(text.replace(self.token, "…").split())

    def _stop(self, key: str, status: int, data: object, body: bytes) -> None:
        raise SystemExit(t(key, self.lang, url=self.root,
                           answer=self._answer(status, data, body)))

    def _answer(self, status: int, data: object, body: bytes) -> str:
        """'403 Forbidden: <the Bot API's description, or the start of the page>'."""
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        head = f"{status} {phrase}".rstrip()
        description = data.get("description") if isinstance(data, dict) else None
        if isinstance(description, str):
            detail = self.one_line(description)
        else:
            detail = quoted(body, self.token)
        if detail in ("", phrase, repr(f"{status}: {phrase}")):  # aiohttp's '404: Not Found'
            return head
        return f"{head}: {detail}"


def _json(body: bytes) -> object:
    """The body as JSON, or None when it is not."""
    try:
        return json.loads(body)
    except ValueError:
        return None
