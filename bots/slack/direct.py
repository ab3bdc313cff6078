"""Direct messages: the conversation engine in a Slack DM (intake, approvals, ratings)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import random
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bots.runtime import Desk, is_transient
from bots.slack import once
from bots.slack.files import SlackFiles
from bots.slack.limits import messages
from bots.slack.people import first_time, language
from bots.slack.sections import CHOICE, answered, reply_blocks, text_blocks
from bots.slack.text import ZW, cut, verbatim
from bots.slack.typed import typed_text
from core.conversation.engine import error_text, handle, language_of
from core.conversation.identity import identify, slack_key
from core.conversation.replies import FilePayload, Reply, UserInput, parse
from core.conversation.ticket_prompts import prompt_for_ticket_event
from core.errors import Conflict, HelpdeskError
from core.i18n import t
from core.services.context import Ctx

log = logging.getLogger(__name__)

ATTEMPTS = 6
CONFLICT_PAUSE = 0.01
"""Between two tries of a step another instance saved first: a random pause up to this many
seconds times the try, so that the other's burst of steps for the same person passes instead of
winning every try run back to back."""
POST_ATTEMPTS = 6
POST_BACKOFF = 0.5
POST_WAIT_MAX = 5.0
"""The longest wait between two tries of an answer (a longer Retry-After is cut to it)."""
RETRIED_STATUSES = frozenset({0, 408, 429})
"""An upload URL's answers (besides 5xx) that say nothing of the file: a failure of the moment."""
ANSWER = "helpdesk_answer"
"""The metadata event_type of a DM step's answer: found by its token when a try was lost."""


class UploadFailed(SlackRequestError):
    """Slack's upload URL did not take a file's bytes: its HTTP status says whether it refused
    them (a 4xx) or failed for the moment."""

    def __init__(self, filename: str, status: int) -> None:
        super().__init__(f"the upload of {filename} failed ({status})")
        self.status = status

    @property
    def refused(self) -> bool:
        """Whether Slack refused this file (another try would be refused too)."""
        return self.status < 500 and self.status not in RETRIED_STATUSES


def converse(ctx: Ctx, event_key: str | None, channel: str, slack_id: str,
             user_input: UserInput) -> list[Reply]:
    """One conversation step in a DM, at most once per Slack event."""
    if event_key is not None and not first_time(ctx, event_key):
        return []
    return handle(ctx, slack_key(channel, slack_id), user_input)


def in_conversation(ctx: Ctx, channel: str, slack_id: str) -> bool:
    """Whether this person has a conversation with the bot in this channel: the only place
    their choice buttons come from (another's DM, a forged click or one from a conversation
    long over has none)."""
    return ctx.uow.conversations.get(slack_key(channel, slack_id)) is not None


def known(ctx: Ctx, slack_id: str) -> bool:
    """Whether this Slack account belongs to an active registered user."""
    return identify(ctx, slack_key("", slack_id)) is not None


def language_here(ctx: Ctx, channel: str, slack_id: str) -> str:
    """The language this person reads in the DM (the contract's when not registered)."""
    return language_of(ctx, identify(ctx, slack_key(channel, slack_id)))


def ticket_prompt(ctx: Ctx, channel: str, slack_id: str, ticket_id: int, kind: str
                  ) -> list[Reply]:
    """The approval/billing prompt a notification opens in the customer's DM, if any."""
    return prompt_for_ticket_event(ctx, slack_key(channel, slack_id), ticket_id, kind)


async def post_replies(client: AsyncWebClient, channel: str, replies: list[Reply]) -> None:
    """Post an answer's replies as one message (one notification), a long one (the whole
    thread) as several that Slack takes; choices become buttons, below the last. A new
    message only after a question's buttons, and after a file, which keeps its place."""
    for message in slack_messages(replies):
        if isinstance(message, dict):
            await _post(client, channel=channel, **message)
        else:
            await upload(client, channel, message)


def slack_messages(replies: list[Reply]) -> list[dict[str, Any] | FilePayload]:
    """An answer as it is posted: each message's text and blocks, or a file, in order."""
    out: list[dict[str, Any] | FilePayload] = []
    for answer in _answers(replies):
        said = "\n\n".join(reply.text for reply in answer)
        blocks = [block for reply in answer for block in reply_blocks(reply)]
        for n, part in enumerate(messages(blocks)):
            first = next((blk["text"]["text"] for blk in part if blk["type"] == "section"), "")
            text = verbatim(said[:3900]) if n == 0 else cut(first)  # what a notice shows
            out.append({"text": text or "…", "blocks": part})
        file = answer[-1].file
        if file is not None:
            out.append(file)
    return out


