"""A fake Slack Web API on 127.0.0.1: records every call, answers like Slack, injects faults."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_USER = "UBOT"
MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
"""The most blocks Slack takes in a message, and in a modal or Home view."""
BLOCKS_TEXT = 12_000
"""About the most text a message's blocks may hold in all: past it chat.postMessage answers
msg_blocks_too_long (undocumented; Slack's bolt-js #2509 and #2867 saw it at 11 300-13 300)."""
MESSAGE_TEXT = 40_000
"""A message's `text` past this is refused (msg_too_long)."""
BOT_ID = "BBOT"
TEAM = "T0001"


Accepts = Callable[[dict[str, Any]], Any]
"""Whether a call's arguments are those a fault or a hold is for."""


@dataclass
class Call:
    """One request the app made: the API method and its arguments."""

    method: str
    args: dict[str, Any]
    token: str | None = None


@dataclass
class Fault:
    """An answer to give instead of the normal one, `times` times."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    content_type: str = "application/json"
    when: Accepts | None = None
    """Only the calls whose arguments it accepts fail (None: any call)."""


class FakeSlackApi:
    """Serve `/api/<method>` and `/respond/<id>` like slack.com does, recording each call."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.faults: dict[str, list[Fault]] = {}
        self.holds: dict[str, list[tuple[asyncio.Event, Accepts | None]]] = {}
        self.cuts: list[tuple[str, str | None]] = []
        self.channels: dict[str, list[dict[str, Any]]] = {}
        self.archived: set[str] = set()
        self.known_channels: set[str] | None = None
        self.history_max = 15
        """Messages a page of conversations.history/replies holds at most: Slack's limit for
        apps outside the Marketplace (the limit asked for is cut to it)."""
        self._last_ts = 0
        self._views = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.sockets: list[web.WebSocketResponse] = []
        self.files: dict[str, bytes] = {}
        self.socket_acks: list[dict[str, Any]] = []
        self.uploads: dict[str, dict[str, Any]] = {}
        """Files the app uploaded (files_upload_v2), by id: name, length, content once sent."""
        self.shared: list[dict[str, Any]] = []
        """The uploaded files shared in a channel (files.completeUploadExternal), in order."""

    # --- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on 127.0.0.1, on a free port."""
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/ws", self._socket)
        app.router.add_get("/files/{name}", self._file)
        app.router.add_post("/upload/{id}", self._upload)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Close the sockets and the server."""
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """The base URL to give AsyncWebClient (ends with a slash)."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str = "r1") -> str:
        """A response_url for interactive payloads and slash commands."""
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    # --- faults and queries ---------------------------------------------------------------
    def fail(self, method: str, status: int = 200, body: Any = None, times: int = 1,
             headers: dict[str, str] | None = None, content_type: str = "application/json",
             when: Callable[[dict[str, Any]], Any] | None = None) -> None:
        """Answer the next `times` calls of `method` (those `when` accepts) with this
        status/body instead ("upload": the POST of a file's bytes to its upload URL)."""
        self.faults.setdefault(method, []).append(
            Fault(status, body, headers or {}, times, content_type, when))

    def hold(self, method: str, when: Accepts | None = None) -> asyncio.Event:
        """Keep the next call of `method` (of those `when` accepts; "response_url": a post to
        any response_url, "file:NAME": the download of a hosted file) unanswered until the
        returned event is set: a slow Slack (the call is recorded when it arrives)."""
        gate = asyncio.Event()
        self.holds.setdefault(method, []).append((gate, when))
        return gate

    async def _held(self, method: str, args: dict[str, Any]) -> None:
        """Wait for the gate of the first hold of `method` that takes this call, if any."""
        held = self.holds.get(method) or []
        gate = next((g for g, when in held if when is None or when(args)), None)
        if gate is not None:
            held[:] = [h for h in held if h[0] is not gate]
            await gate.wait()

    def cut(self, method: str, times: int = 1, channel: str | None = None) -> None:
        """Do the next `times` calls of `method` (to `channel`, if given), then drop the
        connection before answering: Slack did the work, its answer never arrived (a cut line,
        a read timeout)."""
        self.cuts += [(method, channel)] * times

    def add_file(self, name: str, content: bytes, mimetype: str = "image/png"
                 ) -> dict[str, Any]:
        """Host a file and return the `files` entry of a message event that shares it."""
        self.files[name] = content
        url = f"http://127.0.0.1:{self.port}/files/{name}"
        return {"id": f"F{len(self.files)}", "name": name, "mimetype": mimetype,
                "size": len(content), "url_private": url, "url_private_download": url}

    def of(self, method: str) -> list[dict[str, Any]]:
        """The arguments of every call to one method, in order."""
        return [c.args for c in self.calls if c.method == method]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The messages currently in a channel (after updates)."""
        return self.channels.get(channel, [])

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """The replies posted in a thread."""
        return [m for m in self.messages(channel) if m.get("thread_ts") == ts]

    def find(self, channel: str, ts: str) -> dict[str, Any] | None:
        """One message by ts."""
        return next((m for m in self.messages(channel) if m["ts"] == ts), None)

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope to every connected app."""
        for ws in self.sockets:
            await ws.send_json(envelope)

    # --- handlers --------------------------------------------------------------------------
    async def _file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.calls.append(Call("file:" + name, {}, token or None))
        await self._held("file:" + name, {})
        if not token or name not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[name], content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        """The bytes of a file files.getUploadURLExternal gave a URL for."""
        file_id = request.match_info["id"]
        body = await request.read()
        self.calls.append(Call("upload:" + file_id, {"size": len(body)}))
        queue = self.faults.get("upload")  # fail("upload", status=...): the bytes refused
        if queue:
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return web.Response(status=fault.status, text=str(fault.body or "error"))
        if file_id not in self.uploads:
            return web.Response(status=404)
        self.uploads[file_id]["content"] = body
        return web.Response(text=f"OK - {len(body)}", content_type="text/plain")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "AHELP"}})
        async for msg in ws:
            if msg.type.name == "TEXT":
                self.socket_acks.append(json.loads(msg.data))
        return ws

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if request.content_type == "application/json" and raw:
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw))
        for key in ("blocks", "view", "attachments"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _respond(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text() or "{}")
        self.calls.append(Call("response_url:" + request.match_info["key"], body))
        await self._held("response_url", body)
        error = self._block_error(body, total=None)
        if error:  # recorded as refused: a test reading it sees why
            self.calls[-1] = Call("refused:" + request.match_info["key"], body)
            return web.Response(status=400, text=error["error"], content_type="text/plain")
        return web.Response(text="ok", content_type="text/plain")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or None
        self.calls.append(Call(method, args, token))
        await self._held(method, args)
        queue = self.faults.get(method)
        if queue and (queue[0].when is None or queue[0].when(args)):
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            body = fault.body if fault.body is not None else {"ok": False, "error": "fatal_error"}
            text = body if isinstance(body, str) else json.dumps(body)
            return web.Response(status=fault.status, text=text, headers=fault.headers,
                                content_type=fault.content_type)
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        data = self._refused(method, args) or (handler(args) if handler else {})
        cut = next((c for c in self.cuts if c[0] == method and c[1] in (None, args.get("channel"))),
                   None)
        if cut is not None:
            self.cuts.remove(cut)
            assert request.transport is not None
            request.transport.abort()
            return web.Response(status=500)  # never written: the connection is gone
        return web.json_response({"ok": True, **data} if "error" not in data else data)

    @staticmethod
    def _block_error(args: dict[str, Any], most: int = MESSAGE_BLOCKS,
                     total: int | None = BLOCKS_TEXT) -> dict[str, Any] | None:
        """What real Slack refuses in a message's (or view's) blocks and text."""
        if len(str(args.get("text") or "")) > MESSAGE_TEXT:
            return {"ok": False, "error": "msg_too_long"}
        blocks = args.get("blocks") or []
        if not isinstance(blocks, list):
            return None
        if len(blocks) > most or any(_too_long(block) for block in blocks):
            return {"ok": False, "error": "invalid_blocks"}
        if total is not None and sum(_text_length(block) for block in blocks) > total:
            return {"ok": False, "error": "msg_blocks_too_long"}
        return None

    def _channel_error(self, channel: str) -> dict[str, Any] | None:
        if channel in self.archived:
            return {"ok": False, "error": "is_archived"}
        if self.known_channels is not None and channel not in self.known_channels:
            return {"ok": False, "error": "channel_not_found"}
        return None

    def _refused(self, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            return self._block_error(args)
        if method.startswith("views."):
            view = args.get("view") or {}
            error = self._block_error(view if isinstance(view, dict) else {}, VIEW_BLOCKS,
                                      None)
            return {"ok": False, "error": "invalid_arguments"} if error else None
        return None

    def _next_ts(self) -> str:
        """The time of posting in microseconds, as Slack's ts, unique and increasing."""
        self._last_ts = max(self._last_ts + 1, time.time_ns() // 1000)
        return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://fake.slack.com/", "team": "Fake", "user": "helpdesk",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/ws"}

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args["channel"]
        error = self._channel_error(channel)
        if error:
            return error
        ts = self._next_ts()
        message = {**args, "ts": ts, "user": BOT_USER, "bot_id": BOT_ID}
        self.channels.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": ts, "message": message}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args["channel"]
        message = self.find(channel, args["ts"])
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        message.update({k: v for k, v in args.items() if k not in ("channel", "ts")})
        return {"channel": channel, "ts": args["ts"]}

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """A channel's messages newest first; a thread's replies only when broadcast."""
        channel = str(args.get("channel", ""))
        error = self._channel_error(channel)
        if error:
            return error
        shown = [m for m in self.messages(channel)
                 if m.get("thread_ts") in (None, m["ts"]) or _yes(m.get("reply_broadcast"))]
        return self._page(list(reversed(shown)), args, self.history_max)

    def _m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread oldest first: its parent, then its replies."""
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        error = self._channel_error(channel)
        if error:
            return error
        parent = self.find(channel, ts)
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        return self._page([parent, *self.thread(channel, ts)], args, self.history_max)

    @staticmethod
    def _page(messages: list[dict[str, Any]], args: dict[str, Any], most: int
              ) -> dict[str, Any]:
        """One page of messages within oldest..latest (bounds excluded unless inclusive), as
        Slack gives them: metadata only with include_all_metadata, at most `most` whatever the
        limit asked, then a cursor if more."""
        inclusive = _yes(args.get("inclusive"))
        oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or 1e12)

        def within(ts: float) -> bool:
            return oldest <= ts <= latest if inclusive else oldest < ts < latest

        hidden = {"channel"} | (set() if _yes(args.get("include_all_metadata")) else
                                {"metadata"})
        found = [{"type": "message", **{k: v for k, v in m.items() if k not in hidden}}
                 for m in messages if within(float(m["ts"]))]
        start = int(args.get("cursor") or 0)
        limit = min(int(args.get("limit") or 100), most)
        page, more = found[start:start + limit], start + limit < len(found)
        return {"messages": page, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(args.get("channel", "")), str(args.get("message_ts", ""))
        if self.find(channel, ts) is None:
            return {"ok": False, "error": "message_not_found"}
        return {"channel": channel,
                "permalink": f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users", ""))
        return {"channel": {"id": "D" + users.lstrip("U")}}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"FUP{len(self.uploads) + 1}"
        self.uploads[file_id] = {"name": args.get("filename"), "length": int(args["length"])}
        return {"file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        """Share the uploaded files in a message of their own in the channel, as Slack does."""
        channel = str(args.get("channel_id") or "")
        files = []
        for entry in json.loads(args["files"]):
            upload = self.uploads.get(entry["id"])
            if upload is None or "content" not in upload:
                return {"ok": False, "error": "file_not_found"}
            if len(upload["content"]) != upload["length"]:  # not the length announced
                return {"ok": False, "error": "file_upload_size_mismatch"}
            files.append({"id": entry["id"], "name": upload["name"],
                          "title": entry.get("title") or upload["name"],
                          "size": len(upload["content"]), "user": BOT_USER,
                          "content": upload["content"]})
        if channel:
            ts = self._next_ts()
            thread = {"thread_ts": args["thread_ts"]} if args.get("thread_ts") else {}
            for file in files:
                self.shared.append({**file, "channel": channel, "ts": ts, **thread})
            self.channels.setdefault(channel, []).append(
                {"ts": ts, "user": BOT_USER, "bot_id": BOT_ID, "upload": True,
                 "text": args.get("initial_comment") or "", **thread,
                 "files": [{k: v for k, v in f.items() if k != "content"} for f in files]})
        return {"files": [{k: v for k, v in f.items() if k != "content"} for f in files]}

    def _m_files_list(self, args: dict[str, Any]) -> dict[str, Any]:
        """The files shared in a channel, newest first, created within ts_from..ts_to."""
        channel = str(args.get("channel") or "")
        since, until = float(args.get("ts_from") or 0), float(args.get("ts_to") or 1e12)
        files = [{"id": f["id"], "name": f["name"], "title": f["title"], "size": f["size"],
                  "user": f["user"], "created": int(float(f["ts"])), "ims": [f["channel"]]}
                 for f in reversed(self.shared) if f["channel"] == channel
                 and since <= int(float(f["ts"])) <= until]
        count = int(args.get("count") or 100)
        return {"files": files[:count],
                "paging": {"count": count, "total": len(files), "page": 1, "pages": 1}}

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": f"V{next(self._views)}", **args.get("view", {})}}

    _m_views_publish = _m_views_open
    _m_views_update = _m_views_open
    _m_views_push = _m_views_open


def _yes(value: Any) -> bool:
    """A boolean argument as Slack reads it (slack-sdk sends GET booleans as 1 and 0)."""
    return str(value).lower() in ("1", "true")


TEXT_MOST = {"section": 3000, "header": 150, "context": 3000}
"""The longest text Slack takes in these blocks' text objects (a section's fields: 2 000)."""


def _texts(block: dict[str, Any]) -> list[tuple[str, int]]:
    """Each text object of a block with the most it may hold."""
    kind = block.get("type", "")
    most = TEXT_MOST.get(kind, 3000)
    texts = [(str(block["text"].get("text", "")), most)] \
        if isinstance(block.get("text"), dict) else []
    texts += [(str(f.get("text", "")), 2000) for f in block.get("fields") or []]
    if kind == "context":
        texts += [(str(e.get("text", "")), most) for e in block.get("elements") or []
                  if isinstance(e, dict) and "text" in e]
    return texts


BUTTON_VALUE_MOST = 2000
"""The longest value Slack takes in a button."""


def _too_long(block: dict[str, Any]) -> bool:
    """A block Slack refuses: a text over its limit, over 10 fields (or a context's
    elements), over 25 elements in a row, a button's value over 2 000."""
    if not isinstance(block, dict):
        return True
    elements = 10 if block.get("type") == "context" else 25
    if len(block.get("fields") or []) > 10 or len(block.get("elements") or []) > elements:
        return True
    if any(isinstance(e, dict) and len(str(e.get("value") or "")) > BUTTON_VALUE_MOST
           for e in block.get("elements") or []):
        return True
    controls = [*(block.get("elements") or []), block.get("element"), block.get("accessory")]
    if any(_bad_select(e) for e in controls if isinstance(e, dict)):
        return True
    return any(len(text) > most for text, most in _texts(block))


SELECT_OPTIONS = 100
"""The most options a static select takes, or option groups, or options in a group."""
OPTION_TEXT_MOST = 75


def _bad_select(element: dict[str, Any]) -> bool:
    """A select Slack refuses: both or neither of options and option_groups on a static one,
    over 100 of either (or in a group), an option's text over 75 characters."""
    if element.get("type") != "static_select":
        return False
    options, groups = element.get("options"), element.get("option_groups")
    if (options is None) == (groups is None):
        return True
    given: list[Any] = options if options is not None else groups or []
    lists = [options] if options is not None else [g.get("options") or [] for g in given]
    if len(given) > SELECT_OPTIONS or not all(lists) \
            or any(len(found) > SELECT_OPTIONS for found in lists):
        return True
    return any(len(str(o["text"]["text"])) > OPTION_TEXT_MOST for found in lists
               for o in found)


def _text_length(block: dict[str, Any]) -> int:
    return sum(len(text) for text, _ in _texts(block))
