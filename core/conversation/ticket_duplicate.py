"""An agent's Rejeitar (duplicado) from a ticket's page in the chat, as the Slack card's: the
original's number (or its end), confirmed before the rejection, which is final (R18)."""

from __future__ import annotations

from core.conversation.fmt import preview, status
from core.conversation.replies import Expect
from core.conversation.smalltalk import NO
from core.conversation.ticket_actions import back_choice, done, staff_view, to_page
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.turn import Step, Turn, register
from core.conversation_state import ConversationState
from core.errors import InvalidInput
from core.services import handling, queries
from core.textmatch import fold

NONE = NO | {"nenhum", "nenhuma", "none"}
"""A first word saying it duplicates none ("não", "não é duplicado"): nothing is rejected."""


def ask_duplicate(turn: Turn) -> None:
    """The original's number (R18)."""
    ticket = staff_view(turn).ticket
    turn.ask("ticket.duplicate", turn.t("conv.staff.ask_duplicate", number=ticket.number),
             [back_choice(turn)], Expect.TEXT, typed_numbers=True)


def on_duplicate_text(turn: Turn, text: str) -> None:
    """Check the original as core will, then ask to confirm: the rejection is final."""
    if not text.strip():
        raise InvalidInput("error.empty", field="numero")
    if not any(c.isdigit() for c in text):
        if fold(text).split()[:1] and fold(text).split()[0] in NONE:
            turn.say("conv.staff.not_rejected", number=staff_view(turn).ticket.number)
            to_page(turn)
            return
        raise InvalidInput("conv.staff.duplicate_no_number", typed=preview(text.strip(), 40))
    original = handling.duplicate_original(turn.ctx, turn.user.id or 0, shown_ticket_id(turn),
                                           text.strip()[:40])
    turn.section("duplicate")["original"] = original.number
    turn.section("duplicate")["typed"] = text.strip()[:40]
    turn.go("ticket.duplicate_confirm")


def ask_duplicate_confirm(turn: Turn) -> None:
    """The original's number and assunto, to be sure before rejecting; the end of a number
    typed ("1", "#1") said as the number it was read as (R18)."""
    ticket, kept = staff_view(turn).ticket, turn.section("duplicate")
    original = queries.ticket_by_number(turn.ctx, turn.user.id or 0, kept.get("original", ""))
    said = "" if kept.get("typed", original.number) == original.number else turn.t(
        "conv.staff.duplicate_understood", typed=kept["typed"], original=original.number) + "\n"
    turn.ask("ticket.duplicate_confirm", said + turn.t(
        "conv.staff.confirm_duplicate", number=ticket.number, original=original.number,
        assunto=original.assunto, status=status(turn, original)),
        [(turn.t("conv.staff.reject"), "reject"), (turn.t("conv.staff.other_number"), "other"),
         back_choice(turn)])


def on_duplicate_confirm(turn: Turn, value: str) -> None:
    """Reject as a duplicate of the original kept, type another number, or go back."""
    original = turn.section("duplicate").get("original")
    if value == "other":
        turn.leave("duplicate")
        turn.go("ticket.duplicate")
    elif value == "reject" and original:
        ticket = handling.reject_duplicate(turn.ctx, turn.user.id or 0, shown_ticket_id(turn),
                                           original)
        done(turn, "conv.staff.rejected", number=ticket.number, original=original)
    else:
        to_page(turn)


def _duplicate_busy(state: ConversationState) -> bool:
    return bool((state.data.get("duplicate") or {}).get("original"))


register(
    # Not requests: a ticket number typed is the original, not a ticket to open.
    Step("ticket.duplicate", ask_duplicate, on_choice=to_page, on_text=on_duplicate_text),
    Step("ticket.duplicate_confirm", ask_duplicate_confirm, on_choice=on_duplicate_confirm,
         busy=_duplicate_busy, busy_key="conv.error.busy_duplicate"),
)
