"""The rating's comment in the chat (R20): feedback typed at the rating is held and saved with
the mark; after a mark tapped, one skippable question offers to leave a comment."""

from __future__ import annotations

from core.conversation import closing_meanwhile, matter, rating_words, smalltalk
from core.conversation.closing import closing_ticket, next_pending
from core.conversation.fmt import fit, preview
from core.conversation.replies import Expect
from core.conversation.turn import Step, Turn, register
from core.errors import HelpdeskError, InvalidInput
from core.i18n import label
from core.models import Rating, Ticket
from core.services import closing
from core.services import rating as rating_service
from core.textmatch import fold

SHOWN = 300
"""How much of a comment a message quotes."""
WANT_WORDS = frozenset({
    "quero", "queria", "gostaria", "deixar", "deixo", "comentar", "comentario", "um", "ser",
    "i", "want", "to", "d", "would", "like", "leave", "a", "comment", "do", "don", "dont", "t",
    "acrescentar", "add"})
"""Words of an answer to "Quer deixar um comentário?" that say only whether ("sim, quero",
"pode ser", "yes, I'd like to", "no, I don't want to"), not the comment."""
WANT_MAX = 8
NOT_WANTED = frozenset({"don", "dont", "skip", "pular", "pula", "nada", "nothing", "sem",
                        "nenhum", "none"})
"""A no in other words ("pular", "sem comentário", "nothing to add")."""


def held(turn: Turn) -> str | None:
    """The comment typed at the rating question, waiting for the mark."""
    value = turn.section("closing").get("comment")
    return value if isinstance(value, str) else None


def hold(turn: Turn, text: str) -> str:
    """Keep words typed at the rating as the comment to save with the mark; a further message
    joins it (the same sent twice is kept once), past the limit what fits, said so."""
    words, before = text.strip(), held(turn)
    joined = before if before and words in before else "\n".join(filter(None, [before, words]))
    kept = fit(joined, rating_service.COMMENT_MAX)
    if kept != joined:
        turn.say("conv.closing.comment_cut", length=len(joined), max=rating_service.COMMENT_MAX,
                 kept=len(kept), end=preview(kept[-60:].lstrip(), 60))
    turn.section("closing")["comment"] = kept
    return kept


def record(turn: Turn, mark: Rating, words: str | None = None, offer: bool = False) -> None:
    """Save the mark, with the comment held (words: the mark was typed with them); a mark
    tapped or typed alone offers to leave a comment (offer), unless a matter or files held
    wait to be offered as a new ticket."""
    comment = turn.section("closing").pop("comment", None)
    ticket = closing.rate(turn.ctx, turn.user.id or 0, closing_ticket(turn).id or 0, mark,
                          comment)
    shown = label("rating", mark, turn.lang)
    if comment:
        turn.say("conv.closing.rated_with_comment", rating=shown,
                 comment=preview(comment, SHOWN))
    elif offer and not matter.kept(turn) and not (words and rating_words.new_matter(words)):
        # a print held is a new matter: offered first; a mark typed alone is said back
        turn.say("conv.closing.thanks" if words is None else "conv.closing.rated_as",
                 rating=shown)
        turn.go("closing.rate_comment")
        return
    elif words is not None:
        turn.say("conv.closing.rated_as", rating=shown)
    else:
        turn.say("conv.closing.thanks")
    if words is not None and rating_words.new_matter(words):  # "ótimo, mas agora a impressora…"
        matter.keep_typed(turn, words)
        matter.follows(turn, ticket.number)
    next_pending(turn)


def dropped(turn: Turn) -> None:
    """Agora não with a comment held: it goes with a rating, so it was not kept (said)."""
    comment = turn.section("closing").pop("comment", None)
    if comment:
        turn.say("conv.closing.comment_dropped", comment=preview(comment, SHOWN))


def meanwhile(turn: Turn, ticket: Ticket) -> str | None:
    """The ticket was rated elsewhere meanwhile: the comment held joins that rating when it is
    this person's (another chat of theirs) and has none; else it is said not kept."""
    comment = turn.section("closing").pop("comment", None)
    if not comment:
        return None
    try:
        rating_service.comment_rating(turn.ctx, turn.user.id or 0, ticket.id or 0, comment)
    except HelpdeskError:
        return turn.t("conv.closing.comment_not_kept", comment=preview(comment, SHOWN))
    return turn.t("conv.closing.comment_kept")


def ask_rate_comment(turn: Turn) -> None:
    """Quer deixar um comentário? One question, skipped with a tap or any no."""
    turn.ask("closing.rate_comment",
             turn.t("conv.closing.ask_rate_comment", number=closing_ticket(turn).number),
             [(turn.t("conv.closing.no_comment"), "skip")], Expect.TEXT)


def on_rate_comment_choice(turn: Turn, value: str) -> None:
    """No comment: on to the next pending approval, or the menu."""
    next_pending(turn)


def on_rate_comment_text(turn: Turn, text: str) -> None:
    """The comment saved; a no ("não, obrigada") skips; a new matter is offered as a ticket,
    not kept as a comment; a comment given meanwhile elsewhere is said."""
    said = wants_to(text)
    if said is True:  # "sim, quero": the comment is still to come
        raise InvalidInput("conv.closing.comment_write")
    if said is False or smalltalk.kind(text) is not None:
        next_pending(turn)
        return
    ticket = closing_ticket(turn)
    if rating_words.new_matter(text) and not rating_words.feedback_words(text):
        turn.say("conv.closing.comment_is_matter")
        matter.keep_typed(turn, text)
        matter.follows(turn, ticket.number)
        next_pending(turn)
        return
    comment = fit(text, rating_service.COMMENT_MAX)
    if comment != text.strip():
        turn.say("conv.closing.comment_cut", length=len(text.strip()),
                 max=rating_service.COMMENT_MAX, kept=len(comment),
                 end=preview(comment[-60:].lstrip(), 60))
    if ticket.rating_comment not in (None, rating_service.clean_comment(comment)):
        turn.say("conv.closing.commented_already", number=ticket.number,
                 who=closing_meanwhile.who_did(turn, ticket, "rating_comment"),
                 comment=preview(ticket.rating_comment, SHOWN))
    else:
        rating_service.comment_rating(turn.ctx, turn.user.id or 0, ticket.id or 0, comment)
        turn.say("conv.closing.comment_kept")
    next_pending(turn)


def wants_to(text: str) -> bool | None:
    """True for a yes to leaving a comment ("quero sim"), False for a no ("não quero"), None
    for words that say more: the comment itself."""
    words = set(fold(text).split())
    if not words - smalltalk.AROUND or len(words) > WANT_MAX or \
            not words <= smalltalk.YES | smalltalk.NO | smalltalk.AROUND | WANT_WORDS | NOT_WANTED:
        return None
    return not words & (smalltalk.NO | NOT_WANTED)


register(
    Step("closing.rate_comment", ask_rate_comment, on_choice=on_rate_comment_choice,
         on_text=on_rate_comment_text, plain_requests=True),
)
