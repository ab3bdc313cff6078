"""`helpdesk run` waiting at start for a service out of reach: PostgreSQL here, the Telegram Bot
API in bots.telegram.channel. A server still starting after a reboot is waited for, one line
per try with a pause doubling up to a cap; what no later try would fix (a password refused, a
database that does not exist) is left to stop the start with its one line."""

from __future__ import annotations

import itertools
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bots.outofreach import why
from core.i18n import t
from storage.engine import make_engine

log = logging.getLogger(__name__)

FIRST_PAUSE = 1.0
MAX_PAUSE = 30.0
NOT_READY = ("the database system is", "too many clients", "remaining connection slots")
"""What a server says while starting up, shutting down or recovering, or with no connection
slot left: passing. A connection refused by the server says no SQLSTATE to psycopg, only words;
a server speaking another language is taken at its word (a stop, as before)."""


def seconds_text(value: float, lang: str) -> str:
    """A pause as people read it: 0,05 / 2 / 30 (a decimal comma in Portuguese)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")


def passing(exc: OperationalError) -> bool:
    """Whether a failed connection may work later: no server answered (refused, timed out, a
    name not resolved yet), or it answered that it is not ready; not a login it refused."""
    text = str(exc.orig)
    return "FATAL:" not in text or any(words in text for words in NOT_READY)


def where(url: str) -> str:
    """The database a URL names, never its password: host:port/database, or SQLite's URL."""
    if url.startswith("sqlite"):
        return url
    u = make_url(url)
    return f"{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def wait_for_database(url: str, lang: str, *, first: float = FIRST_PAUSE,
                      cap: float = MAX_PAUSE, sleep: Callable[[float], None] = time.sleep) -> None:
    """Return once PostgreSQL takes a connection, or on a failure no wait would fix (the caller's
    next connection then says it); SQLite is a file, not waited for."""
    if url.startswith("sqlite"):
        return
    engine = make_engine(url, pool_size=1, max_overflow=0)
    pause = first
    try:
        with _stop_ends_the_wait():
            for attempt in itertools.count(1):
                try:
                    engine.connect().close()
                    return
                except OperationalError as exc:
                    if not passing(exc):
                        return
                    reason = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
                    log.warning("%s", t("run.database_unreachable", lang, where=where(url),
                                        why=why(reason, lang), reason=reason, attempt=attempt,
                                        wait=seconds_text(pause, lang)))
                sleep(pause)
                pause = min(pause * 2, cap)
    finally:
        engine.dispose()


@contextmanager
def _stop_ends_the_wait() -> Iterator[None]:
    """SIGTERM (a service manager stopping it) or Ctrl-C while waiting ends the process with
    status 0, as a stop asked while the Telegram start waits does."""
    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    if threading.current_thread() is not threading.main_thread():  # signals reach main only
        yield
        return
    before = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
