"""Part 3: the same reads and the auto-close sweep at 10 000 and at 1 000 000 tickets."""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import shutil
import statistics
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from typing import Any

from bench.bulk import Generator, Phases, generate_to, grow_at
from bench.context import Bench
from bench.dbs import FreshDatabase
from bench.explain import captured, plans
from bench.results import Figure, Target, ratio_of
from bench.stats import clock
from bots.runtime import Desk
from bots.slack.cards import card_data
from core.models import Tab
from core.policy import Policy
from core.services import queries, report, worklists
from core.services.context import Ctx
from core.services.sweeps import SweepReport, auto_close, calendar_for
from storage.engine import make_engine
from storage.sql import SqlStore

PART = "3. Growth"
SWEEP = "auto-close sweep (same due tickets)"
SEARCH = "nota fiscal"
NOWHERE = "cashback"
"""A word no generated ticket holds: a search for it finds nothing."""
COMMON = "nota"
"""A word about a third of the generated tickets hold: its search's total stops at the cap."""
NF_NUMBER = re.compile(r"\b(?!20)\d{6}\b")
"""A nota fiscal's number as the texts write it (six digits; none starts like a period)."""
WINDOW_DAYS = 90
REPORT_DAYS = 30
FIRST_TICKET = 1
"""The generator's first ticket (the probe company's, in both databases)."""


@dataclass
class Probe:
    """One measured read: its name and how to run it once (returning a result size)."""

    name: str
    run: Callable[[], int]


def _probes(desk: Desk, gen: Generator, now: datetime, rare: str) -> list[Probe]:
    customer, agent = gen.probe_customer, gen.agents[0]

    def listing(who: int = customer, **scope: Any) -> Callable[[], int]:
        def run() -> int:
            def page(ctx: Ctx) -> int:
                actor = ctx.uow.users.get(who)
                assert actor is not None
                query = queries.scoped_query(actor, **scope)
                return queries.list_tickets(ctx, who, query, page=0, page_size=10).total
            return desk.call(page)
        return run

    return [
        Probe("tab listing (own, em atendimento, page 1 + total)",
              listing(tab=Tab.IN_PROGRESS)),
        Probe(f"whole-company listing, last {WINDOW_DAYS} days (page 1 + total)",
              listing(whole_company=True, since=now - timedelta(days=WINDOW_DAYS))),
        Probe(f"full-text search '{SEARCH}' in the company (page 1 + total)",
              listing(whole_company=True, text=SEARCH)),
        # An agent's search spans every company: its cost must follow its matches, not the
        # tickets (a rare nota fiscal number; a word found nowhere).
        Probe("agent's search over all companies, a rare word (page 1 + total)",
              listing(agent, text=rare)),
        Probe(f"agent's search over all companies, '{NOWHERE}' found nowhere (page 1 + total)",
              listing(agent, text=NOWHERE)),
        Probe(f"agent's search over all companies, a common word '{COMMON}' (page 1 + total)",
              listing(agent, text=COMMON)),
        Probe("summary counts (whole company)",
              lambda: sum(desk.call(queries.summary, customer, whole_company=True).values())),
        Probe("agents' queue (first 20)", lambda: len(desk.call(worklists.queue, agent, 20))),
        # The coordinator's report of one client: its own tickets, whatever the others'.
        Probe(f"coordinator's report, the company's last {REPORT_DAYS} days",
              lambda: desk.call(report.build, None, REPORT_DAYS, gen.probe_company).opened),
        # Rendered on every event of a ticket; the customers grow with the tickets.
        Probe("a ticket's Slack card (its data, agents to reassign to)",
              lambda: len(desk.call(card_data, FIRST_TICKET).agents)),
    ]


def _sweep(store: SqlStore, policy: Policy, now: datetime) -> int:
    """Run the auto-close sweep in a transaction that is rolled back, so it can repeat."""
    with store() as uow:
        report = SweepReport()
        auto_close(Ctx(uow, now=now, policy=policy), report)
        uow.rollback()
    return report.auto_closed


Timings = dict[str, tuple[float, int]]
"""Per probe: its median time in seconds and its result size."""


