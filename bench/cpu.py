"""CPU time of whole processes (user + system, all threads), where /proc tells it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

Pids = list[int] | Callable[[], list[int]]
"""A group's processes: fixed, or found when the meter starts and stops (e.g. the database's
backends serving a run, some of which connect during it)."""


def cpu_seconds(pid: int) -> float | None:
    """The CPU time a process used so far; None where /proc does not tell it (or it ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by named groups of processes between start() and stop()."""

    def __init__(self, groups: Mapping[str, Pids]) -> None:
        self.groups = {name: pids if callable(pids) else list(pids)
                       for name, pids in groups.items()}
        self._before: dict[int, float | None] = {}
        self._found: dict[str, list[int]] = {}

    def start(self) -> None:
        """Read every process's CPU time now."""
        self._found = {name: self._pids(name) for name in self.groups}
        self._before = {pid: cpu_seconds(pid) for pids in self._found.values() for pid in pids}

    def stop(self) -> dict[str, float]:
        """Seconds of CPU per group since start(); a group with a process unread is left out.

        In a group found anew at stop, a process not there at start counts whole (it started
        meanwhile), and one gone since is not counted (/proc forgets it)."""
        used: dict[str, float] = {}
        for name in self.groups:
            fixed = not callable(self.groups[name])
            pids = self._found.get(name, []) if fixed else \
                sorted(set(self._found.get(name, [])) | set(self._pids(name)))
            total = 0.0
            for pid in pids:
                before, after = self._before.get(pid, 0.0), cpu_seconds(pid)
                if after is None and not fixed:
                    continue
                if before is None or after is None:
                    break
                total += after - before
            else:
                used[name] = total
        return used

    def _pids(self, name: str) -> list[int]:
        pids = self.groups[name]
        return list(pids()) if callable(pids) else pids


def per_update(cpu: Mapping[str, float], updates: int) -> str:
    """'bot 1.52, driver 0.61' (ms of CPU per update), in the groups' order."""
    if not cpu or updates <= 0:
        return ""
    return ", ".join(f"{name} {seconds / updates * 1000:.2f}" for name, seconds in cpu.items())
