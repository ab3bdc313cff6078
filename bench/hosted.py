"""`helpdesk run` as a subprocess on a benchmark database, as an operator starts it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

from bench.driver import ROOT
from core.i18n import LANGUAGES, t


def clean_env(db_url: str, **extra: str) -> dict[str, str]:
    """The process environment: no helpdesk setting of ours leaks in; production defaults."""
    from bots.settings import setting_names

    ours = setting_names()
    env = {k: v for k, v in os.environ.items() if k.lower() not in ours}
    env.update(DATABASE_URL=db_url, NO_PROXY="127.0.0.1,localhost",
               no_proxy="127.0.0.1,localhost", HTTP_HOST="127.0.0.1", HTTP_PORT="0",
               LOG_LEVEL="INFO", SWEEP_INTERVAL_SECONDS="3600",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    env.update(extra)
    return env


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


class HelpdeskRun:
    """`with HelpdeskRun(env) as run:` a started `helpdesk run`; SIGTERM and wait at exit."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self._dir = tempfile.TemporaryDirectory(prefix="helpdesk-bench-run-")
        self.log = Path(self._dir.name) / "helpdesk.log"
        self.env.setdefault("FILES_DIR", str(Path(self._dir.name) / "files"))
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> HelpdeskRun:
        out = self.log.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "bots.cli", "run"],
                                     cwd=self._dir.name, env=self.env, stdout=out,
                                     stderr=subprocess.STDOUT)
        out.close()
        deadline = time.monotonic() + 60
        # The lines follow LANGUAGE: either catalog's words.
        ready = [t("run.running", lang) for lang in LANGUAGES]
        while not any(words in self.text() for words in ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"helpdesk run did not start:\n{self.text()[-3000:]}")
            time.sleep(0.1)
        listening = "|".join(re.escape(t("run.http_listening", lang, url="\0")).replace(
            re.escape("\0"), r"(http://\S+)") for lang in LANGUAGES)
        found = re.search(listening, self.text())
        self.url = next((g for g in found.groups() if g), "") if found else ""
        return self

    def text(self) -> str:
        """Everything the process logged."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    @property
    def pid(self) -> int:
        """The process id."""
        assert self.proc is not None
        return self.proc.pid

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(60)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
        finally:
            self._dir.cleanup()
