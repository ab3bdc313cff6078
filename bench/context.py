"""What every part receives: the scale of the run, the report, the database kinds, a logger."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    """Parts running on several databases at once: loads overlap, each measurement runs alone."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._loads = 0
        self._measuring = False

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Fill a database; waits while another part measures."""
        with self._cond:
            self._cond.wait_for(lambda: not self._measuring)
            self._loads += 1
        try:
            yield
        finally:
            with self._cond:
                self._loads -= 1
                self._cond.notify_all()

    @contextmanager
    def measuring(self) -> Iterator[None]:
        """Time something with no load and no other measurement running."""
        with self._cond:
            self._cond.wait_for(lambda: not self._measuring and self._loads == 0)
            self._measuring = True
        try:
            yield
        finally:
            with self._cond:
                self._measuring = False
                self._cond.notify_all()


@dataclass
class Bench:
    """One run: its scale, the report being filled, the database kinds, progress output."""

    scale: Scale
    report: Report
    kinds: list[str]
    log: Callable[[str], None] = field(default=_stderr)
    cache: dict[object, object] = field(default_factory=dict)
    """Baselines that do not depend on the database, measured once per run."""
    quiet: Quiet = field(default_factory=Quiet)
