"""`helpdesk` as a subprocess for end-to-end tests: one-shot commands and `helpdesk run`."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from bots.settings import setting_names
from core.i18n import LANGUAGES, t

ROOT = Path(__file__).resolve().parents[2]


def said(key: str, text: str, **groups: str) -> re.Match[str] | None:
    """The first line of `text` that says the catalog's `key`, in whichever language (LANGUAGE)
    the process speaks; each named parameter matched by its pattern, the others by anything."""
    for lang in LANGUAGES:
        marks = {name: f"\x00{name}\x00" for name in groups}
        pattern = re.escape(t(key, lang, **marks))
        for name, group in groups.items():
            pattern = pattern.replace(re.escape(marks[name]), f"(?P<{name}>{group})")
        pattern = re.sub(r"\\\{\w+\\\}", ".*?", pattern)  # a parameter not given
        found = re.search(pattern, text)
        if found:
            return found
    return None


def running(text: str) -> bool:
    """Whether a `helpdesk run` said it is running (its start is over)."""
    return said("run.running", text) is not None


def clean_env(db_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `helpdesk` subprocess: none of ours leaks in."""
    ours = setting_names()
    env = {k: v for k, v in os.environ.items() if k.lower() not in ours}
    env.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost",
               no_proxy="127.0.0.1,localhost", HTTP_PORT="0", LOG_LEVEL="INFO",
               SWEEP_INTERVAL_SECONDS="3600", OUTBOX_POLL_SECONDS="0.1",
               OUTBOX_RETRY_BASE_SECONDS="0.2", OUTBOX_RETRY_MAX_SECONDS="1")
    env.update(extra)
    return env


def helpdesk(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one `helpdesk` command to completion."""
    return subprocess.run([sys.executable, "-m", "bots.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def in_process(db_url: str, *args: str, cwd: Path, **env: str) -> str:
    """Run one `helpdesk` command in this process (typer's CliRunner), as `helpdesk` with
    clean_env would, and return what it printed: for the data a test sets up before the step it
    checks, which keeps its own process. A `helpdesk` process spends over a second of CPU on its
    imports; here they are done already."""
    from typer.testing import CliRunner

    from bots.cli import build_app
    from bots.clikit import container

    ours = setting_names()
    unset: dict[str, str | None] = {k: None for k in os.environ if k.lower() in ours}
    container.cache_clear()  # the process's container is built once: this command's settings
    try:
        with contextlib.chdir(cwd):  # where the command would run: its .env, its files
            result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False,
                                        env={**unset, "DATABASE_URL": db_url, **env})
    finally:
        if container.cache_info().currsize:
            container().close()
        container.cache_clear()
    assert result.exit_code == 0, result.output
    return result.stdout


class Running:
    """A `helpdesk run` subprocess with its log in a file."""

    started: ClassVar[list[Running]] = []
    """Every one started, for `kill_left`."""

    def __init__(self, env: dict[str, str], cwd: Path, name: str) -> None:
        self.log = cwd / f"{name}.log"
        self._out = self.log.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "bots.cli", "run"], cwd=cwd,
                                     env=env, stdout=self._out, stderr=subprocess.STDOUT)
        self.url = ""
        Running.started.append(self)

    @classmethod
    def kill_left(cls) -> int:
        """Kill the ones a failed test left running (they went on serving the database the
        next test was given); how many there were."""
        left = [r for r in cls.started if r.proc.poll() is None]
        for run in left:
            run.kill9()
        cls.started.clear()
        return len(left)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, within: float = 60.0) -> None:
        deadline = time.monotonic() + within
        while not running(self.text()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"helpdesk run did not start:\n{self.text()}")
            time.sleep(0.1)
        found = said("run.http_listening", self.text(), url=r"http://\S+")
        self.url = found.group("url") if found else ""

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self._out.close()

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(60)
        self._out.close()
        return code


def wait_for(check: Callable[[], bool], within: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met in {within} s")
        time.sleep(0.05)
