"""Writing on a ticket (R7): a trâmite with text and files, and words or files sent while its
page is shown, kept and offered as its trâmite."""

from __future__ import annotations

from core.conversation import matter, smalltalk
from core.conversation.attachments import worth_keeping
from core.conversation.fmt import fit_told, preview
from core.conversation.intake import BACK_WORDS
from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, register
from core.conversation_state import ConversationState
from core.errors import InvalidInput
from core.models import Attachment, Status, Ticket
from core.services import queries, tramites
from core.textmatch import fold

MAX_FILES = 20


def shown_ticket_id(turn: Turn) -> int:
    """The ticket whose page is shown (re-checked against the user wherever it is used)."""
    value = turn.section("ticket").get("id")
    if not isinstance(value, int):
        raise InvalidInput("conv.error.not_offered")
    return value


def on_view_text(turn: Turn, text: str) -> None:
    """Words typed at a ticket's page: a message for an open ticket is kept and offered as its
    trâmite (and to staff, on a closed one too, as an internal note), for a closed one as a
    new ticket; small talk is answered in kind."""
    view = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn))
    ticket = view.ticket
    if not matter.is_matter(text):
        talk = smalltalk.kind(text)
        if talk is None:
            raise InvalidInput("conv.error.choose")
        turn.say(f"conv.smalltalk.{talk}", name=turn.user.name.split(" ")[0])
        turn.go("ticket.view")
        return
    if ticket.is_open or turn.user.is_staff:
        begin(turn, ticket.id or 0)
        _keep_said(turn, text)
        turn.go("ticket.said")
    elif not _not_open(turn, ticket, text, []) and not matter.offer_typed(turn, text):
        _refuse_closed(ticket)


def _not_open(turn: Turn, ticket: Ticket, text: str | None, files: list[Attachment]) -> bool:
    """Why a closed or rejected ticket takes no trâmite; then a duplicate's open original
    is offered the words and files as its trâmite (True), a closed ticket is named by the new
    ticket they may open (R7, R18)."""
    original = turn.ctx.uow.tickets.get(ticket.duplicate_of_id or 0)
    kind = "duplicate" if original is not None else \
        "rejected" if ticket.status == Status.REJECTED else "closed"
    turn.say(f"conv.tramite.not_open_{kind}", number=ticket.number,
             original=original.number if original else "")
    if ticket.status == Status.CLOSED:
        matter.follows(turn, ticket.number)
    if original is not None and original.is_open and not turn.user.is_staff:
        offer_on(turn, original.id or 0, (text or "").strip() or None, files)
        return True
    return False


def on_view_files(turn: Turn, files: list[Attachment]) -> None:
    """Files sent at an open ticket's page are offered as a trâmite, with their caption; at
    a closed one's, as a new ticket's anexos (or a duplicate's original's trâmite)."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    if not ticket.is_open and (turn.user.is_staff or not turn.user.trained):
        _refuse_closed(ticket)
    if not ticket.is_open:
        if not _not_open(turn, ticket, turn.caption, files):
            matter.on_menu_files(turn, files)
        return
    begin(turn, ticket.id or 0)
    on_said_files(turn, files)


def offer_said(turn: Turn, ticket_id: int, text: str) -> None:
    """Offer words typed elsewhere (a question at the billing prompt) as the ticket's trâmite."""
    turn.section("ticket")["id"] = ticket_id
    begin(turn, ticket_id)
    _keep_said(turn, text)
    turn.go("ticket.said")


def offer_later(turn: Turn, ticket: Ticket) -> bool:
    """Decidir depois at the approval question (R19): words and prints kept there for the
    reason are offered as the ticket's trâmite (Enviar or Descartar), not dropped; False when
    nothing was kept."""
    closing = turn.section("closing")
    said, files = closing.get("said"), closing.get("files") or []
    if not said and not files:
        return False
    turn.leave("closing")
    offer_on(turn, ticket.id or 0, said, [Attachment.model_validate(f) for f in files],
             "conv.closing.later_kept")
    return True


def offer_on(turn: Turn, ticket_id: int, said: str | None, files: list[Attachment],
             offer: str | None = None) -> None:
    """Offer words and files sent elsewhere as a ticket's trâmite: Enviar or Descartar."""
    turn.section("ticket")["id"] = ticket_id
    turn.section("tramite").update(ticket_id=ticket_id, said=said, offer=offer,
                                   files=[a.unattached().model_dump(mode="json") for a in files])
    turn.go("ticket.said")


