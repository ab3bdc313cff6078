"""A rating typed where nothing is asked (R20): "nota 10, a Ana foi ótima" at the menu rates the
customer's ticket closed in the last days without a rating, said back to be confirmed."""

from __future__ import annotations

from datetime import timedelta

from core.conversation import (
    closing_meanwhile,
    closing_words,
    rating_comment,
    rating_words,
    smalltalk,
)
from core.conversation.closing import RATEABLE
from core.conversation.fmt import preview
from core.conversation.turn import Turn
from core.errors import HelpdeskError
from core.models import Rating, Ticket
from core.services import rating as rating_service

RECENT = timedelta(days=7)
"""How long after its closing a ticket is the one such words are about; older, they may be
about anything, and its page still rates it."""


def rates(text: str) -> bool:
    """Whether the words rate the service ("ótimo atendimento", "nota 10", "demorou, mas o
    técnico foi atencioso"): a mark or feedback, no new matter, not a mere "ok" or "bom dia"."""
    if smalltalk.kind(text) is not None or not any(ch.isalpha() for ch in text) \
            or rating_words.new_matter(text):
        return False
    return closing_words.rating(text) is not None or rating_words.feedback(text)


def offer(turn: Turn, text: str) -> bool:
    """Put words rating the service to the ticket they are about, the mark said back (the
    customer was not asked) or asked when only feedback was typed; False when they rate
    nothing or no recent ticket awaits a rating."""
    if turn.user.is_staff or not rates(text):
        return False
    ticket = rating_service.unrated_since(turn.ctx, turn.user.id or 0, turn.ctx.now - RECENT,
                                          RATEABLE)
    if ticket is None:
        return rated_already(turn, text)
    turn.say("conv.closing.rate_typed", number=ticket.number, assunto=preview(ticket.assunto, 80))
    rate(turn, ticket, text)
    return True


def rated_already(turn: Turn, text: str) -> bool:
    """Words rating a recent ticket rated already: who rated it and how, the feedback in them
    kept as the rating's comment while it has none (the one it takes), else that said; False
    when no recent ticket of hers was rated."""
    ticket = rating_service.unrated_since(turn.ctx, turn.user.id or 0, turn.ctx.now - RECENT,
                                          RATEABLE, rated=True)
    if ticket is None:
        return False
    turn.say_text(closing_meanwhile.rating_moved(turn, ticket) or "")
    said = rating_words.remark(text) if closing_words.rating(text) is not None \
        else rating_words.feedback(text)
    if not said:
        return True
    if ticket.rating_comment:
        turn.say("conv.closing.commented_already", number=ticket.number,
                 who=closing_meanwhile.who_did(turn, ticket, "rating_comment"),
                 comment=preview(ticket.rating_comment, rating_comment.SHOWN))
        return True
    try:
        rating_service.comment_rating(turn.ctx, turn.user.id or 0, ticket.id or 0, text)
    except HelpdeskError:  # a colleague's rating: hers to comment
        turn.say("conv.closing.comment_not_kept", comment=preview(text.strip(), 80))
        return True
    turn.say("conv.closing.comment_kept")
    return True


def rate(turn: Turn, ticket: Ticket, text: str, mark: Rating | None = None) -> None:
    """Rate the ticket with the words (or the mark given): a mark named is said back to
    confirm, else the mark is asked; feedback in the words is held as the comment (R20)."""
    turn.leave("closing")
    section = turn.section("closing")
    section["ticket_id"] = ticket.id
    mark = mark or closing_words.rating(text)
    if rating_words.remark(text) if mark is not None else rating_words.feedback(text):
        rating_comment.hold(turn, text)
    if mark is None:
        turn.go("closing.rate")
        return
    section.update(loose=[mark.value], named=True)
    turn.go("closing.rate_loose")
