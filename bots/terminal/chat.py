"""The terminal adapter: the same conversation as Telegram and Slack, on stdin/stdout.

Choices are printed as numbered options (type the number); a file is sent by typing
@path/to/file (or just the path while files are expected), words after it as its text;
`sair` ends the session.
"""

from __future__ import annotations

import logging
import re
import shlex
from pathlib import Path
from typing import TextIO

from bots.blobs import store_file
from bots.runtime import Desk
from bots.terminal import notice_files
from core.conversation import Command, Expect, Reply, UserInput, handle, parse, terminal_key
from core.conversation.engine import language_of
from core.conversation.identity import identify
from core.conversation_state import ConversationKey
from core.errors import Conflict, HelpdeskError
from core.i18n import t, without_buttons
from core.services.context import Ctx
from core.services.intake import plain

log = logging.getLogger(__name__)


def turn(ctx: Ctx, key: ConversationKey, user_input: UserInput) -> tuple[list[Reply], str]:
    """One input's replies, and the user's language after it (they may have changed it); the
    texts say to type an option's number, not to tap a button (the terminal numbers them)."""
    with without_buttons():
        replies = handle(ctx, key, user_input)
    return replies, language_of(ctx, identify(ctx, key))


def _is_file(path: Path) -> bool:
    """Whether the path names a file; a name too long for the system names none."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    """Whether the path names a folder; a name too long for the system names none."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _first_file(folder: Path) -> Path | None:
    """A file in the folder to show as an example, None when it has none (or is unreadable)."""
    try:
        return next((p for p in sorted(folder.iterdir())
                     if not p.name.startswith(".") and _is_file(p)), None)
    except OSError:
        return None


QUIT = {"sair", "/sair", "exit", "quit", "/quit"}
_TOKEN = re.compile(r"""@?"[^"]*"|@?'[^']*'|\S+""")
"""A word of a line, or a quoted path (with its @) holding spaces."""


def _unquoted(token: str) -> str:
    """A token without the quotes around it."""
    if len(token) > 1 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1]
    return token


def _looks_like_file(token: str) -> bool:
    """Whether a word reads as a path or a file's name ('prints/a.png', 'nota.pdf'), not as
    a word of a message ('veja', 'Ana,')."""
    name = _unquoted(token.removeprefix("@"))
    return "/" in name or re.fullmatch(r"[^\s]+\.[A-Za-z0-9]{1,5}", name) is not None


