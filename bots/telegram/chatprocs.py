"""Whole chats in processes of their own (TELEGRAM_CHAT_PROCESSES), so a busy bot uses every core.

This process still fetches the updates (polling, with its journal) or receives them (webhook),
but only routes them: each goes, undecoded, to the process that owns its chat (the chat id
modulo N), so one chat's updates stay in one process and in order. Each process converses as
the bot's own process would: its own database connections, Bot API session, inbox and answers.
A process that dies is replaced; the updates it had in hand go to the new one, as repeats whose
committed answer is sent then if it was not (steps.Inbound.lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import socket
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from bots.bootstrap import db_workers, mail_configured, reach_of
from bots.runtime import Desk
from bots.settings import Settings, secret
from bots.startwait import where
from bots.telegram.conversation import Conversations
from bots.telegram.files import FileStore
from bots.telegram.inbox import Inbox, read_incoming
from bots.telegram.transport import AiohttpRequest, api_bot
from bots.warmup import compile_statements, freeze_heap, load_calendar, parse_catalog
from core.i18n import t
from core.policy import Policy
from storage.engine import checkpoint_in_background, on_disk
from storage.sql import SqlStore

log = logging.getLogger(__name__)
START_SECONDS = 120.0
"""How long a chat process may take to start (it imports the application, opens the database)."""
MAX_PENDING = 512
"""Updates in hand at once over all chat processes: the receiver waits beyond (see room())."""


class StartFailed(RuntimeError):
    """The chat processes did not start; the message is the line to show (in LANGUAGE)."""


def chat_of_raw(raw: dict[str, Any]) -> int:
    """The chat of an undecoded update, as inbox.chat_of finds it on the decoded one."""
    for key in ("message", "edited_message"):
        message = raw.get(key)
        if isinstance(message, dict):
            chat = message.get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
    query = raw.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
        sender = query.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return 0


class Link:
    """Messages both ways over one end of a socket pair, pickled with their length.

    Writes never block the event loop (asyncio buffers them): two processes each blocked on a
    full pipe to the other would wait for ever."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def over(cls, conn: Connection) -> Link:
        """A link on a multiprocessing Pipe end (a socket on this system), which it takes."""
        sock = socket.socket(fileno=os.dup(conn.fileno()))
        conn.close()
        reader, writer = await asyncio.open_unix_connection(sock=sock)
        return cls(reader, writer)

    def send(self, message: tuple[Any, ...]) -> None:
        """Queue a message (lost if the other side is gone: its reader sees the end)."""
        if self._writer.is_closing():
            return
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self._writer.write(len(payload).to_bytes(4, "big") + payload)

    async def recv(self) -> tuple[Any, ...] | None:
        """The next message; None once the other side is gone."""
        try:
            size = int.from_bytes(await self._reader.readexactly(4), "big")
            message: tuple[Any, ...] = pickle.loads(await self._reader.readexactly(size))  # noqa: S301  (our own process's)
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
        return message

    async def flush(self) -> None:
        """Wait until what was sent left this process."""
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    def close(self) -> None:
        """Close this end."""
        self._writer.close()


Job = asyncio.Future[dict[str, Any] | None]
"""An update's processing: its result is the Bot API method for the webhook's answer, if any."""


@dataclass
class _Child:
    process: BaseProcess
    link: Link
    # update id → (undecoded update, its job), in the order they were sent.
    held: dict[int, tuple[dict[str, Any], Job]] = field(default_factory=dict)
    listening: asyncio.Task[None] | None = None


