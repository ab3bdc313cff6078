"""What the engine receives (UserInput) and answers (Reply): channel-neutral, ids only."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, Field

from core.conversation import report_words
from core.models import Attachment
from core.textmatch import ascii_digits, fold

MAX_CHOICE_ID = 40
MAX_LABEL = 60


class Expect(StrEnum):
    """The kind of answer the last prompt waits for."""

    TEXT = "text"
    CHOICE = "choice"
    FILES = "files"
    CONFIRM = "confirm"
    NONE = "none"


class Choice(BaseModel):
    """A button: what the user reads and the opaque id that comes back when clicked."""

    label: str
    id: str = Field(max_length=MAX_CHOICE_ID)
    words: str = ""
    """Other words that pick it when typed (a catalog entry's aliases); never shown."""


class FilePayload(BaseModel):
    """A file the user receives, e.g. the CSV export."""

    filename: str
    content: bytes
    mime: str = "application/octet-stream"


class Piece(BaseModel):
    """A run of a message: the catalog's words, or words a person typed with Markdown or Slack
    habits (an agent's solution), which a channel that formats shows bold, as code, linked."""

    text: str
    typed: bool = False
    breaks: bool = False
    """A section (a trâmite) starts here: a channel that cuts a long message cuts here first."""


class Reply(BaseModel):
    """One message to show; the last reply of a turn carries the current prompt."""

    text: str
    choices: list[Choice] = Field(default_factory=list)
    expect: Expect = Expect.NONE
    file: FilePayload | None = None
    markdown: str | None = None
    """The same message in Markdown, for a channel that shows bold and links (text is plain)."""
    pieces: list[Piece] = Field(default_factory=list)
    """The same message in runs, for a channel that formats what was typed (text is plain)."""
    typed_numbers: bool = False
    """Whether a number typed is the answer (a ticket's number), not the n-th choice: a
    channel that numbers its choices (the terminal) leaves it as typed."""


class Command(StrEnum):
    """What a user can type at any time (pt-BR words; English aliases are accepted)."""

    HELP = "ajuda"
    CANCEL = "cancelar"
    NEW = "novo"
    TICKETS = "tickets"
    TICKET = "ticket"
    SUMMARY = "resumo"
    EXPORT = "exportar"
    PROFILE = "perfil"
    KB = "kb"
    START = "start"
    MENU = "menu"
    CONTACT = "contato"
    QUEUE = "fila"
    REPORT = "relatorio"


ALIASES: dict[str, Command] = {
    **{c.value: c for c in Command},
    "help": Command.HELP, "cancel": Command.CANCEL, "new": Command.NEW,
    "summary": Command.SUMMARY, "export": Command.EXPORT, "profile": Command.PROFILE,
    "inicio": Command.START, "iniciar": Command.START, "abrir": Command.NEW,
    "chamado": Command.TICKET, "chamados": Command.TICKETS, "contact": Command.CONTACT,
    "queue": Command.QUEUE, "report": Command.REPORT,
    **dict.fromkeys(("sair", "exit", "quit"), Command.CANCEL),
}
LEAVE = frozenset({"sair", "exit", "quit"})
"""What a customer types to get out ("sair"): what is going on is left as cancelar leaves it
(something typed is dropped only once confirmed), with a goodbye; never a descrição nor a
trâmite (the terminal's chat ends at it before)."""
# Commands that make sense without an argument; typed bare (no slash) they are recognised
# only as the whole message, so a descrição that merely contains the word is never hijacked.
_BARE = {Command.HELP, Command.CANCEL, Command.NEW, Command.TICKETS, Command.SUMMARY,
         Command.EXPORT, Command.PROFILE, Command.MENU, Command.KB, Command.START,
         Command.CONTACT}
_WITH_ARG = {Command.TICKET, Command.KB, Command.START, Command.TICKETS}
_HEAD = re.compile(r"^/?([A-Za-zÀ-ÿ]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


class UserInput(BaseModel):
    """Exactly one of: free text, a clicked choice id, stored files (text: their caption),
    or a command."""

    text: str | None = None
    choice: str | None = None
    files: list[Attachment] = Field(default_factory=list)
    command: Command | None = None
    arg: str = ""
    said: str = ""
    """A command as typed ("chamados" is Command.TICKETS), to name it back so."""
    ref: str = ""
    """The channel's id of the message typed, so that a later edit of it can be matched."""
    by_number: bool = False
    """A choice picked by typing its number (the terminal's numbered options), not clicked."""

    @classmethod
    def of_text(cls, text: str) -> UserInput:
        """Free text as typed (use parse() to recognise commands first)."""
        return cls(text=text)

    @classmethod
    def of_choice(cls, choice_id: str) -> UserInput:
        """A button click carrying the choice id."""
        return cls(choice=choice_id)

    @classmethod
    def of_files(cls, files: list[Attachment], caption: str | None = None) -> UserInput:
        """Files the adapter already stored (by sha256), with the text sent along, if any."""
        return cls(files=files, text=(caption or "").strip() or None)

    @classmethod
    def of_command(cls, command: Command, arg: str = "") -> UserInput:
        """A command with its optional argument."""
        return cls(command=command, arg=arg.strip())

    @property
    def kind(self) -> str:
        """Which of the four kinds this input is."""
        if self.command is not None:
            return "command"
        if self.choice is not None:
            return "choice"
        if self.files:
            return "files"
        return "text"


_TO_MENU = frozenset({"voltar", "volta", "volte", "ir", "vai", "va", "para", "pra", "pro", "ao",
                      "a", "o", "principal", "inicial", "back", "go", "return", "to", "the",
                      "main", "please", "por", "favor"})
"""Words around "menu" that only ask for it ("menu principal", "back to the main menu")."""


def parse(text: str) -> UserInput:
    """Turn a typed message into a command (`/ticket 202611/0001`, `ajuda`) or plain text."""
    raw = (text or "").strip()
    words = fold(raw).split()
    if "menu" in words and set(words) - {"menu"} <= _TO_MENU:  # as "menu" alone, anywhere
        return UserInput.of_command(Command.MENU).model_copy(update={"said": raw})
    match = _HEAD.match(raw)
    if match is None:
        return UserInput.of_text(text)
    command = ALIASES.get(fold(match.group(1)).replace(" ", ""))
    arg = (match.group(2) or "").strip()
    if command is None:
        return UserInput.of_text(text)
    slash = raw.startswith("/")
    if slash or (not arg and command in _BARE) or (arg and command in _WITH_ARG and
                                                   _bare_arg_ok(command, arg)):
        return UserInput.of_command(command, arg).model_copy(update={"said": raw})
    return UserInput.of_text(text)


def as_staff_command(user_input: UserInput) -> UserInput:
    """An agent's bare "fila" ("queue") is the queue's command, as a bare "tickets" is
    everyone's: at a solution or a trâmite being written it is refused as "menu" is, not kept
    as the text. "relatório" alone or with its days ("relatório 7 dias") is the report's
    command wherever it is typed (shown as ajuda is; with a company's name it is a request only
    where requests run: staff_report.requested). A customer's stays a word (searched at the
    listing, kept as a matter)."""
    said = (user_input.text or "").strip()
    if user_input.kind != "text":
        return user_input
    if ALIASES.get(fold(said)) is Command.QUEUE:
        return UserInput.of_command(Command.QUEUE, "").model_copy(update={"said": said})
    if TAKE_NEXT.fullmatch(fold(said)):
        return UserInput.of_command(Command.QUEUE, NEXT).model_copy(update={"said": said})
    if (days := report_words.days_only(said)) is not None:
        return UserInput.of_command(Command.REPORT, days).model_copy(update={"said": said})
    return user_input


NEXT = "proximo"
"""`/fila proximo`: take the next ticket of the queue nobody has (Slack's /ticket proximo)."""
TAKE_NEXT = re.compile(
    r"(?:(?:assumir|assume|assumo|pegar|pega|pego|puxar|puxa|take|grab)"
    r"(?: (?:o|a|the))? (?:proximo|proxima|next)(?: (?:ticket|chamado|one))?"
    r"(?: (?:da|na|of the|in the) (?:fila|queue))?|(?:fila|queue) (?:proximo|next))")
"""An agent's words for it, a verb always: "assumir o próximo", "pegar o próximo da fila",
"take the next one"; "próximo ticket" shows the queue, a bare "próximo" turns a page."""


def _bare_arg_ok(command: Command, arg: str) -> bool:
    """Without a slash, accept only arguments that look like what the command takes."""
    if command == Command.TICKET:
        return re.fullmatch(r"#?(\d{6}\s*[/-]?\s*)?\d{1,6}", ascii_digits(arg)) is not None
    if command == Command.START:
        return re.fullmatch(r"[A-Za-z0-9-]{4,40}", arg) is not None
    return command == Command.KB and len(arg) <= 200
