""""mesmo problema" at the menu right after a ticket was registered: that ticket is named and
the customer chooses its page (to add to it), another ticket (the same problem elsewhere) or
the menu; it was offered as a new ticket's whole descrição."""

from __future__ import annotations

from core.conversation import intake, ticket_view
from core.conversation.closing_words import SAME_PROBLEM, folded_words
from core.conversation.intake_review import OPENED
from core.conversation.turn import IDLE, Step, Turn, register
from core.errors import InvalidInput
from core.services import queries


def offer(turn: Turn, text: str) -> bool:
    """Ask what "mesmo problema" means when a ticket was just registered here; else False."""
    if turn.state.step != IDLE or not turn.data.get(OPENED) or \
            SAME_PROBLEM.fullmatch(folded_words(text)) is None:
        return False
    turn.go("menu.same")
    return True


def at_listing(turn: Turn, text: str) -> bool:
    """"mesmo problema" at a customer's listing: the ticket just opened, as at the menu; with
    none, which ticket is asked (choose it to write on it, or open another), never searched."""
    if turn.user.is_staff or SAME_PROBLEM.fullmatch(folded_words(text)) is None:
        return False
    if turn.data.get(OPENED):
        turn.go("menu.same")
        return True
    turn.say("conv.same.which")
    turn.go("list.view")
    return True


def ask_same(turn: Turn) -> None:
    """The ticket just opened, named: add to it, open another, or the menu."""
    ticket = queries.detail(turn.ctx, turn.user.id or 0, turn.data[OPENED]).ticket
    turn.ask("menu.same", turn.t("conv.same.ask", number=ticket.number),
             [(turn.t("conv.same.view"), "view"), (turn.t("conv.same.new"), "new"),
              (turn.t("conv.menu.back"), "menu")])


def on_same(turn: Turn, value: str) -> None:
    """Its page, a new ticket, or the menu."""
    if value == "view":
        ticket_view.show(turn, turn.data[OPENED])
    elif value == "new":
        intake.begin(turn)
    elif value == "menu":
        turn.go(IDLE)
    else:
        raise InvalidInput("conv.error.not_offered")


register(Step("menu.same", ask_same, on_choice=on_same, requests=True))
