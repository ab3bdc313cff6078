"""Growth runs on both databases at once: loads overlap, a timing never meets a load."""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Callable

import pytest

from bench.context import Quiet


def _party(quiet: Quiet, name: str, load_for: float, log: list[str],
           rounds: int = 2) -> Callable[[], None]:
    def run() -> None:
        for r in range(rounds):
            with quiet.loading():
                log.append(f"{name} load {r} starts")
                time.sleep(load_for)
                log.append(f"{name} load {r} ends")
            with quiet.measuring():
                log.append(f"{name} measure {r} starts")
                time.sleep(0.02)
                log.append(f"{name} measure {r} ends")
    return run


def _run(*targets: Callable[[], None]) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads)


def test_a_quick_party_waits_for_the_slow_load_before_measuring_and_loading_again() -> None:
    quiet = Quiet(2)
    log: list[str] = []
    _run(_party(quiet, "fast", 0.0, log), _party(quiet, "slow", 0.2, log))
    for r in range(2):
        # Every load of a round ends before any timing of it starts...
        last_load_end = max(log.index(f"{p} load {r} ends") for p in ("fast", "slow"))
        first_measure = min(log.index(f"{p} measure {r} starts") for p in ("fast", "slow"))
        assert last_load_end < first_measure, log
        # ...and the next round's loads start only after every timing of this one.
        if r == 0:
            last_measure_end = max(log.index(f"{p} measure 0 ends") for p in ("fast", "slow"))
            first_load = min(log.index(f"{p} load 1 starts") for p in ("fast", "slow"))
            assert last_measure_end < first_load, log
    # Timings never overlap each other.
    starts = [i for i, line in enumerate(log) if "measure" in line and "starts" in line]
    for i in starts:
        assert log[i + 1] == log[i].replace("starts", "ends"), log


def test_loads_of_one_round_run_at_once() -> None:
    quiet = Quiet(2)
    log: list[str] = []
    _run(_party(quiet, "a", 0.1, log, rounds=1), _party(quiet, "b", 0.1, log, rounds=1))
    assert set(log[:2]) == {"a load 0 starts", "b load 0 starts"}, log


def test_a_failed_party_does_not_hold_the_other_one() -> None:
    quiet = Quiet(2)
    log: list[str] = []

    def failing() -> None:
        with quiet.loading():
            log.append("failing load starts")
        quiet.abandon()

    started = time.monotonic()
    _run(failing, _party(quiet, "survivor", 0.0, log))
    assert "survivor measure 1 ends" in log
    assert time.monotonic() - started < 5


def test_a_part_beside_growth_runs_during_its_loads_and_before_its_timings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner starts memory with growth's loads; growth times nothing until memory ends."""
    from bench import runner
    from bench.context import SCALES, Bench
    from bench.results import Report

    log: list[str] = []

    def loads(bench: Bench, kind: str) -> None:
        with bench.quiet.loading():
            log.append(f"load {kind}")
            time.sleep(0.05)
        with bench.quiet.measuring():
            log.append(f"measure {kind}")

    def beside(bench: Bench, kind: str) -> None:
        log.append(f"beside {kind} starts")
        time.sleep(0.2)
        log.append(f"beside {kind} ends")

    modules = {"fake.loads": types.SimpleNamespace(run=loads),
               "fake.beside": types.SimpleNamespace(run=beside)}
    monkeypatch.setattr(runner.importlib, "import_module", modules.__getitem__)
    monkeypatch.setattr(runner, "PARTS", (
        runner.Part("growth", "3. Growth", "fake.loads", together=True),
        runner.Part("memory", "6. Memory", "fake.beside", together=True, beside="growth")))
    bench = Bench(SCALES["tiny"], Report({}, ""), ["sqlite", "postgres"], log=lambda _: None)
    runner.run(bench, [])
    first_measure = min(i for i, line in enumerate(log) if line.startswith("measure"))
    assert sorted(log[:4]) == ["beside postgres starts", "beside sqlite starts",
                               "load postgres", "load sqlite"]
    assert all(line.startswith("measure") for line in log[first_measure:])
    assert log.count("beside sqlite ends") == 1  # run once, not again on its own
    assert [name for name, _ in bench.report.timings] == [
        "3. Growth + 6. Memory on sqlite + postgres (at once)"]
