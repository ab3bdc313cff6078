"""Words (and files) about a ticket closed since, sent while something else is being typed: a
reply to its message or an edit of a trâmite it received (R3, R7). Never lost: in an intake
they join the ticket being opened; elsewhere they are shown back, to send again after."""

from __future__ import annotations

from collections.abc import Sequence

from core.conversation import intake_texts
from core.conversation.fmt import file_names, preview
from core.conversation.intake import draft, save
from core.conversation.intake_descricao import kept
from core.conversation.replies import Reply
from core.conversation.turn import STEPS, Turn, ask_again
from core.errors import HelpdeskError
from core.models import Attachment, Status, Ticket


def in_busy_step(turn: Turn, ticket: Ticket, text: str,
                 files: Sequence[Attachment]) -> list[Reply]:
    """Why the words did not go to the closed ticket, then where they are: the descrição (and
    the anexos) of a ticket being opened, its question asked again; else quoted back, the
    question asked again. The state is saved when it changed."""
    kind = "rejected" if ticket.status == Status.REJECTED else "closed"
    turn.say(f"conv.tramite.not_open_{kind}", number=ticket.number)
    step = turn.state.step or ""
    if turn.state.flow == "intake" and step.startswith("intake.") and step in STEPS \
            and "intake" in turn.data:
        try:
            _join_intake(turn, ticket, text.strip(), list(files))
        except HelpdeskError:
            pass  # a full draft refuses the files: said as shown back below
        else:
            turn.state.updated_at = turn.ctx.now
            turn.ctx.uow.conversations.save(turn.state)
            return turn.replies
        del turn.replies[1:]
    shown = text.strip() or file_names(files)
    turn.say("conv.replied.closed_shown", number=ticket.number, text=preview(shown, 600))
    asked = ask_again(turn)  # where they were
    return [*turn.replies, *([asked] if asked is not None else [])]


def _join_intake(turn: Turn, ticket: Ticket, text: str, files: list[Attachment]) -> None:
    """The words, naming the ticket they were about, join the descrição; files, the anexos."""
    if files:
        intake_texts.keep_for_anexos(turn, files)
    if text:
        current = draft(turn)
        about = turn.t("conv.typed.follows" if ticket.status == Status.CLOSED
                       else "conv.replied.about_rejected", number=ticket.number)
        current.descricao = kept(turn, "\n".join(
            p for p in (current.descricao, about, text) if p))
        save(turn, current)
        turn.say("conv.replied.closed_joined", number=ticket.number)
    turn.go(turn.state.step or "intake.assunto")