class ChatProcesses:
    """The router: N chat processes, each owning the chats whose id modulo N is its index."""

    def __init__(self, processes: int, settings: Settings, policy: Policy, options: Any,
                 *, polling: bool, wake: Any = None) -> None:
        self.processes = processes
        self.settings = settings
        self.policy = policy
        self.options = options
        self.polling = polling
        self.wake = wake
        self._children: list[_Child | None] = [None] * processes
        self._replayed: set[int] = set()
        # Updates for a process being replaced, sent once the new one is up.
        self._waiting: dict[int, list[tuple[dict[str, Any], Job]]] = {}
        self._replacing: set[asyncio.Task[None]] = set()
        self._room = asyncio.Event()
        self._room.set()
        self._in_hand = 0
        self.done = 0
        """Updates processed (or failed) by the chat processes, for logs and tests."""
        self.closed = False

    async def start(self) -> None:
        """Start every process and wait until each has its database and Bot API session."""
        started = await asyncio.gather(*(self._spawn(i) for i in range(self.processes)),
                                       return_exceptions=True)
        failed = [r for r in started if isinstance(r, BaseException)]
        if failed:
            self.abandon()
            raise failed[0]

    async def _spawn(self, index: int) -> None:
        # spawn: the adapter has threads (the desk's, aiohttp's); a fork would copy their locks.
        context = multiprocessing.get_context("spawn")
        mine, theirs = context.Pipe()
        process = context.Process(target=_main, name=f"telegram-chats-{index}", daemon=True,
                                  args=(theirs, self.settings, self.policy, self.options,
                                        self.polling))
        process.start()
        theirs.close()
        link = await Link.over(mine)
        try:
            first = await asyncio.wait_for(link.recv(), START_SECONDS)
        except TimeoutError:
            first = ("failed", "failed", self._say("run.telegram_chats_slow"))
        except BaseException:
            process.kill()
            link.close()
            raise
        if first is None or first[0] != "ready":
            process.kill()
            link.close()
            await asyncio.to_thread(process.join, 5)
            if first is None:
                first = ("failed", "failed", f"exit code {process.exitcode}")
            raise StartFailed(self._say(f"run.telegram_chats_{first[1]}", reason=first[2]))
        child = _Child(process, link)
        child.listening = asyncio.create_task(self._listen(index, child),
                                              name=f"telegram-chats-{index}")
        self._children[index] = child

    def _say(self, key: str, **params: object) -> str:
        url, lang = self.settings.database_url, self.settings.language
        return t(key, lang, processes=self.processes, seconds=int(START_SECONDS),
                 where=where(url), **params)

    def pids(self) -> list[int | None]:
        """The chat processes' ids, by index."""
        return [c.process.pid if c is not None else None for c in self._children]

    def replayed(self, update_id: int) -> None:
        """This update was fetched by an earlier run (see Conversations.replayed)."""
        self._replayed.add(update_id)

    async def room(self) -> None:
        """Wait until fewer than MAX_PENDING updates are in hand."""
        while self._in_hand >= MAX_PENDING:
            self._room.clear()
            await self._room.wait()

    def accept(self, raw: dict[str, Any], in_reply: bool = False) -> Job:
        """Send the update to its chat's process; the job ends once it was processed.

        in_reply: a webhook delivery, whose click's answer (or a typed answer's removal of the
        buttons before) may ride in the HTTP answer (the job's result), as
        Conversations.reply_to does in the bot's own process."""
        if self.closed:
            raise RuntimeError("the Telegram chat processes are closed")
        index = chat_of_raw(raw) % self.processes
        job: Job = asyncio.get_running_loop().create_future()
        child = self._children[index]
        update_id = int(raw["update_id"])
        lost = update_id in self._replayed
        self._replayed.discard(update_id)
        self._in_hand += 1
        job.add_done_callback(self._done)
        if child is None:  # being replaced: sent once the new one is up
            self._waiting.setdefault(index, []).append((raw, job))
            return job
        child.held[update_id] = (raw, job)
        # If the process is gone, _listen sees it and hands its updates to the new one.
        child.link.send(("update", raw, lost, in_reply))
        return job

    def _done(self, job: Job) -> None:
        self.done += 1
        self._in_hand -= 1
        if self._in_hand < MAX_PENDING:
            self._room.set()

    async def _listen(self, index: int, child: _Child) -> None:
        while (message := await child.link.recv()) is not None:
            if message[0] == "done":
                held = child.held.pop(message[1], None)
                if held is not None and not held[1].done():
                    if message[2]:
                        held[1].set_result(message[3])
                    else:
                        held[1].set_exception(RuntimeError("the update's processing failed"))
            elif message[0] == "wake" and self.wake is not None:
                self.wake()
        child.link.close()
        if self.closed:
            for _, job in child.held.values():
                if not job.done():
                    job.set_exception(RuntimeError("the chat process ended"))
            return
        task = asyncio.create_task(self._replace(index, child))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _replace(self, index: int, dead: _Child) -> None:
        self._children[index] = None
        await asyncio.to_thread(dead.process.join, 5)
        log.warning("a Telegram chat process died (exit code %s); starting a new one",
                    dead.process.exitcode)
        while not self.closed:
            try:
                await self._spawn(index)
                break
            except Exception as exc:
                log.error("%s", exc)
                await asyncio.sleep(5)
        child = self._children[index]
        if child is None:
            return
        # Its updates again, in order: a step it committed is a repeat whose answer is sent.
        for raw, job in [*dead.held.values(), *self._waiting.pop(index, [])]:
            if not job.done():
                child.held[int(raw["update_id"])] = (raw, job)
                child.link.send(("update", raw, True, False))

    def cut_uploads(self) -> None:
        """A stop: each process ends its uploads whose file has not gone out (handed to the
        outbox, sent at the next start) and starts none (TelegramSender.cut_uploads)."""
        for child in self._children:
            if child is not None:
                child.link.send(("cut",))

    async def drain(self, within: float) -> None:
        """Stop accepting and wait for the updates in hand (their uploads cut)."""
        self.closed = True
        self.cut_uploads()
        jobs = [job for c in self._children if c is not None for _, job in c.held.values()]
        jobs += [job for waiting in self._waiting.values() for _, job in waiting]
        if jobs:
            await asyncio.wait(jobs, timeout=within)

    async def close(self) -> None:
        """Let each process finish what it holds, then end it."""
        self.closed = True
        for task in list(self._replacing):
            task.cancel()
        children = [c for c in self._children if c is not None]
        for child in children:
            child.link.send(("stop",))
        for child in children:
            await asyncio.to_thread(child.process.join, self.options.drain_seconds + 5)
            if child.process.is_alive():
                child.process.kill()
            if child.listening is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await child.listening
            child.link.close()
        self._children = [None] * self.processes

    def abandon(self) -> None:
        """End the processes without waiting (a start that failed)."""
        for child in self._children:
            if child is not None:
                child.process.kill()
                if child.listening is not None:
                    child.listening.cancel()
                child.link.close()
        self._children = [None] * self.processes


