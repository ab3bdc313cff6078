"""Step processes (TELEGRAM_STEP_PROCESSES) misbehaving, run in the spawned processes (the
adapter names these functions): one that dies right after a step's commit, before its answer
reaches the adapter; one that cannot reach the database; ones slow to start."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from bots.telegram import steppool
from bots.telegram.steps import Inbound, Outcome

MARKER = "HELPDESK_TEST_DIE_AFTER_COMMIT"
"""The environment variable naming the marker file; the step process dies while it exists."""


def converse_then_die(inbound: Inbound) -> Outcome:
    outcome = steppool._converse(inbound)  # committed
    marker = Path(os.environ.get(MARKER, "/nonexistent"))
    if marker.exists():
        marker.unlink()
        os.kill(os.getpid(), signal.SIGKILL)
    return outcome


SLOW = "HELPDESK_TEST_SLOW_STEP_START"
"""The environment variable making step processes start slowly: "all" (each waits SLOW_SECONDS),
or a file path: the first process to create it waits until PATH.go exists."""


def open_unreachable(database_url: str, reference_cache_seconds: float, policy: Any) -> None:
    """A step process whose database is out of its reach (the adapter's is not)."""
    steppool._open("postgresql+psycopg://helpdesk@127.0.0.1:1/helpdesk",
                   reference_cache_seconds, policy)


def open_slowly(database_url: str, reference_cache_seconds: float, policy: Any) -> None:
    """A step process that starts late (see SLOW)."""
    slow = os.environ.get(SLOW, "")
    pause = float(os.environ.get(f"{SLOW}_SECONDS", "4"))
    if slow == "all":
        time.sleep(pause)
    elif slow:
        try:
            os.close(os.open(slow, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            pass
        else:
            go = Path(f"{slow}.go")
            deadline = time.monotonic() + 120
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
    steppool._open(database_url, reference_cache_seconds, policy)
