"""The desk's database threads: a job goes to an idle thread, its result back in one loop call.

asyncio's run_in_executor over a ThreadPoolExecutor wraps each job in two futures chained by
callbacks under the executor future's lock, and the loop still holds the interpreter lock for
that bookkeeping while the woken thread waits for it: measured on these VMs after 20 ms idle
(the paced chat step), 75–90 µs from the call to the job starting and 65–80 µs back, against
21–23 and 51–59 µs here (bench notes in bench/HISTORY.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]
EXIT_WAIT = 10.0
"""At interpreter exit with threads never stopped (no Desk.close()), how long their jobs
may take to end (each transaction commits or rolls back as written), the threads then left."""
_running: weakref.WeakSet[Threads] = weakref.WeakSet()
_exit_hook = False


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
                # Daemons, so that a job that never ends cannot keep the process alive; at
                # exit the jobs in hand still end first (_at_exit).
                thread = threading.Thread(target=self._work, daemon=True,
                                          name=f"{self.name}_{len(self._threads)}")
                self._threads.append(thread)
                _watch(self)
                thread.start()
        # Last: the woken thread should not wait for this one's bookkeeping.
        self._jobs.put((fn, loop, done))
        return done

    def stop(self, timeout: float | None = None) -> None:
        """Run the jobs already handed in, then end the threads (waits for them, at most
        `timeout` seconds in all)."""
        with self._lock:
            first = not self._stopped
            self._stopped = True
            threads = list(self._threads)
        if first:
            for _ in threads:
                self._jobs.put(None)
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))

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


def _watch(threads: Threads) -> None:
    """Stop these threads at interpreter exit if nobody did (called under their lock)."""
    global _exit_hook
    _running.add(threads)
    if not _exit_hook:
        # Run before the interpreter joins its threads, as concurrent.futures' executors do
        # (atexit's hooks come after, with the daemons already frozen).
        register = getattr(threading, "_register_atexit", None)
        if register is not None:
            with contextlib.suppress(RuntimeError):  # already shutting down
                register(_at_exit)
        _exit_hook = True


def _at_exit() -> None:
    deadline = time.monotonic() + EXIT_WAIT
    for threads in list(_running):
        threads.stop(max(0.0, deadline - time.monotonic()))


def _settle(done: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if done.cancelled():
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result)
