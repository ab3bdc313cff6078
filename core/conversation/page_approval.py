"""The page of a ticket awaiting its customer's approval ends with the approval's question and
its three answers (R19), as the question asked at the session's start does."""

from __future__ import annotations

from core.conversation import closing, closing_whose
from core.conversation.runs import Runs
from core.conversation.turn import Turn
from core.models import Status, Ticket

ANSWERS = ("approve", "approve_now", "reject", "partial")
"""The page's values: "approve" (the one button of pages shown before) asks the question."""


def ask(turn: Turn, ticket: Ticket, runs: Runs) -> list[tuple[str, str]]:
    """The question added to the page and its answers, for a customer; none for the team."""
    if turn.user.is_staff or ticket.status != Status.AWAITING_APPROVAL:
        return []
    runs.add("\n\n" + turn.t("conv.ticket.approval_question"))
    if whose := closing_whose.line(turn, ticket):  # a colleague's: whose it is (R8)
        runs.add(" " + whose)
    return [(turn.t("conv.closing.approve"), "approve_now"),
            (turn.t("conv.closing.reject"), "reject"),
            (turn.t("conv.closing.partial"), "partial")]


def answer(turn: Turn, ticket_id: int, value: str) -> None:
    """An answer clicked on the page: as at the question (a charge still asked first, R23)."""
    if value == "approve":
        closing.ask_decision_for(turn, ticket_id)
        return
    closing.awaiting_ticket(turn, ticket_id)  # answered meanwhile: refused, the page again
    turn.leave("closing")
    turn.section("closing")["ticket_id"] = ticket_id
    closing.on_decide(turn, "approve" if value == "approve_now" else value)  # "1": confirmed