async def upload(client: AsyncWebClient, channel: str, file: FilePayload,
                 given: list[str] | None = None, since: float | None = None,
                 thread_ts: str | None = None) -> None:
    """A reply's file, shared in the DM once: tried again as a text answer is (_tries); an
    upload carries no metadata, so a try after one whose share's answer was lost first looks
    for that upload among the DM's files by the id Slack gave it (once.file_in). By name and
    size, the same export twice within a minute was taken for one: the second never shared.
    The steps of files_upload_v2 through public methods, taken here to know the id before
    the share. `given` (filled here) and `since`: the uploads an earlier attempt asked to
    share and its time, looked for first (an outbox row's next attempt); `thread_ts`: shared
    in that thread (a card's, in the triage channel)."""
    given = [] if given is None else given  # the uploads a share was asked for

    async def send() -> None:
        url = await client.files_getUploadURLExternal(filename=file.filename,
                                                      length=len(file.content))
        file_id, upload_url = str(url["file_id"]), str(url["upload_url"])
        status = await _post_bytes(client, upload_url, file.content)
        if status != 200:  # its bytes refused: nothing shared
            raise UploadFailed(file.filename, status)
        given.append(file_id)
        await client.files_completeUploadExternal(
            files=[{"id": file_id, "title": file.filename}], channel_id=channel,
            thread_ts=thread_ts)

    async def shared(since: float) -> bool:
        return bool(given) and await once.file_in(client, channel, given, since)

    await _tries(send, shared, since, unsure=bool(given))


async def _post_bytes(client: AsyncWebClient, url: str, data: bytes) -> int:
    """POST a file's bytes to the URL files.getUploadURLExternal gave, as the client would
    (its session, proxy, TLS context and timeout); the answer's status."""
    timeout = aiohttp.ClientTimeout(total=client.timeout)
    extra: dict[str, Any] = {"proxy": client.proxy}
    if client.ssl is not None:
        extra["ssl"] = client.ssl
    session = client.session
    async with contextlib.AsyncExitStack() as stack:
        if session is None or session.closed:
            session = await stack.enter_async_context(aiohttp.ClientSession())
        async with session.post(url, data=data, timeout=timeout, **extra) as answer:
            await answer.read()
            return answer.status


def _answers(replies: list[Reply]) -> list[list[Reply]]:
    """The replies in runs that make one message each: a run ends at buttons or a file."""
    runs: list[list[Reply]] = [[]]
    for reply in replies:
        runs[-1].append(reply)
        if reply.choices or reply.file is not None:
            runs.append([])
    return [run for run in runs if run]


async def _post(client: AsyncWebClient, **message: Any) -> None:
    """chat.postMessage, again after a moment when Slack is briefly unavailable or limiting:
    the step is already saved, so this answer is the only one the person gets. A try whose
    answer was lost (a cut line, a 5xx) may have posted: the next one first looks for it by
    its metadata (a lookup Slack refuses or limits posts again: a copy rather than none)."""
    tag = {"event_type": ANSWER, "event_payload": {"answer": uuid.uuid4().hex}}

    async def send() -> None:
        await client.chat_postMessage(metadata=tag, **message)

    async def posted(since: float) -> bool:
        return await once.in_dm(client, str(message["channel"]), tag, since) is not None

    await _tries(send, posted)


async def _tries(send: Callable[[], Awaitable[None]],
                 posted: Callable[[float], Awaitable[bool]], since: float | None = None,
                 unsure: bool = False) -> None:
    """send() (a post or an upload in a DM), again after a moment while Slack is briefly
    unavailable or limiting; after a try that may have gone (no answer, a 5xx), the next first
    asks posted(the first try's time) and stops when it did (`unsure`: from the first try,
    one an earlier attempt made at `since`)."""
    since = time.time() if since is None else since
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            if unsure and await posted(since):
                return
            await send()
            return
        except SlackApiError as exc:
            response = exc.response  # a SlackResponse, or aiohttp's for a body not JSON
            status = int(getattr(response, "status_code", None) or
                         getattr(response, "status", None) or 0)
            if attempt == POST_ATTEMPTS or (status != 429 and status < 500):
                raise
            unsure = unsure or status >= 500
            wait = POST_BACKOFF * attempt
            if status == 429:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    wait = float((getattr(response, "headers", None) or {})["Retry-After"])
        except (aiohttp.ClientError, TimeoutError):
            if attempt == POST_ATTEMPTS:
                raise
            unsure = True
            wait = POST_BACKOFF * attempt
        except SlackRequestError as exc:  # an upload's bytes not taken (before any share)
            if attempt == POST_ATTEMPTS or (isinstance(exc, UploadFailed) and exc.refused):
                raise
            wait = POST_BACKOFF * attempt
        log.info("Slack refused an answer for now (attempt %d); again in %.1f s", attempt, wait)
        await asyncio.sleep(min(wait, POST_WAIT_MAX))


