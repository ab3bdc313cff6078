"""The confirmation before an approval that closes a ticket for good (R19): asked of words
("funcionou") and of Aprovar picked by typing its number, its label unseen; a click or the
word "aprovar" approves at once."""

from __future__ import annotations

from core.conversation import closing_whose
from core.conversation.closing import charge_first, closing_ticket, on_decide
from core.conversation.turn import Turn


def ask_confirm(turn: Turn) -> None:
    """Approving closes for good (R19): typed words are confirmed before they do it."""
    ticket = closing_ticket(turn)
    if charge_first(turn, ticket, "closing.confirm"):
        return
    choices = [(turn.t("conv.closing.confirm_yes"), "approve"),
               (turn.t("conv.closing.back"), "back")]
    whose = closing_whose.line(turn, ticket)
    if turn.section("closing").get("by_number"):  # Aprovar picked by its number: the same
        # number typed again out of habit goes back, never closes the ticket for good
        text = turn.t("conv.closing.confirm_number", number=ticket.number)
        turn.ask("closing.confirm", f"{text}\n{whose}".rstrip(), choices[::-1])
        return
    text = turn.t("conv.closing.confirm_approve", number=ticket.number)
    turn.ask("closing.confirm", f"{text}\n{whose}".rstrip(), choices)


def on_confirm(turn: Turn, value: str) -> None:
    """Approve, or back to the three answers."""
    turn.section("closing").pop("by_number", None)
    turn.by_number = False  # the confirmation is the answer seen
    if value == "approve":
        on_decide(turn, value)
    else:
        turn.section("closing").pop("praise", None)
        turn.go("closing.decide")
