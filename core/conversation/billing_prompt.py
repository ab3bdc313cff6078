"""The customer's prior authorization of billable work (R23), asked in the chat."""

from __future__ import annotations

import re

from core.conversation import closing_meanwhile, matter, smalltalk, ticket_said
from core.conversation.closing import closing_ticket, focus, moved_on
from core.conversation.matching import match_words
from core.conversation.turn import Step, Turn, register
from core.errors import InvalidInput, InvalidTransition
from core.services import billing
from core.textmatch import fold

PRICE_WORDS = frozenset({"quanto", "quanta", "valor", "preco", "custa", "custo", "custar",
                         "custaria", "orcamento", "cost", "price", "much"})
PRICE_QUESTION_WORDS = 6
"""A question of up to this many words about the price is answered with the quote alone."""
AUTHORIZE_WORDS = frozenset({"autorizo", "autorizado", "pode", "cobrar", "fazer", "concordo",
                             "authorize", "authorized", "charge", "it", "i"}) | smalltalk.GO_AHEAD
REFUSE_WORDS = frozenset({"recuso", "refuse", "decline"})
_NOT = re.compile(r"\b(?:do|does|don|doesn)(?:['’]t|\s+not)\b", re.IGNORECASE)
"""An English no that folds apart ("don't": "don t"), said as the "not" it is."""


def ask_billing_for(turn: Turn, ticket_id: int) -> None:
    """Ask for the prior authorization of billable work (R23)."""
    ticket = closing_ticket(turn, ticket_id)
    if not ticket.billable or not ticket.is_open:
        raise InvalidTransition("error.not_billable", number=ticket.number)
    if ticket.billing_authorized is not None:
        raise InvalidTransition("error.already_answered", number=ticket.number)
    focus(turn, ticket_id, "closing.billing")


def ask_billing(turn: Turn) -> None:
    """Authorize, refuse, or decide later."""
    ticket = closing_ticket(turn)
    text = turn.t("conv.closing.ask_billing", number=ticket.number, assunto=ticket.assunto,
                  origin=billing.origin_label(turn.ctx, ticket, turn.lang))
    earlier = billing.earlier_quote(turn.ctx, ticket) if ticket.billing_quote else None
    text += "\n" + (turn.t("conv.closing.quote_changed", quote=ticket.billing_quote,
                           previous=earlier) if earlier else
                    turn.t("conv.closing.quote", quote=ticket.billing_quote)
                    if ticket.billing_quote else turn.t("conv.closing.no_quote"))
    turn.ask("closing.billing", text, [
        (turn.t("conv.closing.billing_yes"), "yes", "sim pode fazer autorizado concordo yes"),
        (turn.t("conv.closing.billing_no"), "no", "nao recuso no"),
        (turn.t("conv.closing.decide_later"), "later", "depois mais tarde later")])


def on_billing(turn: Turn, value: str) -> None:
    """Record the answer on the ticket."""
    moved = closing_meanwhile.charge_moved(turn, closing_ticket(turn))
    if moved is not None and value in ("yes", "no"):  # answered meanwhile elsewhere (R23)
        moved_on(turn, moved)
        return
    then = turn.section("closing").pop("then", None)
    if value in ("yes", "no"):
        ticket = billing.record_billing_authorization(turn.ctx, turn.user.id or 0,
                                                      closing_ticket(turn).id or 0, value == "yes")
        turn.say("conv.closing.billing_authorized" if value == "yes" else
                 "conv.closing.billing_refused", number=ticket.number)
        if then:  # the approval question this answer came before
            turn.go(then)
            return
    elif then:  # the solution waits with it: nothing closes before the charge is answered
        turn.say("conv.closing.later_with_charge", number=closing_ticket(turn).number)
    else:
        turn.say("conv.closing.later_one", number=closing_ticket(turn).number)
    matter.after_flow(turn)


def on_billing_text(turn: Turn, text: str) -> None:
    """"sim, pode fazer" answers; "quanto custa?" has the quote, when there is one, and the
    question again; another question is offered to the team as a trâmite of the ticket, and
    the authorization stays pending. A short yes or no ("sim", "yes, charge it", "no thanks")
    is the button it says."""
    said = smalltalk.yes_or_no(_NOT.sub(" not ", text), AUTHORIZE_WORDS, REFUSE_WORDS)
    if said is not None:
        on_billing(turn, "yes" if said else "no")
        return
    named = match_words(turn.state, text)
    if named is not None:
        on_billing(turn, named)
        return
    if not matter.is_matter(text):
        raise InvalidInput("conv.error.choose")
    ticket = closing_ticket(turn)
    words = fold(text).split()
    if ticket.billing_quote and PRICE_WORDS & set(words):
        turn.say("conv.closing.quote_is", number=ticket.number, quote=ticket.billing_quote)
        if len(words) <= PRICE_QUESTION_WORDS:  # only the price asked: answered
            turn.go("closing.billing")
            return
    turn.say("conv.closing.billing_asked", number=ticket.number)
    turn.section("closing").pop("then", None)
    ticket_said.offer_said(turn, closing_ticket(turn).id or 0, text)


register(Step("closing.billing", ask_billing, on_choice=on_billing, on_text=on_billing_text))
