"""A ticket being opened when the conversation went quiet for long: kept with all that was
typed and resumed where it stopped, never discarded by the pause (R3)."""

from __future__ import annotations

from core.conversation import commands, confused, intake_texts, smalltalk
from core.conversation.fmt import at, preview
from core.conversation.intake import draft
from core.conversation.replies import Command, UserInput
from core.conversation.turn import STEPS, Turn
from core.conversation_state import ConversationState


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
    about = current.assunto or current.descricao or ", ".join(
        a.filename for a in current.attachments)
    turn.say("conv.stale_draft", when=at(turn, turn.state.updated_at), about=preview(about, 100))
    if user_input.files:
        intake_texts.keep_for_anexos(turn, user_input.files)
    if user_input.command == Command.CANCEL:
        commands.cancel(turn)
        return
    text = (user_input.text or "").strip()
    if text and user_input.command is None and smalltalk.kind(text) is None \
            and not confused.confused(text):
        turn.say("conv.stale_unused", text=preview(text, 600))
    turn.go(turn.state.step or "intake.item")
