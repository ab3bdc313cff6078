"""Chat processes (TELEGRAM_CHAT_PROCESSES) misbehaving, run in the spawned processes (tests
put these in place of chatprocs._main): one that dies after a step's commit, before its answer
is sent; one whose database is out of its reach; one slow to start."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from bots.telegram import chatprocs
from bots.telegram import conversation as conversation_module

MARKER = "HELPDESK_TEST_CHAT_DIE_AFTER_COMMIT"
"""The environment variable naming the marker file; the chat process dies while it exists."""


def main_dies_after_commit(*args: Any) -> None:
    """A chat process whose answers are never sent while the marker file exists: it dies
    once the step committed, as the first message goes out."""
    original = conversation_module.Conversations._send

    async def send_or_die(self: Any, *call: Any, **kwargs: Any) -> None:
        marker = Path(os.environ.get(MARKER, "/nonexistent"))
        if marker.exists():
            marker.unlink()
            os.kill(os.getpid(), signal.SIGKILL)
        await original(self, *call, **kwargs)

    conversation_module.Conversations._send = send_or_die  # type: ignore[method-assign]
    chatprocs._main(*args)


def main_unreachable(conn: Any, settings: Any, *rest: Any) -> None:
    """A chat process whose database is out of its reach (the router's is not)."""
    far = settings.model_copy(update={
        "database_url": "postgresql+psycopg://helpdesk@127.0.0.1:1/helpdesk"})
    chatprocs._main(conn, far, *rest)


def main_slow(*args: Any) -> None:
    """A chat process that takes 4 s to start (an overloaded machine)."""
    time.sleep(4)
    chatprocs._main(*args)