@dataclass
class Sized:
    """One database at one size, with what its probes need."""

    size: int
    url: str
    store: SqlStore
    desk: Desk
    gen: Generator
    rare: str = ""


def _rare_word(small: Sized, big: Sized) -> str:
    """A nota fiscal number that one pooled text alone holds, mentioned by one of the first
    tickets (the same in both databases): a handful of tickets find it at either size."""
    pooled = Counter(n for pair in big.gen.texts for n in set(NF_NUMBER.findall(" ".join(pair))))
    with small.store() as uow:
        rows = uow.connection.exec_driver_sql(
            "SELECT assunto, descricao FROM tickets ORDER BY id").all()
    for assunto, descricao in rows:
        for number in NF_NUMBER.findall(f"{assunto} {descricao}"):
            if pooled[number] == 1:
                return str(number)
    raise RuntimeError("growth: no ticket mentions a nota fiscal number of its own")


def _runs(db: Sized, now: datetime) -> dict[str, Callable[[], int]]:
    """Every measured read of one database, and the auto-close sweep, by name."""
    runs = {p.name: p.run for p in _probes(db.desk, db.gen, now, db.rare)}
    runs[SWEEP] = lambda: _sweep(db.store, db.desk.policy, now)
    return runs


def _measure(small: Sized, big: Sized, now: datetime, repeat: tuple[int, int]
             ) -> tuple[Timings, Timings]:
    """Each probe on both sizes in alternation, so a change of the machine's speed (these VMs
    vary by up to 2× within the hour) hits both sides of a ratio alike."""
    runs = (_runs(small, now), _runs(big, now))
    out: tuple[Timings, Timings] = ({}, {})
    for name in runs[0]:
        times: tuple[list[float], list[float]] = ([], [])
        start = clock()
        sizes = [runs[side][name]() for side in (0, 1)]  # warm-up; the result sizes
        for _ in range(3 if name == SWEEP else _repeats(*repeat, clock() - start)):
            for side in (0, 1):
                start = clock()
                runs[side][name]()
                times[side].append(clock() - start)
        for side in (0, 1):
            out[side][name] = (statistics.median(times[side]), sizes[side])
    return out


def _repeats(least: int, most: int, warm_up: float) -> int:
    """Repeats for a probe: more for a fast one (~0.25 s of timing in all, within least and
    most), so a passing hiccup of a few ms cannot move the median of a 2 ms read."""
    return max(least, min(most, int(0.25 / max(warm_up, 1e-4))))


def _explain(bench: Bench, db: Sized, now: datetime, kind: str, name: str) -> None:
    with captured(db.store.engine) as seen:
        _runs(db, now)[name]()
    bench.report.detail(f"{kind}: plan of '{name}' at the larger size",
                        plans(db.store.engine, seen))


class Batches:
    """The growth steps' rows, generated once for every database of the run.

    Each database loads the same rows (a fresh Generator with the same clock and due tickets):
    the smaller size the first step, the larger one the first step and then the second. They
    are generated one step after another in a process of their own, each step's batch into a
    file (bench.bulk.generate_to) that every database's load reads; the files go when the last
    database that asked for them is loaded.
    """

    def __init__(self, now: datetime, due: int, steps: list[int]) -> None:
        self._dir = tempfile.mkdtemp(prefix="helpdesk-bench-rows-")
        self._users = 0
        self.steps: list[Future[tuple[str, bytes]]] = [Future() for _ in steps]
        """Per step: its batch's file and the generator as it is after it (pickled)."""
        self._thread = threading.Thread(target=self._generate, args=(now, due, steps),
                                        name="growth-rows", daemon=True)
        self._thread.start()

    def _generate(self, now: datetime, due: int, steps: list[int]) -> None:
        gen = Generator(now=now, due=due)
        try:
            with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
                for i, n in enumerate(steps):
                    path = os.path.join(self._dir, f"step{i}.marshal")
                    gen = pool.submit(generate_to, gen, n, path).result()
                    self.steps[i].set_result((path, pickle.dumps(gen)))
        except BaseException as exc:  # every load waiting for a step hears why
            for step in self.steps:
                if not step.done():
                    step.set_exception(exc)

    def step(self, i: int) -> tuple[str, Generator]:
        """Step i's batch file and a generator of one's own as it is after that batch."""
        path, gen = self.steps[i].result()
        return path, pickle.loads(gen)

    @classmethod
    @contextlib.contextmanager
    def shared(cls, bench: Bench, now: datetime, due: int, steps: list[int]
               ) -> Iterator[Batches]:
        """The run's Batches of these steps, made by the first database to ask."""
        key = ("growth rows", now, due, tuple(steps))
        with _SHARED:
            batches = bench.cache.get(key)
            if not isinstance(batches, cls):
                batches = bench.cache[key] = cls(now, due, steps)
            batches._users += 1
        try:
            yield batches
        finally:
            with _SHARED:
                batches._users -= 1
                last = batches._users == 0
                if last:
                    del bench.cache[key]
            if last:
                batches._thread.join()
                shutil.rmtree(batches._dir, ignore_errors=True)


