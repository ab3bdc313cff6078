"""POST /slack/events: button clicks are verified and acked at once, then run by a few workers."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote_plus

from aiohttp import hdrs, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError

from bots.slack.reach import out_of_reach
from core.i18n import t

if TYPE_CHECKING:
    from yarl import URL  # aiohttp's request URL

log = logging.getLogger(__name__)

WORKERS = 8
"""Clicks run at once (of different people); beyond the desk's database threads they wait
for one, having already read their request."""
QUEUE_SIZE = 2000
"""Acked clicks not yet run; when that many wait, the next ack waits for room (none is lost)."""
QUIET = 0.02
"""Seconds without a new click before workers start: acks of a burst go out first."""
MAX_DEFER = 0.5
"""The longest a click waits for a quiet moment (under steady traffic work still goes on)."""
AUTH_TEST_TIMEOUT = 5.0
"""Seconds the channel's start waits for auth.test before leaving it to bolt."""
TOKEN_REFUSED = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired",
                           "account_inactive", "not_allowed_token_type"})
"""Slack's answers to a token that will never work (not a passing failure)."""
QUICK_ACK = frozenset({"block_actions"})
"""Payload types whose ack is always empty (a modal's ack may carry errors: not here)."""
INVALID = {"error": "invalid request"}  # bolt's own 401 body
SIGNATURE_AGE = 60 * 5
"""Seconds a signed timestamp stays valid either way, as bolt (slack_sdk's SignatureVerifier)."""
FORM = "application/x-www-form-urlencoded"
PAYLOAD = "payload="
PREFIX = 120
FIRST_TYPE = re.compile(r'\{\s*"type"\s*:\s*"([a-z_]+)"\s*[,}]')
_SPACE = r"(?:\+|%20|%09|%0[AaDd])*"  # JSON whitespace as a form encodes it
ENCODED_FIRST_TYPE = re.compile(
    rf"payload=%7[Bb]{_SPACE}%22type%22{_SPACE}%3[Aa]{_SPACE}%22([a-z_]+)%22{_SPACE}%(?:2[Cc]|7[Dd])")


def payload_type(body: str) -> str | None:
    """The "type" of an interactive request's payload (`payload=<JSON>`), else None.

    Slack writes "type" first, so a short decoded prefix usually answers without decoding the
    whole payload (a real one carries the message's blocks: kilobytes); otherwise the full
    parse. Only routing depends on it: both routes check the signature before acting.
    """
    if not body.startswith(PAYLOAD):
        return None
    match = ENCODED_FIRST_TYPE.match(body)  # as Slack sends it: no decoding at all
    if match:
        return match.group(1)
    match = FIRST_TYPE.match(unquote_plus(body[len(PAYLOAD):len(PAYLOAD) + PREFIX]))
    if match:
        return match.group(1)
    payload = parse_qs(body).get("payload")
    try:
        kind = json.loads(payload[0]).get("type") if payload else None
    except (ValueError, AttributeError):
        return None
    return kind if isinstance(kind, str) else None


class Signature:
    """Slack's v0 signature of a request, checked as bolt checks it (slack_sdk's
    SignatureVerifier.is_valid), over the body's bytes as they came.

    The same decision for every request: no timestamp or signature, a timestamp that is not a
    number or more than SIGNATURE_AGE seconds away from now, or a signature other than
    "v0=" + HMAC-SHA256(secret, "v0:<timestamp>:<body>") is refused. The secret's HMAC state
    is computed once (each request hashes from a copy of it), and a signature with letters
    beyond ASCII is refused like any other wrong one.
    """

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._key = hmac.new(secret.encode(), digestmod=hashlib.sha256)
        self.clock = clock

    def valid(self, body: bytes, timestamp: str | None, signature: str | None) -> bool:
        """Whether Slack signed this body within SIGNATURE_AGE of now."""
        if timestamp is None or signature is None:
            return False
        try:
            sent = int(timestamp)
        except ValueError:  # not a number
            return False
        if abs(self.clock() - sent) > SIGNATURE_AGE:
            return False
        mac = self._key.copy()
        mac.update(b"v0:" + timestamp.encode() + b":" + body)
        return hmac.compare_digest(b"v0=" + mac.hexdigest().encode(),
                                   signature.encode("utf-8", "surrogateescape"))


