"""The desk's database threads: results and errors back to the loop, bounded, stoppable."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bots.threads import Threads


def test_a_job_runs_in_a_thread_of_its_own_and_its_result_or_error_comes_back() -> None:
    threads = Threads(2, "desk")

    def boom() -> None:
        raise ValueError("no")

    async def scenario() -> None:
        name = await threads.submit(lambda: threading.current_thread().name)
        assert name.startswith("desk_")
        with pytest.raises(ValueError, match="no"):
            await threads.submit(boom)

    try:
        asyncio.run(scenario())
    finally:
        threads.stop()


def test_never_more_threads_than_its_size_and_every_job_runs() -> None:
    threads = Threads(2, "desk")
    release = threading.Event()
    running: set[str] = set()
    lock = threading.Lock()

    def job(n: int) -> int:
        with lock:
            running.add(threading.current_thread().name)
        assert release.wait(5)
        return n

    async def scenario() -> list[int]:
        jobs = [threads.submit(lambda n=n: job(n)) for n in range(6)]
        await asyncio.sleep(0.05)
        release.set()
        return list(await asyncio.gather(*jobs))

    try:
        assert asyncio.run(scenario()) == list(range(6))
    finally:
        threads.stop()
    assert len(running) == 2


def test_a_job_cancelled_before_a_thread_took_it_does_not_run() -> None:
    threads = Threads(1, "desk")
    release = threading.Event()
    ran: list[str] = []

    async def scenario() -> None:
        first = threads.submit(lambda: release.wait(5))
        second = threads.submit(lambda: ran.append("second"))
        second.cancel()
        release.set()
        assert await first is True
        assert await threads.submit(lambda: "after") == "after"

    try:
        asyncio.run(scenario())
    finally:
        threads.stop()
    assert ran == []


def test_stop_waits_for_the_jobs_handed_in_then_refuses_new_ones() -> None:
    threads = Threads(1, "desk")
    done: list[int] = []
    started = threading.Event()

    def slow(n: int) -> None:
        started.set()
        threading.Event().wait(0.05)
        done.append(n)

    async def scenario() -> None:
        threads.submit(lambda: slow(1))
        threads.submit(lambda: slow(2))
        assert await asyncio.to_thread(started.wait, 5)
        await asyncio.to_thread(threads.stop)
        assert done == [1, 2]
        with pytest.raises(RuntimeError):
            threads.submit(lambda: None)

    asyncio.run(scenario())


def test_a_job_ending_after_its_loop_closed_is_dropped_quietly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    threads = Threads(1, "desk")
    release = threading.Event()
    errors: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))

    async def scenario() -> None:
        threads.submit(lambda: release.wait(5))
        await asyncio.sleep(0)

    asyncio.run(scenario())
    release.set()
    threads.stop()
    assert errors == []
