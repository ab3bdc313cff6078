"""Bolt's listeners that run after their ack (a message event's), counted so that a stop lets
them finish: an agent's trâmite is not lost half-way."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import (
    AsyncListenerCompletionHandler,
)
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from core.i18n import t

log = logging.getLogger(__name__)

WAIT = 20.0
"""The longest a stop waits for the listeners at work (a DM step, a trâmite with its files)."""


class Listeners:
    """How many of an app's listeners are at work; wait() until none is (or WAIT has passed)."""

    def __init__(self, language: str = "pt_BR") -> None:
        self.language = language
        self.running = 0
        self.waiting = False
        self._idle = asyncio.Event()
        self._idle.set()

    def install(self, app: AsyncApp) -> None:
        """Count the app's listeners: bolt calls these handlers in the listener's own task, as
        it starts and once it ended (raised or not). The runner is bolt's public
        listener_runner; bolt offers no public way to set its handlers, so their attributes are
        pinned by test_slack_acks::test_the_bolt_internals_we_lean_on_are_still_there."""
        runner = app.listener_runner
        runner.listener_start_handler = _Started(self, runner.listener_start_handler)
        runner.listener_completion_handler = _Ended(self, runner.listener_completion_handler)

    def started(self) -> None:
        """One more at work."""
        self.running += 1
        self._idle.clear()

    def ended(self) -> None:
        """One fewer at work."""
        self.running -= 1
        if self.running <= 0:
            self.running = 0
            self._idle.set()

    async def wait(self, bound: float = WAIT) -> int:
        """Wait until no listener is at work, at most `bound` seconds; how many were left."""
        await asyncio.sleep(0)  # a listener acked just now starts (and is counted) first
        if not self.running:
            return 0
        log.info("%s", t("run.slack_listeners_finishing", self.language, count=self.running))
        self.waiting = True
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), bound)
        finally:
            self.waiting = False
        if self.running:
            log.warning("%s", t("run.slack_listeners_left", self.language, count=self.running,
                                seconds=f"{bound:.0f}"))
        return self.running


class _Started(AsyncListenerStartHandler):
    def __init__(self, listeners: Listeners, inner: AsyncListenerStartHandler) -> None:
        self.listeners, self.inner = listeners, inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        self.listeners.started()
        await self.inner.handle(request, response)


class _Ended(AsyncListenerCompletionHandler):
    def __init__(self, listeners: Listeners, inner: AsyncListenerCompletionHandler) -> None:
        self.listeners, self.inner = listeners, inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        try:
            await self.inner.handle(request, response)
        finally:
            self.listeners.ended()
