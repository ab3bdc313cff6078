"""The quote of a billable ticket, given by an agent in the chat: with the origin outside the
contract that makes it billable (classified, or with the solution), or later to change it; the
customer authorizes it (R23)."""

from __future__ import annotations

from core.conversation.matching import short_choice
from core.conversation.replies import Expect
from core.conversation.ticket_actions import back_choice, done, staff_view
from core.conversation.ticket_staff import send_solution, solution_busy
from core.conversation.ticket_tramite import shown_ticket_id
from core.conversation.turn import Step, Turn, register
from core.services import billing
from core.services.reference import load_coverage

NONE = "none"


def ask_quote(turn: Turn) -> None:
    """The quote with the origin just picked (or none yet), else the new one for the ticket."""
    origin = turn.section("quote").get("origin")
    if origin:
        _ask_with_origin(turn, "ticket.quote", origin)
        return
    ticket = staff_view(turn).ticket
    current = ticket.billing_quote or turn.t("conv.staff.quote_none")
    turn.ask("ticket.quote", turn.t("conv.staff.ask_requote", number=ticket.number,
                                    current=current), [back_choice(turn)], Expect.TEXT)


def on_quote_choice(turn: Turn, value: str) -> None:
    """Classify with no quote yet, or go back to the page and leave the ticket as it was."""
    origin = turn.section("quote").get("origin")
    turn.leave("quote")
    if value == NONE and origin:
        ticket = billing.classify_origin(turn.ctx, turn.user.id or 0, shown_ticket_id(turn),
                                         origin)
        done(turn, "conv.staff.classified_billable", number=ticket.number,
             origin=billing.origin_label(turn.ctx, ticket, turn.lang))
    else:
        turn.go("ticket.view")


def on_quote_text(turn: Turn, text: str) -> None:
    """The quote typed: with the origin it belongs to, or as the ticket's new quote; "sem
    orçamento" typed is the option, not a quote."""
    named = short_choice(turn.state, text)
    if named is not None:
        on_quote_choice(turn, named)
        return
    origin = turn.section("quote").get("origin")
    uid, tid = turn.user.id or 0, shown_ticket_id(turn)
    if origin:
        ticket = billing.classify_origin(turn.ctx, uid, tid, origin, quote=text)
        turn.say("conv.staff.classified_billable", number=ticket.number,
                 origin=billing.origin_label(turn.ctx, ticket, turn.lang))
    else:
        before = staff_view(turn).ticket
        ticket = billing.set_quote(turn.ctx, uid, tid, text)
        if ticket.billing_quote == before.billing_quote and before.billing_authorized is not False:
            turn.leave("quote")  # the same amount: nothing changed, nobody was asked (R23)
            done(turn, "conv.staff.quote_unchanged", number=ticket.number,
                 quote=ticket.billing_quote)
            return
    turn.leave("quote")
    done(turn, "conv.staff.quote_set", number=ticket.number, quote=ticket.billing_quote)


def _ask_with_origin(turn: Turn, step: str, origin_id: str) -> None:
    """The quote of the new charge an origin outside the contract makes, or none yet."""
    ticket = staff_view(turn).ticket
    label = load_coverage(turn.ctx.uow).origin(origin_id).shown(turn.lang)
    turn.ask(step, turn.t("conv.staff.ask_quote", number=ticket.number, origin=label),
             [(turn.t("conv.staff.no_quote"), NONE), back_choice(turn)], Expect.TEXT)


def ask_solution_quote(turn: Turn) -> None:
    """The quote of the charge the solution's origin makes (R23), or none yet."""
    _ask_with_origin(turn, "ticket.solution_quote", turn.section("solution").get("origin") or "")


def on_solution_quote_choice(turn: Turn, value: str) -> None:
    """Send the solution with no quote yet, or go back to the origin (the solution is kept)."""
    origin = turn.section("solution").pop("origin", None)
    if value == NONE and origin:
        send_solution(turn, origin)
    else:
        turn.go("ticket.origin")


def on_solution_quote_text(turn: Turn, text: str) -> None:
    """Send the solution with its origin and the quote typed (refused: asked again, kept)."""
    named = short_choice(turn.state, text)
    if named is not None:
        on_solution_quote_choice(turn, named)
        return
    send_solution(turn, turn.section("solution").get("origin") or "", quote=text)


register(
    Step("ticket.quote", ask_quote, on_choice=on_quote_choice, on_text=on_quote_text),
    Step("ticket.solution_quote", ask_solution_quote, on_choice=on_solution_quote_choice,
         on_text=on_solution_quote_text, busy=solution_busy,
         busy_key="conv.error.busy_solution"),
)