def begin(turn: Turn, ticket_id: int) -> None:
    """Start a trâmite for a ticket: no text or files yet."""
    turn.section("tramite").update({"ticket_id": ticket_id, "files": []})


def _refuse_closed(ticket: Ticket) -> None:
    key = "error.ticket_rejected" if ticket.status == Status.REJECTED else "error.ticket_closed"
    raise InvalidInput(key, number=ticket.number)


def _keep_said(turn: Turn, text: str) -> None:
    """Add a message to the trâmite on offer; past what a trâmite holds, what fits is kept
    and the user told where it stops (they send or drop it)."""
    section = turn.section("tramite")
    said = "\n".join(filter(None, [section.get("said"), text.strip()]))
    section["said"] = fit_told(turn, said, "conv.tramite.cut")


def ask_said(turn: Turn) -> None:
    """Show what was typed (and sent) at the ticket's page; send it as a trâmite or drop it."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    section = turn.section("tramite")
    files = _files(turn)
    lines = []
    if section.get("said"):
        lines.append(turn.t("conv.tramite.said", text=preview(section["said"], 500)))
    if files:
        lines.append(turn.t("conv.intake.anexos_so_far", count=len(files),
                            names=", ".join(a.filename for a in files)))
    offer = "conv.tramite.offer_staff" if turn.user.is_staff else "conv.tramite.offer"
    marked = turn.user.is_staff and (tramites.split_note(section.get("said") or "")[0]
                                     or bool(section.get("note_only")))
    if marked:  # "!nota …" or kept for the team: a note whichever button, no public one
        offer = "conv.tramite.offer_marked_note"
    offer = section.get("offer") or offer  # words an action could not take: said why
    if not ticket.is_open:  # staff only: a closed ticket takes notes, not trâmites
        offer = "conv.tramite.offer_note" + (
            "_rejected" if ticket.status == Status.REJECTED else "")
    lines.append(turn.t(offer, number=ticket.number))
    choices = [(turn.t("conv.tramite.send_said"), "send"), (turn.t("conv.tramite.drop"), "drop")]
    if turn.user.is_staff:  # what the Slack thread does with "!nota"
        choices.insert(1, (turn.t("conv.tramite.send_note"), "note"))
    if marked or not ticket.is_open:
        choices.pop(0)
    turn.ask("ticket.said", "\n".join(lines), choices)


def on_said(turn: Turn, value: str) -> None:
    """Send the message kept as a trâmite, or drop it and show the ticket again."""
    if value in ("send", "note"):
        section = turn.section("tramite")
        _send(turn, section.get("said") or None,
              internal=value == "note" or bool(section.get("note_only")))
        return
    if value != "drop":
        raise InvalidInput("conv.error.not_offered")
    turn.leave("tramite")
    turn.say("conv.tramite.dropped")
    turn.go("ticket.view")


def offer_kept(turn: Turn, text: str, offer: str, note_only: bool = True) -> None:
    """Keep words an action could not take (a colleague acted meanwhile) and offer them, saying
    so with `offer`, as an internal note of the ticket (or a trâmite, unless `note_only`) or
    Descartar: nothing is lost."""
    _keep_said(turn, text)
    turn.section("tramite").update(offer=offer, note_only=note_only)
    turn.go("ticket.said")


SEND_WORDS = frozenset({"enviar", "envia", "envie", "manda", "mandar", "send", "it"})
DROP_WORDS = frozenset({"descarta", "descartar", "descarte", "esquece", "deixa", "apaga",
                        "drop", "discard", "it"})


def on_said_text(turn: Turn, text: str) -> None:
    """"sim, pode enviar" sends the message on offer, "não, descarta" drops it; another
    message goes with the first."""
    answer = smalltalk.yes_or_no(text, SEND_WORDS, DROP_WORDS)
    if fold(text) in BACK_WORDS:  # no part of the message: it waits for Enviar or Descartar
        raise InvalidInput(UNSENT, command=text.strip())
    if answer is not None:
        on_said(turn, "send" if answer else "drop")
        return
    _keep_said(turn, text)
    turn.go("ticket.said")


def on_said_files(turn: Turn, files: list[Attachment]) -> None:
    """Files join the trâmite on offer, their caption its text."""
    _collect(turn, files)
    if turn.caption:
        _keep_said(turn, turn.caption)
    turn.go("ticket.said")


def _collect(turn: Turn, files: list[Attachment]) -> None:
    """Add files to the trâmite being written, up to MAX_FILES."""
    files = worth_keeping(turn, _files(turn), files)
    kept = turn.section("tramite").setdefault("files", [])
    if len(kept) + len(files) > MAX_FILES:
        raise InvalidInput("conv.intake.too_many_files", max=MAX_FILES)
    kept.extend(a.unattached().model_dump(mode="json") for a in files)


def _files(turn: Turn) -> list[Attachment]:
    return [Attachment.model_validate(a) for a in turn.section("tramite").get("files", [])]


def ask_tramite(turn: Turn) -> None:
    """Text and/or files for a new public trâmite (R7)."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
    files = _files(turn)
    text = turn.t("conv.tramite.ask_staff" if turn.user.is_staff else "conv.tramite.ask",
                  number=ticket.number)
    choices = []
    if files:
        text += "\n" + turn.t("conv.intake.anexos_so_far", count=len(files),
                              names=", ".join(a.filename for a in files))
        choices.append((turn.t("conv.tramite.send_files"), "send"))
    choices.append((turn.t("conv.tramite.back"), "back"))
    turn.ask("ticket.tramite", text, choices, Expect.TEXT)


