"""The satisfaction rating after an approval (R20): Ótimo, Bom, Regular, Ruim, Péssimo."""

from __future__ import annotations

from core.conversation import (
    closing_meanwhile,
    closing_words,
    matter,
    rating_comment,
    rating_words,
    smalltalk,
)
from core.conversation.closing import RATEABLE, closing_ticket, focus, moved_on, next_pending
from core.conversation.closing_words import BEST_FIRST
from core.conversation.fmt import preview
from core.conversation.turn import Step, Turn, register
from core.errors import InvalidInput, InvalidTransition
from core.i18n import label
from core.models import Rating, Status


def ask_rating_for(turn: Turn, ticket_id: int) -> None:
    """Ask to rate a closed ticket that has no rating yet (R20)."""
    ticket = closing_ticket(turn, ticket_id)
    if ticket.status != Status.CLOSED or ticket.decision not in RATEABLE:
        raise InvalidTransition("error.not_closed", number=ticket.number)
    if ticket.rating is not None:
        raise InvalidTransition("error.already_rated", number=ticket.number)
    focus(turn, ticket_id, "closing.rate")


def ask_rate(turn: Turn) -> None:
    """Ótimo, Bom, Regular, Ruim, Péssimo (R20)."""
    choices = [(label("rating", r, turn.lang), r.value) for r in Rating]
    choices.append((turn.t("conv.closing.not_now"), "later"))
    text = turn.t("conv.closing.ask_rating", number=closing_ticket(turn).number)
    comment = rating_comment.held(turn)
    if comment:  # feedback typed first: saved with the mark chosen
        text += "\n" + turn.t("conv.closing.comment_held",
                              comment=preview(comment, rating_comment.SHOWN))
    turn.ask("closing.rate", text, choices)


def on_rate(turn: Turn, value: str) -> None:
    """Keep the rating and thank; one given meanwhile elsewhere is said instead (R20)."""
    if value != "later" and rated_meanwhile(turn):
        return
    if value != "later":  # tapped: a comment held is saved with it, else one is offered
        rating_comment.record(turn, Rating(value), offer=True)
        return
    # said, so no one takes the menu that follows for a rating kept
    turn.say("conv.closing.rate_later", number=closing_ticket(turn).number)
    rating_comment.dropped(turn)
    next_pending(turn)


def on_rate_text(turn: Turn, text: str) -> None:
    """Words instead of a tap: a mark named is saved, with the words as its comment when
    they say more ("péssimo, ninguém me respondeu"); feedback naming none is held as the
    comment and the mark asked; a matter is kept and offered as a new ticket, and the
    ticket can still be rated from its page."""
    loose = closing_words.rating_to_confirm(text)
    if loose:
        turn.section("closing").update(loose=[r.value for r in loose], typed=text.strip()[:20])
        turn.go("closing.rate_loose")
        return
    digit = text.strip()
    if digit.isdecimal() and not 1 <= int(digit) <= len(BEST_FIRST):
        # the manual's scale is 1 to 5: "0" or "11" alone is a slip (6 to 10: rating_to_confirm)
        raise InvalidInput("conv.closing.rate_off_scale", number=digit)
    if digit.isdecimal():
        ask_digit(turn, int(digit))
        return
    named = closing_words.rating(text)
    if named is not None:  # "foi muito bom"; "péssimo, ninguém me respondeu por 3 dias"
        if rating_words.remark(text):  # more than the mark: its comment
            rating_comment.hold(turn, text)
        if not rated_meanwhile(turn):  # "1 estrela" alone: a comment offered, as for a tap
            rating_comment.record(turn, named, text, offer=True)
        return
    if rating_words.feedback(text):  # "demorou muito, mas resolveu": which mark?
        rating_comment.hold(turn, text)
        turn.go("closing.rate")
        return
    number = closing_ticket(turn).number
    turn.say("conv.closing.rate_later", number=number)
    rating_comment.dropped(turn)
    if not matter.offer_typed(turn, text):
        raise InvalidInput("conv.error.choose")


