"""A ticket being opened when the conversation went quiet for long: kept with all that was
typed and resumed where it stopped, never discarded by the pause (R3); so are a trâmite
written and not sent (R7), the words of a reason or restriction at the approval (R19), and
what START keeps (held): a message offered as a ticket, a rating's comment, a search."""

from __future__ import annotations

from core.conversation import cancelling, closing, confused, held, intake_texts, smalltalk
from core.conversation.fmt import at, file_names, preview, short_names
from core.conversation.intake import draft
from core.conversation.replies import Command, UserInput
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.turn import STEPS, Turn
from core.conversation_state import ConversationState
from core.errors import HelpdeskError
from core.models import Status
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
    if _new_words(user_input):
        turn.say("conv.stale_unused", text=preview((user_input.text or "").strip(), 600))
    turn.go(turn.state.step or "intake.item")


TRAMITE_STEPS = ("ticket.said", "ticket.tramite")
CLOSING_STEPS = ("closing.decide", "closing.reason", "closing.comment",
                 "closing.comment_check")
HELD_STEPS = held.RATING_STEPS | held.KB_STEPS | {held.OFFER_STEP}


def kept_words(state: ConversationState) -> str | None:
    """What else a pause keeps: "tramite" for a trâmite written and not sent, "closing" for
    the words (or files) of a reason or restriction not yet given, "held" for what else
    START keeps (held.kept); None for anything else."""
    tramite = state.data.get("tramite") or {}
    said = state.data.get("closing") or {}
    if state.step in TRAMITE_STEPS and (tramite.get("said") or tramite.get("files")):
        return "tramite"
    if state.step in CLOSING_STEPS and (said.get("said") or said.get("files")):
        return "closing"
    if state.step in HELD_STEPS and held.kept(state):
        return "held"
    return None


def resume_words(turn: Turn, user_input: UserInput) -> bool:
    """Say the trâmite or the reason kept is still there and ask its question again (files
    sent now join it, words are shown back); False when its ticket no longer takes it (then
    the pause drops it, as before)."""
    which, state = kept_words(turn.state), turn.state
    if which == "held":
        return _resume_held(turn, user_input)
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
    return _ask_again(turn, user_input)


def _resume_held(turn: Turn, user_input: UserInput) -> bool:
    """Say what START would keep is still there and ask its question again; False for a
    rating's comment whose ticket was rated (or reopened) meanwhile, and for a message or a
    search when a new message comes now (the pause starts over: what is said now leads)."""
    state = turn.state
    if state.step not in held.RATING_STEPS and _new_words(user_input):
        return False
    if state.step in held.RATING_STEPS:
        try:
            ticket = closing.closing_ticket(turn)
        except HelpdeskError:
            return False
        if ticket.status != Status.CLOSED or ticket.rating is not None:
            return False
    turn.say("conv.stale_held", when=at(turn, state.updated_at),
             about=preview(held.words(state), 100))
    return _ask_again(turn, user_input)


def _new_words(user_input: UserInput) -> bool:
    """Whether words come now that say something (not a greeting, not a command)."""
    text = (user_input.text or "").strip()
    return bool(text) and user_input.command is None and smalltalk.kind(text) is None \
        and not confused.confused(text)


def _ask_again(turn: Turn, user_input: UserInput) -> bool:
    """After the pause's note: cancelar leaves, words sent now are shown back (not taken as
    the answer to a question asked long ago), files join what they would, the question
    is asked again."""
    state = turn.state
    if user_input.command == Command.CANCEL:
        cancelling.cancel(turn)
        return True
    if _new_words(user_input):
        turn.say("conv.stale_unused", text=preview((user_input.text or "").strip(), 600))
    current = STEPS[state.step or ""]
    if user_input.files and current.on_files is not None:
        current.on_files(turn, user_input.files)  # no caption: its words are shown back
        return True
    turn.go(state.step or "")
    return True
