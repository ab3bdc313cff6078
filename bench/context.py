"""What every part receives: the scale of the run, the report, the database kinds, a logger."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bench.results import Report


@dataclass(frozen=True)
class Scale:
    """How big each part runs; `full` is the one BENCHMARKS.md reports."""

    name: str
    registrations: int
    growth_small: int
    growth_big: int
    due_tickets: int
    chat_customers: int
    paced_updates: int
    outbound: int
    outbound_rate: int
    slack_requests: int
    memory_conversations: int


SCALES = {
    "full": Scale("full", registrations=1000, growth_small=10_000, growth_big=1_000_000,
                  due_tickets=100, chat_customers=500, paced_updates=108, outbound=1000,
                  outbound_rate=30, slack_requests=500, memory_conversations=10_000),
    "quick": Scale("quick", registrations=200, growth_small=2_000, growth_big=100_000,
                   due_tickets=50, chat_customers=100, paced_updates=60, outbound=150,
                   outbound_rate=30, slack_requests=100, memory_conversations=1_000),
    "tiny": Scale("tiny", registrations=10, growth_small=200, growth_big=1_000, due_tickets=5,
                  chat_customers=4, paced_updates=4, outbound=6, outbound_rate=30,
                  slack_requests=6, memory_conversations=20),
}


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class Quiet:
    """Parts loading several databases at once: loads overlap, timings run alone.

    Every party goes through the same rounds (load, measure, load, measure...): a round's loads
    start together once every party has measured the previous round, and its timings start,
    one party at a time, once every party has loaded. A party that fails calls abandon() and
    the others go on unsynchronised.
    """

    def __init__(self, parties: int = 1) -> None:
        self._barrier = threading.Barrier(parties)
        self._alone = threading.Lock()

    def _together(self) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            self._barrier.wait()

    def abandon(self) -> None:
        """This party stops here: the others no longer wait for it."""
        self._barrier.abort()

    @contextlib.contextmanager
    def loading(self) -> Iterator[None]:
        """Fill a database, at the same time as the other parties' loads of this round."""
        self._together()
        yield
        self._together()

    @contextlib.contextmanager
    def measuring(self) -> Iterator[None]:
        """Time something while no load and no other timing runs."""
        with self._alone:
            yield


@dataclass
class Bench:
    """One run: its scale, the report being filled, the database kinds, progress output."""

    scale: Scale
    report: Report
    kinds: list[str]
    chat_processes: int = 0
    """TELEGRAM_CHAT_PROCESSES of another chat burst per mode (0: none)."""
    log: Callable[[str], None] = field(default=_stderr)
    cache: dict[object, object] = field(default_factory=dict)
    """Baselines that do not depend on the database, measured once per run."""
    quiet: Quiet = field(default_factory=Quiet)
