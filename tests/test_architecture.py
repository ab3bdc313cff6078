"""The shape of the code: import contracts, small core modules, quiet imports (what the docs
say is checked in tests/test_docs.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from bots.cli import register_commands
from bots.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORE_MAX_LINES = 300


def _lint_imports() -> str:
    found = Path(sys.executable).parent / "lint-imports"
    return str(found) if found.exists() else (shutil.which("lint-imports") or "lint-imports")


def test_import_contracts_hold() -> None:
    """core imports no adapter, storage or framework; storage imports no adapter."""
    result = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower() or " 0 broken" in result.stdout


def test_core_modules_stay_small() -> None:
    """No module in core/ grows over 300 lines."""
    too_big = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "core").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > CORE_MAX_LINES
    }
    assert too_big == {}


PRIVATE_IMPORT = re.compile(r"^\s*(?:from|import) (?:telegram|slack_bolt|slack_sdk)(?:\.\w+)*\._",
                            re.MULTILINE)


def test_no_library_module_is_imported_by_its_private_name() -> None:
    """python-telegram-bot and Slack's private modules (`telegram._utils`,
    `telegram.request._requestparameter`) change in any release: only their public API."""
    found = {str(path.relative_to(ROOT)): PRIVATE_IMPORT.findall(path.read_text(encoding="utf-8"))
             for path in (ROOT / "bots").rglob("*.py")}
    assert {path: lines for path, lines in found.items() if lines} == {}


PRIVATE_CLIENT_CALL = re.compile(r"\bclient\._[a-z]\w*")


def test_no_private_method_of_slacks_web_client_is_called() -> None:
    """slack_sdk's WebClient is used through its public methods: its private ones
    (`client._upload_file`, files_upload_v2's helper) change in any release."""
    found = {str(path.relative_to(ROOT)): PRIVATE_CLIENT_CALL.findall(
                 path.read_text(encoding="utf-8"))
             for path in (ROOT / "bots").rglob("*.py")}
    assert {path: calls for path, calls in found.items() if calls} == {}


def test_empty_environment_runs_on_sqlite_without_tokens(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings() with nothing set: a SQLite file, no tokens, e-mail off."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.database_url == "sqlite:///helpdesk.db"
    assert settings.is_sqlite
    secrets = [n for n, f in Settings.model_fields.items() if "SecretStr" in str(f.annotation)]
    assert secrets
    assert all(getattr(settings, n) is None for n in secrets)
    assert settings.smtp() is None
    assert settings.slack_triage_channel is None


def test_command_modules_all_register() -> None:
    """Every module in bots/commands imports and registers its commands."""
    assert register_commands(typer.Typer()) == []


def test_nothing_happens_at_import(tmp_path: Path) -> None:
    """Importing the edges creates no database, file or thread."""
    code = ("import threading, bots.cli, bots.bootstrap, bots.runtime, bots.settings, bots.demo;"
            "bots.cli.register_commands(bots.cli.app);"
            "assert threading.active_count() == 1, threading.enumerate()")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                   timeout=60)
    assert list(tmp_path.iterdir()) == []


def test_a_one_shot_command_imports_only_what_it_uses(
        tmp_path: Path, new_db_url: Callable[[str], str]) -> None:
    """`helpdesk company list` imports its own command module, not the others' (the chat
    engine, the holidays), nor asyncio's threads, markdown, the stemmer's 30 languages or the
    ORM: each of the suite's ~250 `helpdesk` starts paid ~1 s of imports."""
    unused = ("bots.commands.tickets", "bots.commands.chat", "core.conversation", "holidays",
              "telegram", "slack_bolt", "bots.threads", "markdown_it", "snowballstemmer",
              "sqlalchemy.orm")
    code = ("import sys\nfrom bots import cli\ntry:\n    cli.main(['company', 'list'])\n"
            "except SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
            f"print(sorted(m for m in {unused!r} if m in sys.modules))")
    env = {**{k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields},
           "PYTHONPATH": str(ROOT), "DATABASE_URL": new_db_url("sqlite")}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "helpdesk company add" in result.stdout  # none yet: the command ran
    assert result.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", [["outbox", "status"], ["tickets", "list"],
                                     ["tickets", "show", "202601/0001"]])
def test_outbox_and_tickets_commands_import_no_chat_engine(
        tmp_path: Path, new_db_url: Callable[[str], str], command: list[str]) -> None:
    """`helpdesk outbox status` imported every command module (`outbox` was registered by a
    module of another name) and `tickets list` or `show` the chat engine with its every flow
    (for --month and the export's cells): the suite starts them ~100 times, ~0.3 s of CPU
    each."""
    unused = ("bots.commands.chat", "bots.commands.bench", "core.conversation", "telegram",
              "slack_bolt")
    code = (f"import sys\nfrom bots import cli\ntry:\n    cli.main({command!r})\n"
            "except SystemExit as exc:\n    assert exc.code in (0, 1, None), exc.code\n"
            f"print(sorted(m for m in {unused!r} if m in sys.modules))")
    env = {**{k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields},
           "PYTHONPATH": str(ROOT), "DATABASE_URL": new_db_url("sqlite")}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["chat", "--help"]])
def test_help_imports_no_chat_engine(tmp_path: Path, argv: list[str]) -> None:
    """`helpdesk --help` registers every command module: `chat`'s imported the whole chat
    engine (for a file name's shortening), 0.8 s of a 1.7 s start."""
    unused = ("core.conversation", "markdown_it", "telegram", "slack_bolt", "sqlalchemy.orm",
              "bots.terminal", "bots.app", "holidays")
    code = (f"import sys\nfrom bots import cli\ntry:\n    cli.main({argv!r})\n"
            "except SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
            f"print(sorted(m for m in {unused!r} if m in sys.modules))")
    env = {**{k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields},
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "--help" in result.stdout  # the help was shown
    assert result.stdout.splitlines()[-1] == "[]", result.stdout


def test_run_without_chat_tokens_imports_no_chat_library(tmp_path: Path) -> None:
    """`helpdesk run` with neither TELEGRAM_BOT_TOKEN nor SLACK_BOT_TOKEN (the outbox and the
    routines alone) imports neither python-telegram-bot nor Bolt (a fifth of its start) nor
    the chat engine (bots.app's file checks imported it whole: half of it)."""
    unused = ("telegram", "slack_bolt", "slack_sdk", "bots.telegram.channel",
              "bots.slack.channel", "holidays", "core.conversation")
    code = ("import sys\nfrom types import SimpleNamespace\n"
            "from bots.app import discover_channels\nfrom bots.settings import Settings\n"
            "assert discover_channels(SimpleNamespace(settings=Settings())) == []\n"
            f"print(sorted(m for m in {unused!r} if m in sys.modules))")
    env = {**{k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields},
           "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path / 'helpdesk.db'}"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