def rated_meanwhile(turn: Turn) -> bool:
    """Say who rated the ticket meanwhile (a colleague, another chat) and move on; False while
    it has no rating."""
    ticket = closing_ticket(turn)
    moved = closing_meanwhile.rating_moved(turn, ticket)
    if moved is not None:
        moved_on(turn, "\n".join(filter(None, [moved, rating_comment.meanwhile(turn, ticket)])))
    return moved is not None


def ask_digit(turn: Turn, digit: int) -> None:
    """A number typed alone from 1 to 5: the option of that number and that many stars differ
    but for 3 (Regular); the customer says which they meant."""
    option, stars = BEST_FIRST[digit - 1], BEST_FIRST[len(BEST_FIRST) - digit]
    if option == stars:
        on_rate(turn, option.value)
        return
    turn.section("closing")["digit"] = digit
    turn.go("closing.rate_digit")


def ask_rate_digit(turn: Turn) -> None:
    """"5" is Péssimo (the fifth option) or Ótimo (five stars)?"""
    digit = int(turn.section("closing").get("digit") or 1)
    option, stars = BEST_FIRST[digit - 1], BEST_FIRST[len(BEST_FIRST) - digit]
    shown = {r: label("rating", r, turn.lang) for r in (option, stars)}
    turn.ask("closing.rate_digit", turn.t("conv.closing.rate_digit", digit=digit,
                                          option=shown[option], stars=shown[stars]),
             [(turn.t("conv.closing.rate_as_stars", rating=shown[stars], digit=digit),
               stars.value),
              (turn.t("conv.closing.rate_as_option", rating=shown[option], digit=digit),
               option.value),
              (turn.t("conv.closing.not_now"), "later")])


def ask_rate_loose(turn: Turn) -> None:
    """"10" said back as Ótimo ("8" as Bom), a thumb as the two ratings it may be, a mark named
    where none was asked (rating_typed): confirmed, or another."""
    section = turn.section("closing")
    loose = [Rating(r) for r in section.get("loose") or [Rating.GREAT.value]]
    typed = section.get("typed") or ""
    shown = [label("rating", r, turn.lang) for r in loose]
    if len(loose) == 1:
        key = "conv.closing.rate_named" if section.get("named") else \
            "conv.closing.rate_top" if closing_words.mark_alone(typed) == 10 else \
            "conv.closing.rate_out_of_ten"
        text = turn.t(key, typed=typed, rating=shown[0])
        choices = [(turn.t("conv.closing.rate_top_yes", rating=shown[0]), loose[0].value)]
    else:
        text = turn.t("conv.closing.rate_thumb", typed=typed)
        choices = [(name, r.value) for name, r in zip(shown, loose, strict=True)]
    choices += [(turn.t("conv.closing.rate_other"), "other"),
                (turn.t("conv.closing.not_now"), "later")]
    turn.ask("closing.rate_loose", text, choices)


def on_rate_loose(turn: Turn, value: str) -> None:
    """The rating confirmed, or the whole scale asked again."""
    turn.section("closing").pop("loose", None)
    turn.section("closing").pop("named", None)
    if value == "other":
        turn.go("closing.rate")
        return
    on_rate(turn, value)


def on_rate_loose_text(turn: Turn, text: str) -> None:
    """"sim" to "Registro assim?" records it, "não" shows the whole scale; other words are
    read as at the rating question."""
    loose = turn.section("closing").get("loose") or []
    said = smalltalk.yes_or_no(text)
    if said is not None and len(loose) == 1:
        on_rate_loose(turn, loose[0] if said else "other")
        return
    on_rate_text(turn, text)


register(
    Step("closing.rate", ask_rate, on_choice=on_rate, on_text=on_rate_text,
         numbers_are_text=True, back="later"),  # "voltar": Agora não
    Step("closing.rate_digit", ask_rate_digit, on_choice=on_rate),
    Step("closing.rate_loose", ask_rate_loose, on_choice=on_rate_loose,
         on_text=on_rate_loose_text, numbers_are_text=True),
)
