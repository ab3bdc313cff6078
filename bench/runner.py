"""Run the chosen parts on the chosen databases and collect one report."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from bench.context import Bench, Quiet
from bench.dbs import admin_url
from bench.machine import describe
from bench.results import Report
from bench.stats import clock


@dataclass(frozen=True)
class Part:
    """A benchmark part: its module has run(bench, kind) and may have missing() -> str | None.

    A part `together` runs on every database at once: its figures do not depend on an idle
    machine (memory: resident size), each database has its own paced peers (outbound: each
    run has its own fake Bot API and its own 30 messages/s), or only its loads overlap while
    every timing waits for a quiet machine (growth: `Bench.quiet`). Sharing the cores changes
    nothing it reports and the run takes minutes less.
    """

    key: str
    title: str
    module: str
    together: bool = False


PARTS = (
    Part("chat", "1. Chat step (Telegram)", "bench.chat"),
    Part("registration", "2. Registration", "bench.registration"),
    Part("growth", "3. Growth", "bench.growth", together=True),
    Part("outbound", "4. Outbound delivery", "bench.outbound", together=True),
    Part("slack", "5. Slack acknowledgement", "bench.slack_ack"),
    Part("memory", "6. Memory of helpdesk run", "bench.memory", together=True),
)
KEYS = tuple(p.key for p in PARTS)


def _missing(module: object) -> str | None:
    check: Callable[[], str | None] | None = getattr(module, "missing", None)
    return check() if check else None


def run(bench: Bench, only: list[str]) -> Report:
    """Every part in `only` (all when empty) on every database kind of the bench."""
    started = clock()
    for part in PARTS:
        if only and part.key not in only:
            continue
        try:
            module = importlib.import_module(part.module)
        except ModuleNotFoundError as exc:
            bench.report.skipped.append(f"{part.title}: not built yet ({exc.name})")
            continue
        why = _missing(module)
        if why:
            bench.report.skipped.append(f"{part.title}: {why}")
            bench.log(f"{part.title}: skipped ({why})")
            continue
        if part.together and len(bench.kinds) > 1:
            t0 = clock()
            bench.quiet = Quiet(len(bench.kinds))
            with ThreadPoolExecutor(len(bench.kinds)) as pool:
                done = list(pool.map(partial(_run_one, bench, part, module), bench.kinds))
            if all(done):
                bench.report.timings.append(
                    (f"{part.title} on {' + '.join(bench.kinds)} (at once)", clock() - t0))
            bench.quiet = Quiet()
            continue
        for kind in bench.kinds:
            t0 = clock()
            if _run_one(bench, part, module, kind):
                bench.report.timings.append((f"{part.title} on {kind}", clock() - t0))
    bench.report.seconds = clock() - started
    # Stable: a part's figures keep their order within each database, databases in run order.
    order = {kind: i for i, kind in enumerate(bench.kinds)}
    bench.report.figures.sort(key=lambda f: (KEYS.index(_key_of(f.part)), order.get(f.db, 0)))
    return bench.report


def _run_one(bench: Bench, part: Part, module: object, kind: str) -> bool:
    """One part on one database; a failure is reported, not raised (the others go on)."""
    bench.log(f"{part.title} on {kind}...")
    t0 = clock()
    try:
        module.run(bench, kind)  # type: ignore[attr-defined]
    except Exception as exc:  # one broken part must not lose the others' figures
        bench.quiet.abandon()  # a part on another database must not wait for this one
        bench.report.skipped.append(f"{part.title} on {kind}: failed: "
                                    f"{type(exc).__name__}: {exc}")
        bench.log(f"{part.title} on {kind}: FAILED {type(exc).__name__}: {exc}")
        return False
    bench.log(f"{part.title} on {kind}: {clock() - t0:.1f} s")
    return True


def _key_of(title: str) -> str:
    return next((p.key for p in PARTS if p.title == title), KEYS[-1])


def machine(kinds: list[str]) -> dict[str, str]:
    """The machine description, asking the PostgreSQL server only when it is used."""
    return describe(admin_url() if "postgres" in kinds else None)