def _send(turn: Turn, text: str | None, internal: bool = False) -> None:
    ticket_id = shown_ticket_id(turn)
    if turn.user.is_staff and text:  # "!nota …" is a note wherever an agent types it
        marked, rest = tramites.split_note(text)
        mistyped = tramites.MARKER_LIKE.match(text)
        if mistyped and not (internal or marked):  # "! nota", "!notas": meant for the team
            raise InvalidInput("conv.tramite.unknown_marker", marker=mistyped.group(1))
        internal, text = internal or marked, rest if marked else text
    add = tramites.add_internal_note if internal else tramites.add_tramite
    add(turn.ctx, turn.user.id or 0, ticket_id, text, _files(turn))
    ticket = queries.detail(turn.ctx, turn.user.id or 0, ticket_id).ticket
    turn.leave("tramite")
    turn.say("conv.tramite.note_added" if internal else "conv.tramite.added",
             number=ticket.number)
    turn.go("ticket.view")


def on_tramite_text(turn: Turn, text: str) -> None:
    """Send the trâmite with the files collected so far; an empty line sends nothing (files
    go alone only by their button)."""
    if not text.strip():
        raise InvalidInput("conv.tramite.empty_with_files" if _files(turn) else
                           "conv.tramite.empty")
    if len(text.strip()) > turn.ctx.policy.text_max:  # what fits, to send or drop
        _keep_said(turn, text)
        turn.go("ticket.said")
        return
    _send(turn, text)


def on_tramite_files(turn: Turn, files: list[Attachment]) -> None:
    """Collect files; they go with the text (or alone with 'send'). Files sent with a caption
    are a whole message: the trâmite goes at once, the caption as its text."""
    _collect(turn, files)
    if turn.caption:
        _send(turn, turn.caption)
        return
    turn.say("conv.intake.anexos_received", names=", ".join(a.filename for a in files))
    turn.go("ticket.tramite")


def on_tramite_choice(turn: Turn, value: str) -> None:
    """Send the files alone, or go back to the ticket."""
    if value == "send":
        _send(turn, None)
        return
    turn.leave("tramite")
    turn.go("ticket.view")


UNSENT = "conv.error.busy_tramite"


def _tramite_busy(state: ConversationState) -> bool:
    tramite = state.data.get("tramite") or {}
    return bool(tramite.get("files") or tramite.get("said"))


register(
    Step("ticket.tramite", ask_tramite, on_choice=on_tramite_choice, on_text=on_tramite_text,
         on_files=on_tramite_files, busy=_tramite_busy, busy_key=UNSENT),
    Step("ticket.said", ask_said, on_choice=on_said, on_text=on_said_text,
         on_files=on_said_files, busy=_tramite_busy, busy_key=UNSENT),
)
