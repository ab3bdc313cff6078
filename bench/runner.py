"""Run the chosen parts on the chosen databases and collect one report."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from bench.context import Bench
from bench.dbs import admin_url
from bench.machine import describe
from bench.results import Report
from bench.stats import clock


@dataclass(frozen=True)
class Part:
    """A benchmark part: its module has run(bench, kind) and may have missing() -> str | None."""

    key: str
    title: str
    module: str


PARTS = (
    Part("chat", "1. Chat step (Telegram)", "bench.chat"),
    Part("registration", "2. Registration", "bench.registration"),
    Part("growth", "3. Growth", "bench.growth"),
    Part("outbound", "4. Outbound delivery", "bench.outbound"),
    Part("slack", "5. Slack acknowledgement", "bench.slack_ack"),
    Part("memory", "6. Memory of helpdesk run", "bench.memory"),
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
        for kind in bench.kinds:
            bench.log(f"{part.title} on {kind}...")
            t0 = clock()
            try:
                module.run(bench, kind)  # type: ignore[attr-defined]
            except Exception as exc:  # one broken part must not lose the others' figures
                bench.report.skipped.append(f"{part.title} on {kind}: failed: "
                                            f"{type(exc).__name__}: {exc}")
                bench.log(f"{part.title} on {kind}: FAILED {type(exc).__name__}: {exc}")
                continue
            seconds = clock() - t0
            bench.report.timings.append((f"{part.title} on {kind}", seconds))
            bench.log(f"{part.title} on {kind}: {seconds:.1f} s")
    bench.report.seconds = clock() - started
    bench.report.figures.sort(key=lambda f: KEYS.index(_key_of(f.part)))
    return bench.report


def _key_of(title: str) -> str:
    return next((p.key for p in PARTS if p.title == title), KEYS[-1])


def machine(kinds: list[str]) -> dict[str, str]:
    """The machine description, asking the PostgreSQL server only when it is used."""
    return describe(admin_url() if "postgres" in kinds else None)
