"""Part 3: the same reads and the auto-close sweep at 10 000 and at 1 000 000 tickets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bench.bulk import Generator, grow
from bench.context import Bench
from bench.dbs import FreshDatabase
from bench.explain import captured, plans
from bench.results import Figure, Target, ratio_of
from bench.stats import clock, median_time
from bots.runtime import Desk
from core.models import Tab
from core.policy import Policy
from core.services import queries
from core.services.context import Ctx
from core.services.sweeps import SweepReport, auto_close
from storage.engine import make_engine
from storage.sql import SqlStore

PART = "3. Growth"
SEARCH = "nota fiscal"
WINDOW_DAYS = 90


@dataclass
class Probe:
    """One measured read: its name and how to run it once (returning a result size)."""

    name: str
    run: Callable[[], int]


def _probes(desk: Desk, gen: Generator, now: datetime) -> list[Probe]:
    customer, agent = gen.probe_customer, gen.agents[0]

    def listing(**scope: Any) -> Callable[[], int]:
        def run() -> int:
            def page(ctx: Ctx) -> int:
                actor = ctx.uow.users.get(customer)
                assert actor is not None
                query = queries.scoped_query(actor, **scope)
                return queries.list_tickets(ctx, customer, query, page=0, page_size=10).total
            return desk.call(page)
        return run

    return [
        Probe("tab listing (own, em atendimento, page 1 + total)",
              listing(tab=Tab.IN_PROGRESS)),
        Probe(f"whole-company listing, last {WINDOW_DAYS} days (page 1 + total)",
              listing(whole_company=True, since=now - timedelta(days=WINDOW_DAYS))),
        Probe(f"full-text search '{SEARCH}' in the company (page 1 + total)",
              listing(whole_company=True, text=SEARCH)),
        Probe("summary counts (whole company)",
              lambda: sum(desk.call(queries.summary, customer, whole_company=True).values())),
        Probe("agents' queue (first 20)", lambda: len(desk.call(queries.queue, agent, 20))),
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


def _measure(desk: Desk, store: SqlStore, gen: Generator, now: datetime, repeat: int
             ) -> Timings:
    out: Timings = {}
    for probe in _probes(desk, gen, now):
        size = probe.run()
        out[probe.name] = (median_time(probe.run, repeat=repeat, warmup=1), size)
    name = "auto-close sweep (same due tickets)"
    closed = _sweep(store, desk.policy, now)
    out[name] = (median_time(lambda: _sweep(store, desk.policy, now), repeat=3, warmup=0),
                 closed)
    return out


def _explain(bench: Bench, desk: Desk, store: SqlStore, gen: Generator, now: datetime,
             kind: str, name: str) -> None:
    with captured(store.engine) as seen:
        if name.startswith("auto-close"):
            _sweep(store, desk.policy, now)
        else:
            next(p for p in _probes(desk, gen, now) if p.name == name).run()
    bench.report.detail(f"{kind}: plan of '{name}' at the larger size",
                        plans(store.engine, seen))


def _quietly(bench: Bench, kind: str, size: int, measure: Callable[[], Timings]) -> Timings:
    """Measure once no load runs; say how long it waited and took."""
    asked = clock()
    with bench.quiet.measuring():
        started = clock()
        timings = measure()
    bench.log(f"  {kind}: measured at {size:,} in {clock() - started:.1f} s "
              f"(after {started - asked:.1f} s waiting for a quiet machine)")
    return timings


def _load(bench: Bench, kind: str, engine: Engine, gen: Generator, n: int) -> None:
    """Add n tickets alongside the other databases' loads; log the load's own time."""
    with bench.quiet.loading():
        start = clock()
        grow(engine, gen, n)
        took = clock() - start
    bench.log(f"  {kind}: {n:,} tickets added in {took:.1f} s")


def run(bench: Bench, kind: str) -> None:
    """Load the smaller size, measure, grow to the larger one, measure again, compare."""
    small, big = bench.scale.growth_small, bench.scale.growth_big
    now = datetime.now(UTC).replace(microsecond=0)
    repeat = 7 if bench.scale.name != "tiny" else 2
    with FreshDatabase(kind) as url:
        engine = make_engine(url)
        store = SqlStore(engine)
        desk = Desk(store).at(now)
        try:
            gen = Generator(now=now, due=bench.scale.due_tickets)
            _load(bench, kind, engine, gen, small)
            before = _quietly(bench, kind, small, lambda: _measure(desk, store, gen, now, repeat))
            _load(bench, kind, engine, gen, big - small)
            after = _quietly(bench, kind, big, lambda: _measure(desk, store, gen, now, repeat))
            for name, (t_big, n_big) in after.items():
                t_small, n_small = before[name]
                fig = bench.report.add(Figure(
                    PART, kind, name, t_big * 1000, "ms", f"at {small:,}", t_small * 1000,
                    ratio_of(t_big, t_small), Target("<=", 2),
                    note=f"result size {n_small:,} at {small:,}, {n_big:,} at {big:,}"))
                if fig.met is False:
                    with bench.quiet.measuring():
                        _explain(bench, desk, store, gen, now, kind, name)
        finally:
            desk.close()
            store.dispose()