class TerminalChat:
    """Reads lines, turns them into inputs, prints the replies."""

    def __init__(self, desk: Desk, user_id: int, *, files_dir: str | Path, out_dir: str | Path,
                 stdin: TextIO, stdout: TextIO, language: str = "pt_BR",
                 log_file: Path | None = None) -> None:
        self.desk = desk
        self.user_id = user_id
        self.key = terminal_key(user_id)
        self.files_dir = Path(files_dir)
        self.out_dir = Path(out_dir)
        self.stdin = stdin
        self.stdout = stdout
        self.language = language
        self.prompt: Reply | None = None
        self.log_file = log_file

    def run(self) -> None:
        """Greet, then answer every line until EOF or `sair`."""
        self.echo(t("terminal.intro", self.language))
        self.notices()
        self.send(UserInput.of_command(Command.START))
        while True:
            self.notices()
            self.stdout.write("> ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                self.echo("")
                break
            text = plain(line.rstrip("\r\n"))  # no NUL, no escape sequence pasted in
            if not self.stdin.isatty():
                self.echo(text)  # piped input: show it, so the output reads as a transcript
            if text.strip().lower() in QUIT:
                break
            if not text.strip() and self.prompt is not None and self.prompt.choices \
                    and self.prompt.expect != Expect.TEXT:
                continue
            user_input = self.to_input(text)
            if user_input is not None:
                self.send(user_input)
        self.echo(t("terminal.bye", self.language))

    def notices(self) -> None:
        """The person's notices waiting (a trâmite from the agent, a priority changed, an
        approval asked), shown as Telegram and Slack push them, once: the outbox marks them
        sent; a trâmite's files saved in out_dir. One that cannot be read now is logged and
        shown at a later turn."""
        try:
            notices = self.desk.call(notice_files.take, self.user_id, self.language)
        except Exception:
            log.exception("the terminal notices of %s could not be read", self.key)
            return
        for notice in notices:  # a trâmite's files saved as a file sent here is received
            self.echo(t("terminal.notice", self.language, text=notice.text))
            for line in notice_files.save(self.files_dir, self.out_dir, notice, self.language):
                self.echo(line)
            self.echo("")

    def to_input(self, text: str) -> UserInput | None:
        """A number picks a choice; @path (or a path when files are expected) sends files."""
        raw = text.strip()
        prompt = self.prompt
        # "1" at "duplicado de qual?" is 202611/0001; "0003" is a ticket number's end
        if prompt is not None and prompt.choices and raw.isdecimal() and raw[0] != "0" \
                and not prompt.typed_numbers:
            index = int(raw)
            if 1 <= index <= len(prompt.choices):
                return UserInput.of_choice(prompt.choices[index - 1].id).model_copy(
                    update={"by_number": True})
        paths = self._paths(raw, prompt is not None and prompt.expect == Expect.FILES)
        if paths is not None and paths[0] == []:
            return None
        if paths is not None:
            try:
                return UserInput.of_files([store_file(self.files_dir, p) for p in paths[0]],
                                          paths[1])
            except (OSError, HelpdeskError) as exc:
                self.echo(self._error(exc))
                return None
        return parse(text)

    def _paths(self, raw: str, files_expected: bool) -> tuple[list[Path], str] | None:
        """The files a line names and the words typed with them, or None when it is not a
        file line ([] files: nothing to send, what to do was said)."""
        explicit = raw.startswith("@")
        if not explicit and not files_expected:
            return None
        if explicit and not raw.removeprefix("@").strip():  # "@" alone: not the folder "."
            self.echo(t("terminal.no_path", self.language))
            return [], ""
        whole = Path(raw.removeprefix("@").strip()).expanduser()
        if _is_file(whole):  # a path with spaces typed without quotes
            return [whole], ""
        if _is_dir(whole) and (explicit or "/" in raw):
            self._folders([whole])
            return [], ""
        if explicit:
            return self._named(raw)
        try:
            words = shlex.split(raw)
        except ValueError:
            words = [raw.strip()]
        paths = [Path(w).expanduser() for w in words if w]
        folders = [p for p in paths if _is_dir(p)] if "/" in raw else []
        if not (folders and all(_is_file(p) or _is_dir(p) for p in paths)):
            return (paths, "") if paths and all(_is_file(p) for p in paths) else None
        self._folders(folders)
        return [], ""

    def _named(self, raw: str) -> tuple[list[Path], str] | None:
        """'@tela.png @log.txt veja o erro': the files (the first ones, and any with an @),
        and the words after them as their text; a message when it names no file at all
        ('@Ana, obrigada pelo retorno')."""
        paths: list[Path] = []
        words: list[str] = []
        runs: list[list[int]] = []  # where each run of words is in the line: kept as typed
        for match in _TOKEN.finditer(raw):
            piece = match.group()
            if piece == "@":  # "@ tela.png"
                continue
            path = Path(_unquoted(piece.removeprefix("@"))).expanduser()
            named = piece.startswith("@") or (not words and (
                _is_file(path) or _is_dir(path) or _looks_like_file(piece)))
            if named:
                paths.append(path)
                runs.append([])
            else:
                words.append(piece)
                if not runs or not runs[-1]:
                    runs.append([match.start(), match.end()])
                runs[-1][1] = match.end()
        text = " ".join(raw[run[0]:run[1]] for run in runs if run)
        folders = [p for p in paths if _is_dir(p)]
        missing = [p for p in paths if not _is_file(p) and p not in folders]
        if words and len(missing) == len(paths) and not any(
                _looks_like_file(str(p)) for p in missing):
            return None
        if folders:  # not "not found": it is there, and what to send instead is said
            self._folders(folders)
        if missing or not paths:
            self.echo(t("terminal.no_file", self.language,
                        path="; ".join(map(str, missing)) or raw))
        if folders or missing or not paths:
            if words:
                self.echo(t("terminal.not_sent", self.language, text=text))
            return [], ""
        return paths, text

    def _folders(self, folders: list[Path]) -> None:
        """Say that each path is a folder and nothing was sent, with a file of it to send."""
        for folder in folders:
            example = _first_file(folder)
            if example is None:
                self.echo(t("terminal.folder.empty", self.language, path=str(folder)))
            else:
                self.echo(t("terminal.folder", self.language, path=str(folder),
                            example=str(example)))

    def send(self, user_input: UserInput) -> None:
        """Run the engine in one transaction (retrying once on a concurrent answer); a step
        that cannot be answered (a bug, the database gone) is said, logged, and the chat goes
        on, as in Telegram and Slack: nothing of it was saved."""
        for attempt in (1, 2):
            try:
                replies, self.language = self.desk.call(turn, self.key, user_input)
            except Exception as exc:
                if isinstance(exc, Conflict) and attempt == 1:
                    continue
                log.exception("terminal step of %s failed", self.key)
                language = self._language_now()
                self.echo(t("error.generic", language))
                if self.log_file is not None:
                    self.echo(t("terminal.error_logged", language, path=str(self.log_file)))
                self.echo("")
                return
            break
        self.render(replies)

    def _language_now(self) -> str:
        """The person's language, read in a transaction of its own (the step's rolled back);
        the last one known when even that read fails."""
        try:
            language: str = self.desk.call(
                lambda ctx: language_of(ctx, identify(ctx, self.key)))
        except Exception:
            log.warning("could not read the language of %s", self.key, exc_info=True)
            return self.language
        return language

    def render(self, replies: list[Reply]) -> None:
        """Print texts, numbered choices, and save files the user receives."""
        for reply in replies:
            self.echo(reply.text)
            for number, choice in enumerate(reply.choices, 1):
                self.echo(f"  {number}. {choice.label}")
            if reply.file is not None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                target = self.out_dir / Path(reply.file.filename).name
                target.write_bytes(reply.file.content)
                self.echo(t("terminal.saved", self.language, path=str(target)))
            if reply.choices or reply.expect != Expect.NONE:
                self.prompt = reply
        if self.prompt is not None and self.prompt.expect == Expect.FILES:
            self.echo(t("terminal.files_hint", self.language))
        self.echo("")

    def _error(self, exc: Exception) -> str:
        if isinstance(exc, HelpdeskError):
            from core.conversation.engine import error_text

            return error_text(exc, self.language)
        return t("terminal.no_file", self.language, path=str(getattr(exc, "filename", exc)))

    def echo(self, text: str) -> None:
        """Write a line."""
        self.stdout.write(text + "\n")
        self.stdout.flush()
