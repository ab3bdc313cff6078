"""A request to reopen a closed ticket typed at the menu with its number ("quero reabrir o
202612/0007"): its page, and why it is never reopened (R19, R21)."""

from __future__ import annotations

from core.conversation import intents, typed, write_words
from core.conversation.ticket_view import show
from core.conversation.turn import Turn
from core.models import Status
from core.services.numbers import PADDED_END
from core.textmatch import ascii_digits, fold


def answer(turn: Turn, text: str) -> bool:
    """Show the closed ticket of the customer's that the words only ask to reopen, saying it
    is never reopened and what to write instead; False for any other words, or a ticket not
    closed or not theirs to see (R8)."""
    if turn.user.is_staff:
        return False
    digits = intents.NUMBER.sub(" ", ascii_digits(text))
    words = PADDED_END.sub(" ", intents.SHORT_NUMBER.sub(" ", fold(digits)))
    if not write_words.asks_to_reopen(words):  # "quero reabrir o", its number left out
        return False
    ticket = typed.named_ticket(turn, text)
    if ticket is None or ticket.status != Status.CLOSED:
        return False
    turn.say("conv.tramite.reopen_closed", number=ticket.number)  # then its page, as there
    show(turn, ticket.id or 0)
    return True
