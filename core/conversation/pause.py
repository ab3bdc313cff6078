"""A ticket being opened when the conversation went quiet for long: kept with all that was
typed and resumed where it stopped, never discarded by the pause (R3); so are a trâmite
written and not sent (R7) and the words of a reason or restriction at the approval (R19)."""

from __future__ import annotations

from core.conversation import cancelling, closing, confused, intake_texts, smalltalk
from core.conversation.fmt import at, file_names, preview, short_names
from core.conversation.intake import draft
from core.conversation.replies import Command, UserInput
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.turn import STEPS, Turn
from core.conversation_state import ConversationState
from core.errors import HelpdeskError
from core.services import queries


def keeps_draft(state: ConversationState) -> bool:
    """Whether the conversation stopped in a ticket's intake with something typed or sent."""
    if state.flow != "intake" or state.step not in STEPS:
        return False
    value = (state.data.get("intake") or {}).get("draft") or {}
    return bool(value.get("assunto") or value.get("descricao") or value.get("attachments"))


def resume_draft(turn: Turn, user_input: UserInput) -> None:
    """Say the draft is kept and ask its question again; words sent now are shown back rather
    than taken as the answer to a question asked long ago, files join the anexos, and
    cancelar asks whether to discard the draft."""
    current = draft(turn)
    about = current.assunto or current.descricao or file_names(current.attachments)
    turn.say("conv.stale_draft", when=at(turn, turn.state.updated_at), about=preview(about, 100))
    if user_input.files:
        intake_texts.keep_for_anexos(turn, user_input.files)
    if user_input.command == Command.CANCEL:
        cancelling.cancel(turn)
        return
    text = (user_input.text or "").strip()
    if text and user_input.command is None and smalltalk.kind(text) is None \
            and not confused.confused(text):
        turn.say("conv.stale_unused", text=preview(text, 600))
    turn.go(turn.state.step or "intake.item")


TRAMITE_STEPS = ("ticket.said", "ticket.tramite")
CLOSING_STEPS = ("closing.decide", "closing.reason", "closing.comment",
                 "closing.comment_check")


def kept_words(state: ConversationState) -> str | None:
    """What else a pause keeps: "tramite" for a trâmite written and not sent, "closing" for
    the words (or files) of a reason or restriction not yet given; None for anything else."""
    tramite = state.data.get("tramite") or {}
    said = state.data.get("closing") or {}
    if state.step in TRAMITE_STEPS and (tramite.get("said") or tramite.get("files")):
        return "tramite"
    if state.step in CLOSING_STEPS and (said.get("said") or said.get("files")):
        return "closing"
    return None


def resume_words(turn: Turn, user_input: UserInput) -> bool:
    """Say the trâmite or the reason kept is still there and ask its question again (files
    sent now join it, words are shown back); False when its ticket no longer takes it (then
    the pause drops it, as before)."""
    which, state = kept_words(turn.state), turn.state
    section = state.data.get(which or "") or {}
    try:
        if which == "tramite":
            ticket = queries.detail(turn.ctx, turn.user.id or 0, shown_ticket_id(turn)).ticket
            if not (ticket.is_open or turn.user.is_staff):  # staff: an internal note
                return False
        else:
            ticket = closing.awaiting_ticket(turn, section.get("ticket_id") or 0)
    except HelpdeskError:
        return False
    if which is None or state.step is None:
        return False
    about = section.get("said") or ", ".join(
        short_names([f.get("filename", "") for f in section["files"]]))
    turn.say(f"conv.stale_{which}", when=at(turn, state.updated_at), number=ticket.number,
             about=preview(about, 100))
    if user_input.command == Command.CANCEL:
        cancelling.cancel(turn)
        return True
    text = (user_input.text or "").strip()
    if text and user_input.command is None and smalltalk.kind(text) is None \
            and not confused.confused(text):
        turn.say("conv.stale_unused", text=preview(text, 600))
    current = STEPS[state.step]
    if user_input.files and current.on_files is not None:
        current.on_files(turn, user_input.files)  # no caption: its words are shown back
        return True
    turn.go(state.step)
    return True
