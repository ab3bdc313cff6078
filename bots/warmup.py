"""What a process serving chats does once at start so that no request pays it: the host's
process (bots.app.Host) and each Telegram chat process (bots.telegram.chatprocs)."""

from __future__ import annotations

import gc
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from core.catalog import default_catalog
from core.policy import Policy
from core.services.context import Ctx
from core.services.sweeps import calendar_for

if TYPE_CHECKING:
    from bots.runtime import Desk

log = logging.getLogger(__name__)


def load_calendar(policy: Policy, now: datetime) -> None:
    """The first holiday lookup imports the country's data (0.1-0.25 s here): now, not inside
    the first registration's transaction. (Asking whether today is a business day looked up
    nothing on a weekend.)"""
    calendar_for(policy.timezone).holiday_name(now)


def parse_catalog() -> None:
    """The packaged intake catalog's YAML parsed now (~18 ms of CPU; 150 ms of wall at load
    6): the first intake after a start parsed it inside its step's transaction (on SQLite
    with the database's turn held), a team's saved catalog or not."""
    default_catalog()


def _compile(ctx: Ctx) -> int:
    from storage.sql.warm import (
        compile_chat_reads,
        compile_chat_statements,
        warm_plans,
        warm_server,
    )

    conn = getattr(ctx.uow, "connection", None)
    if conn is None:
        return 0
    warm_server(conn)
    compile_chat_reads(conn)
    compiled = compile_chat_statements(conn)
    warm_plans(conn)  # its transaction is the unit of work's: committed by Desk.call
    return compiled


async def compile_statements(desk: Desk) -> None:
    """The chat step's SQL compiled for the database's engine (storage.sql.warm: ~25 ms of CPU
    here), its tables loaded and its write's plan kept by the server process of the connection
    the first step will take, in a database thread; the first customer after a start paid them
    inside their steps. A failure leaves that to the steps, as before (the database down:
    they say so)."""
    try:
        await desk.acall(_compile)
    except Exception:  # an optimisation only: the start goes on as it would have
        log.debug("the chat's statements were not compiled at start", exc_info=True)


YOUNG_OBJECTS = 10_000
"""Objects allocated (net) between two young collections while serving; Python's 700 ran one
every few updates of a burst, each scanning the requests in flight (500 held webhook requests:
their connections, tasks, coroutines): ~13 % of the event loop's CPU by webhook. Most of an
update's objects are freed by reference counting long before 10 000 (bench/HISTORY.md, h125)."""
_served: list[int] = []


def freeze_heap() -> None:
    """Collect once, then leave what the start built to the collector no more, and collect
    the young objects less often.

    A full collection scans every object alive, the libraries' ~125k included: 60-80 ms with
    the event loop stopped, landing on whatever requests are in flight. What the start built
    lives until stop (thaw_heap then)."""
    gc.collect()
    gc.freeze()
    young, *older = gc.get_threshold()
    if young < YOUNG_OBJECTS:
        _served.append(young)
        gc.set_threshold(YOUNG_OBJECTS, *older)


def thaw_heap() -> None:
    """What freeze_heap set aside goes back to the collector (it may be cyclic garbage now),
    collected as often as before."""
    gc.unfreeze()
    if _served:
        gc.set_threshold(_served.pop(), *gc.get_threshold()[1:])
