"""`helpdesk chat` logs to CHAT_LOG_FILE, not stderr: a failed step printed its traceback between
the lines of the conversation; now the person reads, in their language, where it went."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_terminal_chat import CARLA, ROOT, demo

from bots.settings import Settings

BROKEN = '''
from core.conversation import commands


def broken(*_args):
    raise RuntimeError("a bug in a step")


commands.run = broken
'''


def broken_chat(workdir: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    """`helpdesk chat` as Carla, with a bug in the commands' step (help, profile…)."""
    hook = workdir / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(BROKEN, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(DATABASE_URL=f"sqlite:///{workdir / 'helpdesk.db'}",
               PYTHONPATH=f"{hook}{os.pathsep}{ROOT}", NO_PROXY="127.0.0.1,localhost",
               no_proxy="127.0.0.1,localhost")
    return subprocess.run([sys.executable, "-m", "bots.cli", "chat", "--email", CARLA],
                          cwd=workdir, env=env, input=stdin, capture_output=True, text=True,
                          timeout=120, check=False)


def test_a_failed_step_says_where_its_log_went_and_stderr_stays_clean(tmp_path: Path,
                                                                     demo_dir: Path) -> None:
    demo(demo_dir, tmp_path)
    result = broken_chat(tmp_path, "ajuda\nsair\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    log = tmp_path / "helpdesk-chat.log"
    assert "Algo deu errado. Tente de novo.\n(Os detalhes do erro foram gravados em " \
           f"{log}.)\n" in result.stdout
    assert result.stdout.rstrip().endswith("Até logo!")
    written = log.read_text(encoding="utf-8")
    assert "ERROR bots.terminal.chat: terminal step of" in written
    assert "RuntimeError: a bug in a step" in written


def test_chat_log_file_puts_it_elsewhere_and_english_says_so(tmp_path: Path,
                                                             demo_dir: Path) -> None:
    demo(demo_dir, tmp_path)
    (tmp_path / ".env").write_text("CHAT_LOG_FILE=logs/chat.log\nLANGUAGE=en\n")
    result = broken_chat(tmp_path, "help\nquit\n")
    assert result.stderr == ""
    log = tmp_path / "logs" / "chat.log"
    assert f"Something went wrong. Please try again.\n(The error's details were written to " \
           f"{log}.)\n" in result.stdout
    assert "RuntimeError: a bug in a step" in log.read_text(encoding="utf-8")
    assert not (tmp_path / "helpdesk-chat.log").exists()


def test_a_chat_log_file_it_cannot_write_stops_the_chat_with_one_line(tmp_path: Path,
                                                                       demo_dir: Path) -> None:
    demo(demo_dir, tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / ".env").write_text("CHAT_LOG_FILE=a-file/chat.log\n")
    result = broken_chat(tmp_path, "sair\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "erro: não foi possível gravar o log do chat em " \
                                    f"CHAT_LOG_FILE ({tmp_path}/a-file/chat.log): " \
                                    "parte do caminho não é uma pasta"
    assert "Olá" not in result.stdout


def test_a_chat_where_nothing_goes_wrong_leaves_no_log_file(tmp_path: Path,
                                                             demo_dir: Path) -> None:
    demo(demo_dir, tmp_path)
    (tmp_path / ".env").write_text("CHAT_LOG_FILE=logs/chat.log\n")
    result = broken_chat(tmp_path, "sair\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("Até logo!")
    assert not (tmp_path / "logs").exists()
    assert not (tmp_path / "helpdesk-chat.log").exists()

