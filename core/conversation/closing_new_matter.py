"""A solution that worked and a new problem told with it at the approval question (R19):
"funcionou, mas agora a impressora não imprime". Neither approving nor not approving is
guessed: she picks, approving this one and opening a new ticket with the words, or not."""

from __future__ import annotations

from core.conversation import matter
from core.conversation.closing import closing_ticket, on_decide
from core.conversation.fmt import fit_told, preview
from core.conversation.turn import Step, Turn, register

SHOWN = 300
"""How much of the words the question quotes."""


def ask(turn: Turn, text: str) -> None:
    """Keep the words and ask what they mean for the ticket."""
    turn.section("closing")["said"] = fit_told(turn, text, "conv.closing.said_cut")
    turn.go("closing.new_matter")


def ask_new_matter(turn: Turn) -> None:
    """Approve and open a new ticket with the words, not approve (the words the reason), or
    back to the question."""
    said = turn.section("closing").get("said") or ""
    turn.ask("closing.new_matter",
             turn.t("conv.closing.new_matter_ask", number=closing_ticket(turn).number,
                    said=preview(said, SHOWN)),
             [(turn.t("conv.closing.new_matter_approve"), "approve"),
              (turn.t("conv.closing.new_matter_reject"), "reject"),
              (turn.t("conv.closing.back"), "back")])


def on_new_matter(turn: Turn, value: str) -> None:
    """Approved with the words kept to be offered as a new ticket after the rating, naming
    this one; or the reason asked with them offered; or the question again."""
    section = turn.section("closing")
    if value == "approve":
        said = section.pop("said", None)
        if said:
            matter.keep_typed(turn, said)
            matter.follows(turn, closing_ticket(turn).number)
        on_decide(turn, "approve")
    elif value == "reject":
        turn.go("closing.reason")
    else:
        section.pop("said", None)
        turn.go("closing.decide")


register(Step("closing.new_matter", ask_new_matter, on_choice=on_new_matter))
