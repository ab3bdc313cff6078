"""Writing on a ticket (R7): a trâmite with text and files, asked for and sent."""

from __future__ import annotations

from core.conversation.attachments import worth_keeping
from core.conversation.contact import say_away
from core.conversation.fmt import file_names, fit_told, joined
from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, register
from core.conversation_state import ConversationState
from core.errors import InvalidInput
from core.models import Attachment
from core.services import articles_sent, queries, tramites

MAX_FILES = 20
SENT_NOW = "tramite_sent"
"""The trâmite this step sent and the messages it came from (read by edits.remember)."""


def shown_ticket_id(turn: Turn) -> int:
    """The ticket whose page is shown (re-checked against the user wherever it is used)."""
    value = turn.section("ticket").get("id")
    if not isinstance(value, int):
        raise InvalidInput("conv.error.not_offered")
    return value


def begin(turn: Turn, ticket_id: int, note: bool = False) -> None:
    """Start a trâmite (an agent's internal note when `note`) for a ticket: no text or files
    yet."""
    turn.section("tramite").update({"ticket_id": ticket_id, "files": [], "note": note})


def _note(turn: Turn) -> bool:
    """Whether what is being written is an agent's internal note."""
    return bool(turn.section("tramite").get("note")) and turn.user.is_staff


def keep_said(turn: Turn, text: str) -> None:
    """Add a message to the trâmite on offer; past what a trâmite holds, what fits is kept
    and the user told where it stops (they send or drop it)."""
    section = turn.section("tramite")
    said = joined(section.get("said"), text)
    if said != section.get("said"):  # a message sent again as it was is not joined twice
        section["parts"] = section.get("parts", 0) + 1
    section["said"] = fit_told(turn, said, "conv.tramite.cut")


def collect(turn: Turn, files: list[Attachment]) -> None:
    """Add files to the trâmite being written, up to MAX_FILES."""
    files = worth_keeping(turn, files_of(turn), files)
    kept = turn.section("tramite").setdefault("files", [])
    if len(kept) + len(files) > MAX_FILES:
        raise InvalidInput("conv.intake.too_many_files", max=MAX_FILES)
    kept.extend(a.unattached().model_dump(mode="json") for a in files)


def files_of(turn: Turn) -> list[Attachment]:
    """The files of the trâmite being written."""
    return [Attachment.model_validate(a) for a in turn.section("tramite").get("files", [])]


def ask_tramite(turn: Turn) -> None:
    """Text and/or files for a new public trâmite (R7)."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    files = files_of(turn)
    key = "conv.tramite.ask_note" if _note(turn) else \
        "conv.tramite.ask_staff" if turn.user.is_staff else "conv.tramite.ask"
    text = turn.t(key, number=ticket.number)
    choices = []
    if files:
        text += "\n" + turn.t("conv.intake.anexos_so_far", count=len(files),
                              names=file_names(files))
        choices.append((turn.t("conv.tramite.send_files"), "send"))
    choices.append((turn.t("conv.tramite.back"), "back"))
    turn.ask("ticket.tramite", text, choices, Expect.TEXT)


def send(turn: Turn, text: str | None, internal: bool = False) -> None:
    """Add the trâmite (or, for staff, the internal note) with the files kept; the page again."""
    ticket_id = shown_ticket_id(turn)
    if turn.user.is_staff and text and (bang := articles_sent.MARKER.match(text)):
        send_article(turn, ticket_id, text[bang.end():])  # "!artigo nfe", as in Slack
        return
    if turn.user.is_staff and text:  # "!nota …" is a note wherever an agent types it
        marked, rest = tramites.split_note(text)
        mistyped = tramites.MARKER_LIKE.match(text)
        if mistyped and not (internal or marked):  # "! nota", "!notas": meant for the team
            raise InvalidInput("conv.tramite.unknown_marker", marker=mistyped.group(1))
        internal, text = internal or marked, rest if marked else text
    add = tramites.add_internal_note if internal else tramites.add_tramite
    add(turn.ctx, turn.user.id or 0, ticket_id, text, files_of(turn))
    ticket = queries.detail(turn.ctx, turn.user.id or 0, ticket_id).ticket
    note_sent(turn, ticket_id, text, list(turn.section("tramite").get("typed") or {}))
    turn.leave("tramite")
    turn.say("conv.tramite.note_added" if internal else "conv.tramite.added",
             number=ticket.number)
    say_away(turn)
    turn.go("ticket.view")


def send_article(turn: Turn, ticket_id: int, words: str) -> None:
    """Send the knowledge-base article the words name (R9), and the files kept with it as a
    trâmite of their own; the page again."""
    article = articles_sent.article_named(turn.ctx, words)
    entry = articles_sent.send_article(turn.ctx, turn.user.id or 0, ticket_id, article)
    if files := files_of(turn):
        tramites.add_tramite(turn.ctx, turn.user.id or 0, ticket_id, None, files)
    note_sent(turn, ticket_id, entry.text)
    turn.leave("tramite")
    ticket = queries.detail(turn.ctx, turn.user.id or 0, ticket_id).ticket
    turn.say("conv.staff.article_sent", title=article.title, number=ticket.number)
    turn.go("ticket.view")


def note_sent(turn: Turn, ticket_id: int, text: str | None, refs: list[str] | None = None
              ) -> None:
    """This step put `text` in the ticket's thread: the message it came from (typed now, or
    `refs`) is linked to the ticket, for an edit of it (core.conversation.edits.remember)."""
    turn.data[SENT_NOW] = {"ticket_id": ticket_id, "text": text or "", "refs": refs or []}


def on_tramite_text(turn: Turn, text: str) -> None:
    """Send the trâmite with the files collected so far; an empty line sends nothing (files
    go alone only by their button)."""
    if not text.strip():
        raise InvalidInput("conv.tramite.empty_with_files" if files_of(turn) else
                           "conv.tramite.empty")
    if len(text.strip()) > turn.ctx.policy.text_max:  # what fits, to send or drop
        keep_said(turn, text)
        turn.go("ticket.said")
        return
    send(turn, text, _note(turn))


def on_tramite_files(turn: Turn, files: list[Attachment]) -> None:
    """Collect files; they go with the text (or alone with 'send'). Files sent with a caption
    are a whole message: the trâmite goes at once, the caption as its text."""
    collect(turn, files)
    if turn.caption:
        send(turn, turn.caption, _note(turn))
        return
    turn.say("conv.intake.anexos_received", names=file_names(files))
    turn.go("ticket.tramite")


def on_tramite_choice(turn: Turn, value: str) -> None:
    """Send the files alone, or go back to the ticket: files sent meanwhile are offered to
    send or discard there, never dropped unsaid."""
    if value == "send":
        send(turn, None, _note(turn))
        return
    if files_of(turn):
        turn.go("ticket.said")
        return
    turn.leave("tramite")
    turn.go("ticket.view")


UNSENT = "conv.error.busy_tramite"


def busy(state: ConversationState) -> bool:
    """Whether words or files wait to be sent."""
    tramite = state.data.get("tramite") or {}
    return bool(tramite.get("files") or tramite.get("said"))


register(
    Step("ticket.tramite", ask_tramite, on_choice=on_tramite_choice, on_text=on_tramite_text,
         on_files=on_tramite_files, busy=busy, busy_key=UNSENT, numbers_are_options=True),
)
