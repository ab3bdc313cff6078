"""The desk's database threads: a job goes to an idle thread, its result back in one loop call.

asyncio's run_in_executor over a ThreadPoolExecutor wraps each job in two futures chained by
callbacks under the executor future's lock, and the loop still holds the interpreter lock for
that bookkeeping while the woken thread waits for it: measured on these VMs after 20 ms idle
(the paced chat step), 75–90 µs from the call to the job starting and 65–80 µs back, against
21–23 and 51–59 µs here (bench notes in BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]


class Threads:
    """Up to `size` threads, started on demand, running jobs for an event loop in FIFO order.

    A job whose future was cancelled before a thread took it does not run (as an executor's).
    """

    def __init__(self, size: int, name: str = "desk") -> None:
        self.size = max(1, size)
        self.name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._stopped = False

    def submit(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        """Run fn() in a thread; the future (of the running loop) gets its result or error."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        with self._lock:
            if self._stopped:
                raise RuntimeError("the database threads were stopped")
            if self._idle:
                self._idle -= 1
            elif len(self._threads) < self.size:
                thread = threading.Thread(target=self._work, daemon=True,
                                          name=f"{self.name}_{len(self._threads)}")
                self._threads.append(thread)
                thread.start()
        # Last: the woken thread should not wait for this one's bookkeeping.
        self._jobs.put((fn, loop, done))
        return done

    def stop(self) -> None:
        """Run the jobs already handed in, then end the threads (waits for them)."""
        with self._lock:
            self._stopped = True
            threads = list(self._threads)
        for _ in threads:
            self._jobs.put(None)
        for thread in threads:
            thread.join()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, loop, done = job
            del job
            if not done.cancelled():  # read across threads: at worst a cancelled job runs
                try:
                    result, error = fn(), None
                except BaseException as exc:
                    result, error = None, exc
                with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting
                    loop.call_soon_threadsafe(_settle, done, result, error)
                del result, error
            del fn, loop, done
            with self._lock:
                self._idle += 1


def _settle(done: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if done.cancelled():
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result)