class Conversations:
    """Run the engine for Slack DMs, retrying a step another instance raced."""

    def __init__(self, desk: Desk, files: SlackFiles | None = None) -> None:
        self.desk = desk
        self.files = files

    async def step(self, client: AsyncWebClient, channel: str, slack_id: str,
                   user_input: UserInput, event_key: str | None = None) -> list[Reply]:
        """Answer one input in the DM and post the replies there."""
        replies: list[Reply] = []
        for attempt in range(1, ATTEMPTS + 1):
            try:
                replies = await self.desk.acall(converse, event_key, channel, slack_id,
                                                user_input)
                break
            except Conflict:
                if attempt == ATTEMPTS:
                    log.error("DM step of %s in %s gave up after %d conflicts", slack_id,
                              channel, ATTEMPTS, exc_info=True)
                    return await self._try_again(client, channel, slack_id)
                await asyncio.sleep(random.uniform(0, CONFLICT_PAUSE * attempt))
            except Exception as exc:  # the desk already retried a lock or serialization error
                if not is_transient(exc):  # a bug: said, so nobody waits for an answer
                    with contextlib.suppress(Exception):
                        await self._try_again(client, channel, slack_id, "error.generic")
                    raise
                log.error("DM step of %s in %s gave up on the database", slack_id, channel,
                          exc_info=True)
                return await self._try_again(client, channel, slack_id)
        await post_replies(client, channel, replies)
        return replies

    async def _try_again(self, client: AsyncWebClient, channel: str, slack_id: str,
                         key: str = "slack.dm.try_again") -> list[Reply]:
        """Nothing of the step was saved: ask the person to send it again, in their language
        (the contract's when even that read fails)."""
        try:
            lang = await self.desk.acall(language_here, channel, slack_id)
        except Exception as exc:
            if not is_transient(exc):
                raise
            lang = self.desk.policy.language
        replies = [Reply(text=t(key, lang))]
        await post_replies(client, channel, replies)
        return replies

    async def on_message(self, event: dict[str, Any], key: str, client: AsyncWebClient) -> None:
        """A message typed (or files shared) in the bot's DM."""
        channel, user = event["channel"], event["user"]
        if event.get("files") and self.files is not None \
                and await self.desk.acall(known, user):  # a stranger's files: never fetched
            try:
                stored = await self.files.fetch(event["files"])
            except HelpdeskError as err:
                await client.chat_postMessage(
                    channel=channel, text=verbatim(error_text(err, await language(self.desk,
                                                                                  user))))
                return
            if stored:
                await self.step(client, channel, user,
                                UserInput.of_files(stored, typed_text(event.get("text"))), key)
                return
        await self.step(client, channel, user, parse(typed_text(event.get("text"))), key)


def register(app: AsyncApp, conversations: Conversations) -> None:
    """Wire the choice buttons of conversation replies."""

    @app.action(re.compile(r"^" + re.escape(CHOICE) + r"\.\d+$"))
    async def on_choice(ack: Callable[..., Awaitable[Any]], body: dict[str, Any],
                        action: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        channel = (body.get("channel") or {}).get("id")
        if not channel:
            return
        user = body["user"]["id"]
        if not await conversations.desk.acall(in_conversation, channel, user):
            try:
                await client.chat_postEphemeral(
                    channel=channel, user=user,
                    text=t("slack.choice.expired", await language(conversations.desk, user)))
            except SlackApiError as exc:  # not a member there: nobody to tell
                log.info("could not refuse a choice there: %s", exc)
            return
        message = body.get("message") or {}
        chosen = action.get("text", {}).get("text", "")
        if message.get("ts"):  # its blocks as Slack holds them: escaped already, kept as shown
            text = message.get("text") or ""
            shown = message.get("blocks") or \
                text_blocks(verbatim(html.unescape(text).replace(ZW, "")))
            await client.chat_update(channel=channel, ts=message["ts"], text=text,
                                     blocks=answered(shown, chosen))
        trigger = body.get("trigger_id")  # the same click delivered again is answered once
        await conversations.step(client, channel, user,
                                 UserInput.of_choice(action.get("value", "")),
                                 f"click:{trigger}" if trigger else None)
