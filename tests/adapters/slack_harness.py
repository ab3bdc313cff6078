"""A Slack world for adapter tests: real bolt + slack-sdk, a fake Web API, signed HTTP requests."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from fakes.slack_api import TEAM, FakeSlackApi
from sqlalchemy import update

from bots.delivery.results import Permanent, Result, Sent, params_after
from bots.runtime import Desk
from bots.settings import Settings
from bots.slack.app import build_app, build_receiver, make_client, routes
from bots.slack.receiver import Receiver
from bots.slack.sender import SlackSender
from core.models import Role
from core.outbox import Channel, DeliveryStatus, OutboxMessage
from core.services import intake, users
from core.services.context import Ctx
from storage.outbox_sql import OutboxQueue
from storage.tables import outbox as outbox_table

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TRIAGE = "CTRIAGE"
DEV = "CDEV"
WAIT = 20.0
"""The longest a test waits for something to happen, as the Telegram harness does: a passing
test goes on as soon as it happens; this bound only matters when the machine is slow (5 s ran
out once under a load of 12)."""
# Tuesday 2026-11-24 10:00 in São Paulo (13:00 UTC): business hours.
T0 = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)

PEOPLE = [
    ("carla", "Carla Souza", ["Mercado Exemplo"], Role.CUSTOMER, "UCARLA"),
    ("rita", "Rita Rival", ["Loja Rival"], Role.CUSTOMER, "URITA"),
    ("ana", "Ana Atendente", [], Role.AGENT, "UANA"),
    ("bruno", "Bruno Suporte", [], Role.AGENT, "UBRUNO"),
    ("dora", "Dora Semslack", [], Role.AGENT, None),
]


def slack_escape(typed: str) -> str:
    """What Slack sends for a typed text: &, < and > as entities (links come as <url|text>)."""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def listening(task: asyncio.Task[Any]) -> bool:
    """Whether the task runs a bolt listener after its ack (bolt starts each in a task of its
    own; this is the name of that task's coroutine in slack_bolt's asyncio listener runner)."""
    coro = task.get_coro()
    return not task.done() and getattr(coro, "__name__", "") == "run_ack_function_asynchronously"


def as_read(text: str) -> str:
    """A text as a person reads it: the zero-width spaces on both sides of a customer's *, _, ~
    and ` (so that they format nothing) are not seen."""
    return text.replace("\u200b", "")


def sign(body: str, timestamp: str, secret: str = SECRET) -> str:
    """Sign a request body exactly as Slack does (v0, HMAC-SHA256)."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackWorld:
    """The bolt app on 127.0.0.1, its fake Slack, a desk over a real store, and the people."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.now = T0
        self.fake = FakeSlackApi()
        self.desk = Desk(store, clock=lambda: self.now, workers=4)
        self.ids: dict[str, int] = {}
        self.done: set[int] = set()
        self.results: list[tuple[OutboxMessage, Result]] = []
        self._runner: web.AppRunner | None = None
        self.receiver: Receiver | None = None
        self._session: aiohttp.ClientSession | None = None
        self._seq = itertools.count(1)
        self.url = ""
        self.owns_fake = True

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self, serve: bool = True, **settings: Any) -> None:
        """Start the fake Slack, seed people, and (unless told not to) serve the bolt app."""
        await self.fake.start()
        self._files = tempfile.TemporaryDirectory(prefix="slack-files-")
        self.settings = Settings(**{
            "_env_file": None, "files_dir": self._files.name,
            "slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET,
            "slack_api_url": self.fake.url, "slack_triage_channel": TRIAGE,
            "slack_dev_channel": DEV, **settings})
        self._session = aiohttp.ClientSession()
        await self.desk.acall(self._seed)
        if serve:
            await self._serve()

    async def another(self, store: Any) -> SlackWorld:
        """Another instance of the help desk (its own store over the same database, its own bolt
        app and HTTP server) in the same Slack workspace; stop it before this one."""
        other = SlackWorld(store)
        other.fake, other.ids, other.now, other.owns_fake = self.fake, self.ids, self.now, False
        other.settings, other._files = self.settings, self._files
        other._seq = itertools.count(500_000)  # its event ids and ts never repeat this one's
        other._session = aiohttp.ClientSession()
        await other._serve()
        return other

    async def _serve(self) -> None:
        self.client = make_client(self.settings)
        self.app = build_app(self.settings, self.desk, self.client)
        self.receiver = build_receiver(self.settings, self.desk, self.app)
        self.sender = SlackSender(self.client, self.desk, triage_channel=TRIAGE, dev_channel=DEV,
                                  files_dir=self.settings.files_dir)
        web_app = web.Application()
        web_app.add_routes(routes(self.receiver))
        self._runner = web.AppRunner(web_app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/slack/events"

    async def stop(self) -> None:
        """Let background listeners and acknowledged clicks finish, then close everything."""
        with contextlib.suppress(AssertionError):  # the test's own failure says more
            await self.idle(timeout=10.0)
        if self.receiver is not None:
            await self.receiver.close()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()
        self.desk.close()
        if self.owns_fake:
            await self.fake.stop()
            self._files.cleanup()

    def _seed(self, ctx: Ctx) -> None:
        users.add_company(ctx, "Mercado Exemplo")
        users.add_company(ctx, "Loja Rival")
        for key, name, companies, role, slack_id in PEOPLE:
            user = users.add_user(ctx, name=name, email=f"{key}@example.com",
                                  company_names=companies, role=role, trained=True,
                                  slack_id=slack_id)
            self.ids[key] = user.id or 0

    # --- core ----------------------------------------------------------------------------------
    async def core(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a use case through the desk, as the adapters do."""
        return await self.desk.acall(fn, *args, **kwargs)

    async def read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Read through an open unit of work: fn(uow, *args)."""
        return await self.desk.acall(lambda ctx: fn(ctx.uow, *args))

    async def open_ticket(self, who: str = "carla", **fields: Any) -> Any:
        """Open a complete ticket through core as a customer."""
        draft = intake.TicketDraft(
            tipo_id="varejo", item_id=fields.pop("item_id", "suporte"),
            servico_id=fields.pop("servico_id", "vendas"), versao="2026.11",
            assunto=fields.pop("assunto", "Erro ao confirmar pedido de venda"),
            descricao=fields.pop("descricao", "Vendas / Pedidos / Novo: erro no pedido 10125"),
            **fields,
        )
        return await self.core(intake.open_ticket, self.ids[who], draft)

    async def ticket(self, ticket_id: int) -> Any:
        """The stored ticket."""
        return await self.read(lambda uow, i: uow.tickets.get(i), ticket_id)

    async def outbox(self) -> list[OutboxMessage]:
        """Every outbox row so far."""
        return await self.read(lambda uow: uow.outbox.all())

    async def card_ts(self, ticket_id: int) -> str:
        """The ts of the ticket's card (it must be posted)."""
        card = await self.read(lambda uow, i: uow.slack_cards.get(i), ticket_id)
        assert card is not None, "the card was not posted"
        return str(card.ts)

    # --- delivery ------------------------------------------------------------------------------
    async def deliver(self) -> list[Result]:
        """Send pending Slack rows in order, as the dispatcher does (a failure holds its queue):
        each send is an attempt counted on the row before it goes, its outcome recorded on the
        row after, as the workers do (times and rate limits aside)."""
        held: set[str] = set()
        results: list[Result] = []
        queue = OutboxQueue(self.store.engine)
        for msg in await self.outbox():
            dest = f"{msg.channel}:{msg.target}"
            if msg.channel != Channel.SLACK or msg.id in self.done or dest in held \
                    or msg.status != DeliveryStatus.PENDING:
                continue
            msg = await self.desk.run_sync(self._attempt, msg.id or 0)
            result = await self.sender.send(msg)
            results.append(result)
            self.results.append((msg, result))
            if isinstance(result, Sent):
                self.done.add(msg.id or 0)
                await self.desk.run_sync(queue.mark_sent, msg.id or 0, self.now)
            elif isinstance(result, Permanent):
                self.done.add(msg.id or 0)
                await self.desk.run_sync(queue.mark_failed, msg.id or 0, "failed",
                                         unposted=result.unposted)
            else:
                held.add(dest)
                await self.desk.run_sync(queue.mark_retry, msg.id or 0, result.error, self.now,
                                         unposted=result.unposted,
                                         params=params_after(msg, result))
        return results

    def _attempt(self, message_id: int) -> OutboxMessage:
        """Count an attempt on the row, as a claim does; the row as it stands then."""
        with self.store.engine.begin() as conn:
            conn.execute(update(outbox_table).where(outbox_table.c.id == message_id)
                         .values(attempts=outbox_table.c.attempts + 1))
        found = OutboxQueue(self.store.engine).get(message_id)
        assert found is not None
        return found

    # --- requests from Slack --------------------------------------------------------------------
    async def post(self, body: str, content_type: str, *, timestamp: str | None = None,
                   signature: str | None = None, headers: dict[str, str] | None = None
                   ) -> tuple[int, str]:
        """POST a body to /slack/events, signed like Slack unless told otherwise."""
        ts = timestamp or str(int(time.time()))
        head = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature or sign(body, ts), **(headers or {})}
        assert self._session is not None
        async with self._session.post(self.url, data=body.encode(), headers=head) as resp:
            return resp.status, await resp.text()

    async def event(self, event: dict[str, Any], event_id: str | None = None, **kw: Any
                    ) -> tuple[int, str]:
        """Deliver an Events API callback."""
        body = json.dumps({
            "token": "legacy", "team_id": TEAM, "api_app_id": "AHELP", "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._seq):06d}", "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
        })
        return await self.post(body, "application/json", **kw)

    async def thread_reply(self, user: str, thread_ts: str, text: str,
                           channel: str = TRIAGE, signature: str | None = None,
                           **extra: Any) -> tuple[int, str]:
        """A message in a card's thread (extra keys go into the event)."""
        ts = f"1700000100.{next(self._seq):06d}"
        event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
                 "thread_ts": thread_ts, "channel_type": "channel", **extra}
        return await self.event(event, signature=signature)

    async def interactive(self, payload: dict[str, Any], **kw: Any) -> tuple[int, str]:
        """An interactivity request (buttons, selects, modals)."""
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    async def click(self, user: str, action_id: str, value: str, *, select: bool = False,
                    channel: str = TRIAGE, message_ts: str = "1.0", message_text: str = "card",
                    **kw: Any) -> tuple[int, str]:
        """Press a button (or pick a select option) on a message. Slack sends the message
        along as it holds it: its text (`message_text`) and, for one the fake holds, its blocks;
        a button of those blocks is sent with its own label, others labelled `value`."""
        action: dict[str, Any] = {"action_id": action_id, "block_id": "card.0",
                                  "action_ts": str(time.time())}
        message: dict[str, Any] = {"ts": message_ts, "text": message_text, "type": "message"}
        held = self.fake.find(channel, message_ts)
        if held is not None and held.get("blocks"):
            message["blocks"] = held["blocks"]
        pressed = next((el for blk in message.get("blocks", []) if blk["type"] == "actions"
                        for el in blk["elements"] if el.get("action_id") == action_id), None)
        if select:
            action |= {"type": "static_select",
                       "selected_option": {"value": value, "text": {"type": "plain_text",
                                                                    "text": value}}}
        else:
            action |= {"type": "button", "value": value,
                       "text": (pressed or {}).get("text") or {"type": "plain_text",
                                                               "text": value}}
        payload = {
            "type": "block_actions", "user": {"id": user, "team_id": TEAM},
            "team": {"id": TEAM}, "api_app_id": "AHELP", "trigger_id": f"tr{next(self._seq)}",
            "channel": {"id": channel}, "container": {"type": "message", "message_ts": message_ts},
            "message": message,
            "response_url": self.fake.response_url(f"a{next(self._seq)}"), "actions": [action],
        }
        return await self.interactive(payload, **kw)

    async def suggest(self, user: str, action_id: str, block_id: str, typed: str, **kw: Any
                      ) -> tuple[int, str]:
        """Type into a select of external options: Slack asks for the matching options."""
        payload = {
            "type": "block_suggestion", "user": {"id": user, "team_id": TEAM},
            "team": {"id": TEAM}, "api_app_id": "AHELP", "action_id": action_id,
            "block_id": block_id, "value": typed, "channel": {"id": TRIAGE},
            "container": {"type": "message", "message_ts": "1.0", "channel_id": TRIAGE},
        }
        return await self.interactive(payload, **kw)

    async def submit(self, user: str, callback_id: str, meta: str, value: str | None,
                     selects: dict[str, tuple[str, str]] | None = None,
                     texts: dict[str, str | None] | None = None) -> tuple[int, str]:
        """Submit a modal with one text input, per block id a select's (action, value), and
        per block id another text input's value (None: left empty)."""
        values: dict[str, Any] = {"input": {"value": {"type": "plain_text_input",
                                                      "value": value}}}
        for block_id, typed in (texts or {}).items():
            values[block_id] = {"value": {"type": "plain_text_input", "value": typed}}
        for block_id, (action_id, picked) in (selects or {}).items():
            values[block_id] = {action_id: {"type": "static_select", "selected_option": {
                "text": {"type": "plain_text", "text": picked}, "value": picked}}}
        payload = {
            "type": "view_submission", "user": {"id": user, "team_id": TEAM},
            "team": {"id": TEAM}, "api_app_id": "AHELP", "trigger_id": f"tr{next(self._seq)}",
            "view": {"id": "V1", "type": "modal", "callback_id": callback_id,
                     "private_metadata": meta, "state": {"values": values}},
        }
        return await self.interactive(payload)

    async def submit_view(self, user: str, view: dict[str, Any], value: str | None,
                          picked: dict[str, str] | None = None,
                          typed: dict[str, str | None] | None = None) -> tuple[int, str]:
        """Submit a modal Slack opened as an agent leaves it: each select at its initial
        option unless `picked` gives another value for its action id, each other text input
        at its initial value unless `typed` gives another for its block id."""
        selects = {}
        texts: dict[str, str | None] = {}
        for block in view["blocks"]:
            element = block.get("element") or {}
            if block.get("type") == "input" and element.get("type") == "plain_text_input" \
                    and block["block_id"] != "input":
                texts[block["block_id"]] = (typed or {}).get(block["block_id"],
                                                             element.get("initial_value"))
            if block.get("type") != "input" or "select" not in element.get("type", ""):
                continue
            action = element["action_id"]
            initial = (element.get("initial_option") or {}).get("value")
            chosen = (picked or {}).get(action, initial)
            if chosen is not None:
                selects[block["block_id"]] = (action, chosen)
        return await self.submit(user, view["callback_id"], view["private_metadata"], value,
                                 selects, texts)

    async def command(self, user: str, text: str, channel: str = TRIAGE) -> tuple[int, str]:
        """Run /ticket TEXT."""
        body = urlencode({
            "token": "legacy", "team_id": TEAM, "channel_id": channel, "user_id": user,
            "command": "/ticket", "text": text, "api_app_id": "AHELP",
            "response_url": self.fake.response_url(f"c{next(self._seq)}"),
            "trigger_id": f"tr{next(self._seq)}",
        })
        return await self.post(body, "application/x-www-form-urlencoded")

    # --- waiting -------------------------------------------------------------------------------
    async def until(self, check: Callable[[], Any], timeout: float = WAIT) -> Any:
        """Wait for slow work after ack() to show: poll check() until truthy."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = check()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("timed out waiting for the Slack listener")
            await asyncio.sleep(0.02)

    async def quiet(self, probe: Callable[[], Any], start: Any, timeout: float = WAIT) -> Any:
        """Wait until probe() differs from `start` (taken before acting) and the work of the
        requests so far has ended (idle); probe() then."""
        await self.until(lambda: probe() != start, timeout)
        await self.idle()
        return probe()

    async def dm(self, user: str, text: str = "", files: list[dict[str, Any]] | None = None
                 ) -> tuple[int, str]:
        """A message (or files) a person sends in their DM with the bot."""
        channel = "D" + user.removeprefix("U")
        event: dict[str, Any] = {"type": "message", "channel": channel, "user": user,
                                 "text": text, "ts": f"1700000300.{next(self._seq):06d}",
                                 "channel_type": "im"}
        if files:
            event |= {"subtype": "file_share", "files": files}
        return await self.event(event)

    async def idle(self, timeout: float = WAIT) -> None:
        """Wait until the work of every request answered so far has ended: the clicks acked
        and queued, and the listeners bolt starts after answering an event or a command. The
        barrier before asserting that something did not happen (a sleep only hopes the work
        was quick)."""
        def busy() -> bool:
            return bool(self.receiver is not None and self.receiver.unfinished) \
                or any(listening(task) for task in asyncio.all_tasks())

        await self.until(lambda: not busy(), timeout)


Scenario = Callable[[SlackWorld], Awaitable[None]]


@pytest.fixture
def run(sql_store: Any) -> Callable[[Scenario], None]:
    """Run an async scenario in a fresh Slack world over SQLite or PostgreSQL."""

    def runner(scenario: Scenario) -> None:
        async def main() -> None:
            world = SlackWorld(sql_store)
            await world.start()
            try:
                await scenario(world)
            finally:
                await world.stop()

        asyncio.run(main())

    return runner


def card_fields(message: dict[str, Any] | None) -> str:
    """Every text of a posted message's blocks, flattened for assertions."""
    return json.dumps((message or {}).get("blocks"), ensure_ascii=False)