_SHARED = threading.Lock()


def _story_now(bench: Bench) -> datetime:
    """The story's clock, the same for every database of the run (they load the same rows).

    The auto-close sweep acts only in business hours (R14): the clock is at one.
    """
    with _SHARED:
        now = bench.cache.get("growth now")
        if not isinstance(now, datetime):
            now = bench.cache["growth now"] = calendar_for(Policy().timezone).next_opening(
                datetime.now(UTC).replace(microsecond=0))
        return now


def _load(bench: Bench, kind: str, small: Sized, big: Sized, now: datetime, due: int) -> None:
    """Fill both databases alongside the other kinds' loads; log each load's own time.

    The rows are generated once for every kind (Batches); each kind's loads run in a process
    of its own (see grow_at), one after the other.
    """
    steps = [small.size, big.size - small.size]
    with Batches.shared(bench, now, due, steps) as batches, bench.quiet.loading(), \
            ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        for db, wanted in ((small, [0]), (big, [0, 1])):
            start = clock()
            spent: list[Phases] = []
            for i in wanted:  # the larger one grows as before: the same first tickets, then more
                path, after = batches.step(i)
                db.gen, phases = pool.submit(grow_at, db.url, after, path).result()
                spent.append(phases)
            bench.log(f"  {kind}: {db.size:,} tickets loaded in {clock() - start:.1f} s "
                      f"({spent[-1]})")


def _sized(url: str, size: int, now: datetime, due: int) -> Sized:
    store = SqlStore(make_engine(url))
    return Sized(size, url, store, Desk(store).at(now), Generator(now=now, due=due))


def run(bench: Bench, kind: str) -> None:
    """Load one database of each size, measure both in alternation, compare."""
    now = _story_now(bench)
    repeat = (7, 51) if bench.scale.name != "tiny" else (2, 2)
    due = bench.scale.due_tickets
    with FreshDatabase(kind) as small_url, FreshDatabase(kind) as big_url:
        small = _sized(small_url, bench.scale.growth_small, now, due)
        big = _sized(big_url, bench.scale.growth_big, now, due)
        try:
            _load(bench, kind, small, big, now, due)
            small.rare = big.rare = _rare_word(small, big)
            asked = clock()
            with bench.quiet.measuring():
                started = clock()
                before, after = _measure(small, big, now, repeat)
            bench.log(f"  {kind}: measured both sizes in {clock() - started:.1f} s (after "
                      f"{started - asked:.1f} s waiting for a quiet machine)")
            for name, (t_big, n_big) in after.items():
                t_small, n_small = before[name]
                fig = bench.report.add(Figure(
                    PART, kind, name, t_big * 1000, "ms", f"at {small.size:,}", t_small * 1000,
                    ratio_of(t_big, t_small), Target("<=", 2),
                    note=f"result size {n_small:,} at {small.size:,}, {n_big:,} at "
                         f"{big.size:,}; the two sizes timed in alternation"
                         + (f"; the word: '{big.rare}'" if "a rare word" in name else "")
                         + (f"; the total counted up to {queries.SEARCH_TOTAL_MAX:,}"
                            if "a common word" in name else "")))
                if fig.met is False:
                    with bench.quiet.measuring():
                        _explain(bench, big, now, kind, name)
        finally:
            for db in (small, big):
                db.desk.close()
                db.store.dispose()
