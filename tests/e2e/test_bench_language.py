"""`python -m bench` and `helpdesk bench` follow LANGUAGE like the rest of the CLI: their help
and console lines were Portuguese whatever it said (BENCHMARKS.md stays English)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.runner import KEYS
from bots.cli import build_app
from bots.settings import Settings
from core.i18n import LANGUAGES, t

ROOT = Path(__file__).resolve().parents[2]


def bench(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bench ARGS` with only these settings."""
    base = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    base.update(PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost",
                no_proxy="127.0.0.1,localhost", **env)
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=cwd, env=base,
                          capture_output=True, text=True, timeout=280, check=False)


def test_python_m_bench_help_is_in_english_with_language_en(tmp_path: Path) -> None:
    out = bench(tmp_path, "--help", LANGUAGE="en").stdout
    assert "Measure the help desk's performance" in out
    assert "--only PART" in out
    assert "--output FILE.md" in out
    assert "Smaller N: a few seconds per part instead of" in out
    assert "Mede" not in out
    assert "cli." not in out
    pt = bench(tmp_path, "--help").stdout
    assert "Mede o desempenho do helpdesk" in pt
    assert "--only PARTE" in pt


def test_helpdesk_bench_help_is_in_english_with_language_en() -> None:
    result = CliRunner().invoke(build_app(), ["bench", "--help"], env={"LANGUAGE": "en"})
    assert result.exit_code == 0, result.output
    assert "Which database to measure: sqlite, postgres or" in result.output
    assert "--only PART" in result.output
    assert "Que banco" not in result.output
    assert "cli." not in result.output


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_s_help_names_every_part(language: str) -> None:
    """The parts are written in the catalog's text: it must not drift from bench.runner."""
    text = t("cli.help.bench.only", language)
    assert re.findall(r"[a-z]+", text.split(":", 1)[1]) == list(KEYS)


def test_the_console_lines_follow_language(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    result = bench(tmp_path, "--scale", "tiny", "--db", "sqlite", "--only", "memory",
                   "--output", str(report), LANGUAGE="en")
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"\d+/\d+ goals met in \d+ s\.", lines[-2]), lines
    assert lines[-1] == f"Report written to {report}."
    assert report.read_text(encoding="utf-8").startswith("# Benchmarks")
    wrong = bench(tmp_path, "--only", "speed", LANGUAGE="en")
    assert "unknown part: speed (use chat, registration, growth" in wrong.stderr
    assert "parte desconhecida: speed" in bench(tmp_path, "--only", "speed").stderr


def test_a_refused_setting_is_said_in_the_language(tmp_path: Path) -> None:
    """The part's failure quoted pydantic: 'ValidationError: 1 validation error for Settings
    outbox_workers Input should be greater than or equal to 1 [type=…'."""
    result = bench(tmp_path, "--scale", "tiny", "--db", "sqlite", "--only", "slack",
                   OUTBOX_WORKERS="0", LANGUAGE="en")
    assert "invalid setting: OUTBOX_WORKERS: must be at least 1" in result.stdout, result.stdout
    assert "Input should" not in result.stdout
    pt = bench(tmp_path, "--scale", "tiny", "--db", "sqlite", "--only", "slack",
               TELEGRAM_BOT_USERNAME="t.me/suporte").stdout
    assert "configuração inválida: TELEGRAM_BOT_USERNAME: o @usuário do bot" in pt, pt
    assert "settings.bot_username_refused" not in pt
