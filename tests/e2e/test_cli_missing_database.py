"""A command that reads what is there, run where there is no SQLite database (the wrong
folder, a mistyped DATABASE_URL): said in one line, and no empty database left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bots.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def helpdesk(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost")
    return subprocess.run([sys.executable, "-m", "bots.cli", *args], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=120, check=False, input="oi\n")


def test_reading_commands_on_a_missing_database_say_so_and_create_nothing(tmp_path: Path) -> None:
    for args in (["tickets", "list"], ["chat", "--email", "carla@mercadoexemplo.com.br"]):
        result = helpdesk(tmp_path, *args)
        assert result.returncode == 1, result.stdout + result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("erro: não há banco de dados em ")
        assert str(tmp_path / "helpdesk.db") in line
        assert "helpdesk demo" in line  # how to try it
        assert list(tmp_path.iterdir()) == []  # no empty database, no files folder

