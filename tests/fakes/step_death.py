"""A step process that dies right after a step's commit, before its answer reaches the
adapter (TELEGRAM_STEP_PROCESSES): the step runs, then the process is SIGKILLed, once per
marker file. Runs in the spawned step process (the adapter calls it by name)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

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