@dataclass(frozen=True, slots=True)
class Click:
    """An acknowledged click as it arrived; bolt parses it in the worker, not before the ack
    (nor are its headers and query copied there: aiohttp's are read-only)."""

    body: str
    url: URL
    headers: Mapping[str, str]
    at: float

    def request(self) -> AsyncBoltRequest:
        """The bolt request for the worker app (as bolt's aiohttp adapter builds it)."""
        return AsyncBoltRequest(body=self.body, query=self.url.query_string,
                                headers=dict(self.headers))  # type: ignore[arg-type]


class Receiver:
    """Slack's HTTP endpoint: clicks acked after our signature check, the rest through bolt.

    `app` answers everything else as before. `worker_app` has the same listeners but runs them
    to completion before returning, so a worker is busy for exactly one click's work; it does not
    check signatures (this route did, and it is the only way in), so a click that waited in the
    queue longer than Slack's 5-minute timestamp window is still run. One person's clicks run
    one at a time, in the order they came; different people's run side by side.
    """

    def __init__(self, app: AsyncApp, worker_app: AsyncApp, signing_secret: str, *,
                 workers: int = WORKERS, size: int = QUEUE_SIZE, language: str = "pt_BR"
                 ) -> None:
        self.app = app
        self.language = language
        self.worker_app = worker_app
        self.signature = Signature(signing_secret)
        self.workers = workers
        self.room = asyncio.Semaphore(size)
        self.pending: deque[Click] = deque()
        self.claims = asyncio.Semaphore(0)  # one per pending click
        self.unfinished = 0
        self.idle = asyncio.Event()
        self.idle.set()
        self.closed = False
        self.last_click = 0.0
        self._lines: dict[str, deque[tuple[float, AsyncBoltRequest]]] = {}
        self._tasks: list[asyncio.Task[None]] = []

    async def handle(self, request: web.Request) -> web.Response:
        """Answer one POST from Slack."""
        # The raw header: aiohttp's content_type (and text()'s charset) parse it as a MIME
        # header, slowly.
        form, _, params = request.headers.get(hdrs.CONTENT_TYPE, "").partition(";")
        if form.strip().lower() == FORM:
            raw = await request.read()
            body = await request.text() if params.strip() else raw.decode("utf-8")
            if payload_type(body) in QUICK_ACK:
                return await self._quick(request, raw, body)
            if parse_qs(body).get("ssl_check") == ["1"]:
                return web.Response(status=200)  # Slack probing the certificate; no action
        bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def _quick(self, request: web.Request, raw: bytes, body: str) -> web.Response:
        headers = request.headers
        if not self.signature.valid(raw, headers.get("X-Slack-Request-Timestamp"),
                                    headers.get("X-Slack-Signature")):
            log.info("Slack request with a bad signature or timestamp refused")
            return web.json_response(INVALID, status=401)
        now = asyncio.get_running_loop().time()
        self.last_click = now
        click = Click(body, request.rel_url, headers, now)
        if self.closed and not self._tasks:  # workers gone: run it before answering
            await self._run(click.request())
            return web.Response(status=200)
        await self.room.acquire()  # immediate unless QUEUE_SIZE clicks are still waiting
        self._start_workers()
        self.pending.append(click)
        self.unfinished += 1
        self.idle.clear()
        self.claims.release()
        return web.Response(status=200)

    def _start_workers(self) -> None:
        if not self._tasks:
            self._tasks = [asyncio.create_task(self._work(), name=f"slack-click-{n}")
                           for n in range(self.workers)]

    async def _work(self) -> None:
        while True:
            await self.claims.acquire()
            # Bolt reads the click only after the burst: its parsing would delay the next acks.
            await self._quiet(self.pending[0].at)
            click = self.pending.popleft()  # no await from here to the line: order is kept
            try:
                request = click.request()
            except Exception:
                log.exception("Slack click could not be read")
                self._done()
                continue
            user = request.context.user_id or ""
            line = self._lines.get(user)
            if line is not None:  # the worker running this person's clicks takes it next
                line.append((click.at, request))
                continue
            self._lines[user] = line = deque([(click.at, request)])
            try:
                while line:
                    at, request = line[0]
                    await self._quiet(at)  # a click appended later may still be in a burst
                    await self._run(request)
                    line.popleft()
                    self._done()
            finally:
                del self._lines[user]

    def _done(self) -> None:
        self.unfinished -= 1
        if not self.unfinished:
            self.idle.set()
        self.room.release()

    async def _quiet(self, since: float) -> None:
        """Wait until clicks stop arriving (QUIET), at most MAX_DEFER after `since`."""
        loop = asyncio.get_running_loop()
        while not self.closed:
            wait = min(self.last_click + QUIET, since + MAX_DEFER) - loop.time()
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def _run(self, request: AsyncBoltRequest) -> None:
        try:
            response = await self.worker_app.async_dispatch(request)
        except Exception:
            log.exception("Slack click failed")
            return
        if response.status >= 400 and response.status != 404:  # bolt warns of unmatched ones
            log.warning("Slack click answered %s by bolt: %s", response.status, response.body)

    async def close(self) -> None:
        """Run every click already acked, then stop the workers; later clicks run inline."""
        self.closed = True
        if self._tasks:
            if self.unfinished:
                log.info("%s", t("run.slack_finishing_clicks", self.language,
                                 count=self.unfinished))
            await self.idle.wait()
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def warm_authorization(*apps: AsyncApp, lang: str = "pt_BR") -> None:
    """Call auth.test once and give the answer to each app, so no request waits for it.

    Bolt's single-team authorization calls auth.test on every request until one answer is
    cached; under a burst of cold requests that is one call per request. A failure is only
    logged: bolt then asks on the first request, as it would have anyway.
    """
    middlewares = [m for app in apps for m in _middlewares(app)
                   if isinstance(m, AsyncSingleTeamAuthorization)]
    if not middlewares:
        return
    try:
        answer = await asyncio.wait_for(apps[0].client.auth_test(), AUTH_TEST_TIMEOUT)
    except SlackApiError as exc:
        if refused(exc):  # no request would ever be answered: say it now, once
            raise SystemExit(t("run.slack_bot_token_refused", lang, reason=refused(exc))) \
                from None
        log.warning("%s", out_of_reach("run.slack_auth_test_failed", exc, lang,
                                       apps[0].client.base_url))
        return
    except Exception as exc:
        log.warning("%s", out_of_reach("run.slack_auth_test_failed", exc, lang,
                                       apps[0].client.base_url))
        return
    for middleware in middlewares:
        if middleware.auth_test_result is None:
            middleware.auth_test_result = answer


def _middlewares(app: AsyncApp) -> list[object]:
    """The app's built-in middleware. Bolt offers no public way to reach its single-team
    authorization (nor to give it an auth.test answer), so this reads a private list, pinned by
    test_slack_acks::test_the_bolt_internals_we_lean_on_are_still_there; gone, every request
    asks auth.test until one answer is cached, as bolt alone does."""
    found = getattr(app, "_async_middleware_list", None)
    if not isinstance(found, list):
        log.warning("slack-bolt has no _async_middleware_list: auth.test not warmed at start")
        return []
    return found


def refused(exc: SlackApiError) -> str | None:
    """The error code when Slack refused the token itself, else None."""
    error = exc.response.get("error") if exc.response is not None else None
    return error if error in TOKEN_REFUSED else None
