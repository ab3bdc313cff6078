"""`python -m bench` with tiny N, so the benchmarks never rot (BENCHMARKS.md has the real run)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.runner import PARTS

ROOT = Path(__file__).resolve().parents[2]
KINDS = [k for k in ("sqlite", "postgres")
         if os.environ.get("HELPDESK_TEST_DB", "all") in ("all", k)]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("kind", KINDS)
def test_every_part_runs_with_tiny_n_and_writes_the_report(kind: str, tmp_path: Path) -> None:
    """Every part measures on this database, prints the table and writes the Markdown."""
    report = tmp_path / "BENCHMARKS.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1,localhost",
           "no_proxy": "127.0.0.1,localhost"}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "tiny", "--db", kind, "--output", str(report)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=280, check=False)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert "não medido" not in result.stdout, result.stdout
    text = report.read_text(encoding="utf-8")
    for part in PARTS:
        assert f"## {part.title}" in text, part.title
        assert part.title in result.stdout
    for field in ("CPU", "cores", "RAM", "Python", "SQLite", "PostgreSQL", "SQLAlchemy",
                  "python-telegram-bot", "date"):
        assert f"| {field} |" in text
    assert f"| {kind} |" in text
    # On PostgreSQL a burst's CPU per update has the server's share: its backends serving ours.
    bursts = [line for line in text.splitlines()
              if line.startswith(f"- {kind}") and "burst updates/s" in line]
    assert bursts, text
    for note in bursts:
        database = re.search(r"driver \d+\.\d\d, database \d+\.\d\d; bare", note)
        assert (database is not None) == (kind == "postgres"), note
    # The chat part's bursts with TELEGRAM_CHAT_PROCESSES (2, the default): polling and
    # webhook; each burst's note says where its CPU went, ours by process role beside the bare
    # bot's. (This was a run of its own, `--only chat` on SQLite: the same part as here; the
    # option itself is run by test_bench_language.)
    rows = [line for line in result.stdout.splitlines() if "TELEGRAM_CHAT_PROCESSES=2" in line]
    assert len(rows) == 2, result.stdout
    assert len(bursts) == 4, bursts
    server = r", database \d+\.\d\d" if kind == "postgres" else ""
    for note in bursts:
        assert re.search(r"; bare: bot \d+\.\d\d, driver \d+\.\d\d$", note), note
        # The bot's Bot API requests per update, by method, beside the bare bot's total: of an
        # intake's 9 updates, 3 answers are new messages and 6 (the clicks of the guided
        # questions, the priority and Registrar) the clicked message edited
        # (bots.telegram.form). Then, if any, how many 'typing…' the answer followed at once.
        assert re.search(r"Bot API requests per update: ours \d+\.\d\d \((?=[^)]*sendMessage "
                         r"0\.33)(?=[^)]*editMessageText 0\.67).*\), bare \d+\.\d\d"
                         r"(; of \d+ 'typing…', \d+ answered within 1 s)?; CPU", note), note
    with_processes = [n for n in bursts if "TELEGRAM_CHAT_PROCESSES=2" in n]
    assert len(with_processes) == 2, bursts
    for note in with_processes:
        assert re.search(r"CPU per update \(ms\): router \d+\.\d\d, chat processes "
                         rf"\d+\.\d\d, driver \d+\.\d\d{server};", note), note
    for note in set(bursts) - set(with_processes):
        assert re.search(rf"CPU per update \(ms\): bot \d+\.\d\d, driver \d+\.\d\d{server};",
                         note), note
