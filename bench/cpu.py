"""CPU time of whole processes (user + system, all threads), where /proc tells it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


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

    def __init__(self, groups: Mapping[str, list[int]]) -> None:
        self.groups = {name: list(pids) for name, pids in groups.items()}
        self._before: dict[int, float | None] = {}

    def start(self) -> None:
        """Read every process's CPU time now."""
        self._before = {pid: cpu_seconds(pid) for pids in self.groups.values() for pid in pids}

    def stop(self) -> dict[str, float]:
        """Seconds of CPU per group since start(); a group with a process unread is left out."""
        used: dict[str, float] = {}
        for name, pids in self.groups.items():
            total = 0.0
            for pid in pids:
                before, after = self._before.get(pid), cpu_seconds(pid)
                if before is None or after is None:
                    break
                total += after - before
            else:
                used[name] = total
        return used


def per_update(cpu: Mapping[str, float], updates: int) -> str:
    """'bot 1.52, driver 0.61' (ms of CPU per update), in the groups' order."""
    if not cpu or updates <= 0:
        return ""
    return ", ".join(f"{name} {seconds / updates * 1000:.2f}" for name, seconds in cpu.items())