# -- in the chat process -----------------------------------------------------------------------

def leave_signals_to_the_bot() -> None:
    """Ctrl-C or a service stop reaches the whole process group: the bot's process finishes
    the work in hand, then ends this one itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _main(conn: Connection, settings: Settings, policy: Policy, options: Any,
          polling: bool) -> None:
    leave_signals_to_the_bot()
    asyncio.run(_converse(conn, settings, policy, options, polling))


async def _converse(conn: Connection, settings: Settings, policy: Policy, options: Any,
                    polling: bool) -> None:
    link = await Link.over(conn)
    try:
        store = SqlStore(settings.database_url,
                         reference_cache_seconds=settings.reference_cache_seconds)
        store.engine.connect().close()
    except Exception as exc:
        cause = getattr(exc, "orig", None) or exc
        link.send(("failed", "no_database", " ".join(str(cause).split()) or type(cause).__name__))
        await link.flush()
        return
    # The host dispatches what its settings configure; these processes only converse.
    desk = Desk(store, policy, workers=db_workers(settings),
                reach=reach_of(settings, store, dispatching=lambda: mail_configured(settings)))
    try:
        load_calendar(policy, desk.clock())
        parse_catalog()
        await compile_statements(desk)
        if on_disk(store.engine):  # the host's scheduler checkpoints the file every second
            checkpoint_in_background(store.engine)
        # The router fetches the updates: without a getUpdates request of ours, PTB builds an httpx
        # client (~90 ms of CPU at start, ~1 MB) that nothing would use.
        bot = api_bot(secret(settings.telegram_bot_token) or "",
                      settings.telegram_api_url.rstrip("/"),
                      get_updates_request=AiohttpRequest(connection_pool_size=1),
                      read_timeout=options.read_timeout)
        try:
            await bot.initialize()
        except Exception as exc:
            link.send(("failed", "failed", f"getMe: {exc}"))
            await link.flush()
            return
        conversations = Conversations(
            desk, bot, FileStore(settings.files_dir), wake=lambda: link.send(("wake",)),
            typing_after=options.typing_after, budget=options.reply_budget,
            language=settings.language, repeats_lost=polling, grace=options.answer_grace)
        inbox = Inbox(conversations.process, album_wait=options.album_wait,
                      concurrency=options.concurrency, max_pending=1 << 30)
        answering: set[asyncio.Task[None]] = set()

        def finished(update_id: int, in_reply: bool) -> Any:
            def report(job: asyncio.Future[None]) -> None:
                failed = job.cancelled() or job.exception() is not None
                if failed and in_reply:  # no HTTP answer will carry its call: a request
                    task = asyncio.get_running_loop().create_task(
                        conversations.answer_now(update_id))
                    answering.add(task)
                    task.add_done_callback(answering.discard)
                reply = conversations.reply_to(update_id) if in_reply and not failed else None
                link.send(("done", update_id, not failed, reply))
            return report

        freeze_heap()
        link.send(("ready",))
        while (message := await link.recv()) is not None and message[0] != "stop":
            if message[0] == "cut":
                if isinstance(bot.request, AiohttpRequest):
                    bot.request.cut_uploads()
                continue
            raw, lost, in_reply = message[1], message[2], message[3]
            update_id = int(raw["update_id"])
            try:
                update = read_incoming(raw, bot)
            except Exception:
                log.exception("Telegram update %s could not be read; dropped", update_id)
                link.send(("done", update_id, True, None))
                continue
            if lost:
                conversations.replayed(update_id)
            if in_reply:
                conversations.answer_in_reply(update_id)
            inbox.accept(update).add_done_callback(finished(update_id, in_reply))
        # Stopped (or the router is gone): finish what is in hand, then close.
        await inbox.drain(options.drain_seconds)
        if answering:
            await asyncio.wait(answering)
        await link.flush()
        link.close()
        await bot.shutdown()
        await bot.request.shutdown()
    finally:  # every way out: a job still running at exit would be killed mid-way
        desk.close()
        store.dispose()
