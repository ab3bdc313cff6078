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
    beside: str = ""
    """The key of a part whose loads this whole part may run alongside (its figures do not
    depend on an idle machine): it runs as one more party of that part's loading round."""


PARTS = (
    Part("chat", "1. Chat step (Telegram)", "bench.chat"),
    Part("registration", "2. Registration", "bench.registration"),
    Part("growth", "3. Growth", "bench.growth", together=True),
    Part("outbound", "4. Outbound delivery", "bench.outbound", together=True),
    Part("slack", "5. Slack acknowledgement", "bench.slack_ack"),
    Part("memory", "6. Memory of helpdesk run", "bench.memory", together=True,
         beside="growth"),
)
KEYS = tuple(p.key for p in PARTS)


def _missing(module: object) -> str | None:
    check: Callable[[], str | None] | None = getattr(module, "missing", None)
    return check() if check else None


def _module(bench: Bench, part: Part) -> object | None:
    """The part's module, or None (and the reason in the report) when it cannot run here."""
    try:
        module = importlib.import_module(part.module)
    except ModuleNotFoundError as exc:
        bench.report.skipped.append(f"{part.title}: not built yet ({exc.name})")
        return None
    why = _missing(module)
    if why:
        bench.report.skipped.append(f"{part.title}: {why}")
        bench.log(f"{part.title}: skipped ({why})")
        return None
    return module


def run(bench: Bench, only: list[str]) -> Report:
    """Every part in `only` (all when empty) on every database kind of the bench."""
    started = clock()
    done_beside: set[str] = set()
    for part in PARTS:
        if (only and part.key not in only) or part.key in done_beside:
            continue
        module = _module(bench, part)
        if module is None:
            continue
        companions = [(p, m) for p in PARTS if p.beside == part.key
                      and (not only or p.key in only) and (m := _module(bench, p)) is not None]
        if companions or (part.together and len(bench.kinds) > 1):
            t0 = clock()
            bench.quiet = Quiet(len(bench.kinds) * (1 + len(companions)))
            jobs = [partial(_run_one, bench, part, module, kind) for kind in bench.kinds]
            jobs += [partial(_run_beside, bench, p, m, kind)
                     for p, m in companions for kind in bench.kinds]
            with ThreadPoolExecutor(len(jobs)) as pool:
                done = list(pool.map(lambda job: job(), jobs))
            if all(done):
                titles = " + ".join([part.title, *(p.title for p, _ in companions)])
                bench.report.timings.append(
                    (f"{titles} on {' + '.join(bench.kinds)} (at once)", clock() - t0))
            done_beside |= {p.key for p, _ in companions}
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


def _run_beside(bench: Bench, part: Part, module: object, kind: str) -> bool:
    """A whole part as one more party of another part's loading round (see Part.beside)."""
    with bench.quiet.loading():
        return _run_one(bench, part, module, kind)


def _key_of(title: str) -> str:
    return next((p.key for p in PARTS if p.title == title), KEYS[-1])


def machine(kinds: list[str]) -> dict[str, str]:
    """The machine description, asking the PostgreSQL server only when it is used."""
    return describe(admin_url() if "postgres" in kinds else None)
