"""`helpdesk chat --email EMAIL`: the customer conversation in the terminal, no token needed."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from io import TextIOWrapper
from pathlib import Path
from typing import Annotated

import typer

from bots.blobs import require_files_dir
from bots.clikit import existing_container, fail, file_failed, user_by_email


def chat(
    email: Annotated[str, typer.Option(
        "--email", metavar="EMAIL", help="cli.help.chat.email")],
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", metavar="cli.metavar.folder", help="cli.help.chat.out_dir")
    ] = Path("."),
) -> None:
    """Run the customer conversation in the terminal."""
    from bots.terminal.chat import TerminalChat

    box = existing_container()
    try:
        require_files_dir(box.settings.files_dir, box.settings.language)
        user = box.desk.call(user_by_email, email)
        if user.id is None:
            fail("cli.user_without_id")
        if not user.active:  # the chat would greet a stranger and ask for an invite code
            fail("terminal.inactive", language=user.language or box.settings.language,
                 email=user.email)
        with _log_to_file(box.settings.chat_log_file, box.settings.log_level) as log_file:
            TerminalChat(box.desk, user.id, files_dir=box.settings.files_dir, out_dir=out_dir,
                         stdin=sys.stdin, stdout=sys.stdout, log_file=log_file,
                         language=user.language or box.settings.language).run()
    finally:
        box.close()


@contextmanager
def _log_to_file(path: str, level: str) -> Iterator[Path]:
    """Send the process's log records to CHAT_LOG_FILE meanwhile, made at the first record."""
    # on stderr a traceback landed in the middle of the conversation
    where = Path(os.path.abspath(Path(path).expanduser()))
    try:
        _check_writable(where)
    except OSError as exc:
        file_failed("cli.chat_log_unusable", where, exc)
    handler = _LazyFileHandler(where, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield where
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
        handler.close()


class _LazyFileHandler(logging.FileHandler):
    """A FileHandler that makes the file's folders when it opens it, at the first record."""

    def _open(self) -> TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def _check_writable(where: Path) -> None:
    """Raise OSError if the log file could not be written; leave no file or folder behind."""
    if where.exists():
        with open(where, "a", encoding="utf-8"):
            return
    made: list[Path] = []
    folder = where.parent
    while not folder.exists():
        made.append(folder)
        folder = folder.parent
    try:
        for step in reversed(made):
            step.mkdir()
        with open(where, "x", encoding="utf-8"):
            pass
        where.unlink()
    finally:
        for step in made:
            if step.exists():
                step.rmdir()


def register(app: typer.Typer) -> None:
    """Add the `chat` command."""
    app.command("chat", help="cli.help.chat")(chat)
