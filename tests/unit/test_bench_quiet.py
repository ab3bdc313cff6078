"""Growth runs on both databases at once: loads may overlap, a timing never meets a load."""

from __future__ import annotations

import threading
import time

from bench.context import Quiet


def test_measurement_waits_for_the_other_databases_load_and_loads_wait_for_it() -> None:
    quiet = Quiet()
    log: list[str] = []
    loading = threading.Event()
    finish_load = threading.Event()

    def load() -> None:
        with quiet.loading():
            log.append("load starts")
            loading.set()
            finish_load.wait(5)
            log.append("load ends")

    def measure() -> None:
        loading.wait(5)
        with quiet.measuring():
            log.append("measure starts")
            time.sleep(0.05)
            log.append("measure ends")

    threads = [threading.Thread(target=load), threading.Thread(target=measure)]
    for thread in threads:
        thread.start()
    loading.wait(5)
    time.sleep(0.05)
    assert "measure starts" not in log  # still loading: the timing waits
    finish_load.set()
    for thread in threads:
        thread.join(5)
    assert log == ["load starts", "load ends", "measure starts", "measure ends"]

    # And a load asked for during a measurement starts after it.
    log.clear()
    measuring = threading.Event()

    def measure_long() -> None:
        with quiet.measuring():
            log.append("measure starts")
            measuring.set()
            time.sleep(0.1)
            log.append("measure ends")

    def load_now() -> None:
        measuring.wait(5)
        with quiet.loading():
            log.append("load starts")

    threads = [threading.Thread(target=measure_long), threading.Thread(target=load_now)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert log == ["measure starts", "measure ends", "load starts"]


def test_two_loads_run_at_once() -> None:
    quiet = Quiet()
    both = threading.Barrier(2, timeout=5)

    def load() -> None:
        with quiet.loading():
            both.wait()  # breaks (BrokenBarrierError) if the loads were serialised

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(6)
    assert not both.broken
