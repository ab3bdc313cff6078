"""Answers to the pending approvals offered first (R10): a click, or a decision in words (R19)
for the one ticket awaiting, the one named, or the one picked when several await."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from core.conversation import (
    closing,
    closing_meanwhile,
    closing_steps,
    closing_words,
    matter,
    rating_typed,
    smalltalk,
)
from core.conversation.fmt import fit_told, preview
from core.conversation.intents import numbers_in
from core.conversation.matching import match_words
from core.conversation.turn import Step, Turn, register
from core.conversation_state import ConversationState
from core.errors import InvalidInput, NotFound
from core.models import Attachment, Decision, Status, Ticket
from core.ports import TicketQuery
from core.services import queries
from core.textmatch import ascii_digits


def on_offer(turn: Turn, value: str) -> None:
    """Answer one now, or later."""
    if value.startswith("t:") and value[2:].isdecimal():
        closing.ask_decision_for(turn, int(value[2:]))
        return
    say_later(turn)
    matter.after_flow(turn)


def say_later(turn: Turn) -> None:
    """Left for later: how to come back, with the ticket's number when one awaits."""
    pending = queries.pending_approvals(turn.ctx, turn.user.id or 0)
    if len(pending) == 1:
        turn.say("conv.closing.later_one", number=pending[0].number)
    else:
        turn.say("conv.closing.later")


def on_offer_text(turn: Turn, text: str) -> None:
    """Words typed at the pending approvals (a request in words ran before): a decision in
    words is taken as such, a matter is kept for after them; small talk is answered in kind;
    "sim" answers the first one offered, "não" leaves them for later."""
    pending = queries.pending_approvals(turn.ctx, turn.user.id or 0)
    if decide_in_words(turn, text, pending):
        return
    if closing_words.later_alone(text):  # "depois", "mais tarde": Agora não, no message
        on_offer(turn, "later")
        return
    answer = smalltalk.yes_or_no(text)
    if answer is not None and pending:  # "sim" was "Certo!" and the same list again
        on_offer(turn, f"t:{closing.oldest_first(pending)[0].id}" if answer else "later")
        return
    talk = smalltalk.kind(text)
    if talk is not None:
        turn.say(f"conv.smalltalk.{talk}", name=turn.user.name.split(" ")[0])
    elif matter.is_matter(text):
        keep_for_later(turn, text)
    else:
        raise InvalidInput("conv.error.choose")
    turn.go("closing.offer")


def keep_for_later(turn: Turn, text: str) -> None:
    """Keep a matter typed while approvals are offered; it is offered once they are dealt with."""
    matter.keep_typed(turn, text)
    turn.say("conv.closing.typed_kept")


def named(text: str, tickets: list[Ticket]) -> list[Ticket]:
    """The tickets a sentence names, by number or by the end of it ("o 0001"); a whole number
    names only its own ticket (209901/0001 is not 202611/0001)."""
    text = ascii_digits(text)
    whole = {(period, int(seq)) for period, seq in numbers_in(text)}
    if whole:
        return [t for t in tickets if (t.number.partition("/")[0], t.seq) in whole]
    digits = set(re.findall(r"\d{4,}", text))
    return [t for t in tickets if f"{t.seq:04d}" in digits]


def decide_in_words(turn: Turn, text: str, pending: list[Ticket]) -> bool:
    """"funcionou, obrigada" while tickets await approval: that ticket's decision in those
    words, as at its question, or, several awaiting and none named, which one they answer
    first; False when the words decide nothing."""
    if turn.user.is_staff or smalltalk.kind(text) is not None \
            or closing_words.decision(text) is None:
        return False
    number = other_number(text, pending)
    if number is not None:  # "aprovar o 202611/0002": that one (a colleague's), never another
        other = awaiting_named(turn, number)
        if other is None:  # unseen or not awaiting: a matter, unless approved again (R19)
            return closed_meanwhile(turn, text, number)
        decide(turn, other.id or 0, text)
        return True
    if not pending:  # none awaiting: "o caixa travou" is a matter, not a decision, unless
        return closed_meanwhile(turn, text)  # the answer comes after the 15 days (R21)
    among = named(text, pending) or pending
    if len(among) == 1:
        decide(turn, among[0].id or 0, text)
        return True
    turn.leave("closing")
    section = turn.section("closing")
    section["words"] = fit_told(turn, text, "conv.closing.said_cut")
    section["among"] = [t.id for t in among]
    turn.go("closing.which")
    return True


def decide_named(turn: Turn, text: str, shown_id: int | None = None) -> bool:
    """A decision naming a ticket awaiting approval, typed at another ticket's page or at a
    listing ("quero aprovar o 0004", an approval left for later): that one's, as at the
    menu; False when the words decide nothing or name no other ticket awaiting."""
    if turn.user.is_staff or closing_words.decision(text) is None:
        return False
    pending = [t for t in queries.pending_approvals(turn.ctx, turn.user.id or 0)
               if t.id != shown_id]
    among = named(text, pending)
    return len(among) == 1 and decide_in_words(turn, text, among)


def other_number(text: str, pending: list[Ticket]) -> str | None:
    """The one whole ticket number a sentence names, when it is none of those offered."""
    numbers = {f"{period}/{seq}" for period, seq in numbers_in(ascii_digits(text))}
    return numbers.pop() if len(numbers) == 1 and not named(text, pending) else None


def awaiting_named(turn: Turn, number: str) -> Ticket | None:
    """The ticket of that number if the user sees it (R8) and it awaits approval (R19)."""
    try:
        ticket = queries.ticket_by_number(turn.ctx, turn.user.id or 0, number)
    except NotFound:
        return None
    return ticket if ticket.status == Status.AWAITING_APPROVAL else None


RECENT = timedelta(days=7)
"""How long after a ticket closed by itself words deciding it are taken as about it (R21)."""


def closed_meanwhile(turn: Turn, text: str, number: str | None = None) -> bool:
    """"não funcionou" after the one ticket awaiting this customer's approval closed by
    itself lately (R21): that is said, and the words, a matter, offered as a new ticket
    naming it; words that approve ("nota 10", "funcionou") rate it instead, if unrated (R20);
    so do words approving again ("aprovado") a ticket approved lately, or the one numbered
    (R19); False when no such ticket, or several, closed lately."""
    approving = closing_words.decision(text) == "approve"
    again = approving and not rating_typed.rates(text)  # a mark or feedback: rating_typed's
    since = turn.ctx.now - RECENT
    if number is not None:
        named = ticket_named(turn, number)
        closed = [named] if named is not None and again else []
    else:
        query = TicketQuery(requester_id=turn.user.id, statuses=[Status.CLOSED], limit=20)
        closed = [t for t in turn.ctx.uow.tickets.list(query)
                  if t.closed_at and t.closed_at >= since and (
                      t.decision == Decision.AUTO_APPROVED
                      or again and t.decision in closing.RATEABLE)]
    if len(closed) != 1:
        return False
    moved = closing_meanwhile.decision_moved(turn, closed[0])
    if not approving:
        closing.moved_on(turn, moved or "", text, closed[0])
        return True
    turn.say_text(moved or "")  # closed as she would have it: "nota 10", "funcionou"
    if closed[0].rating is None:  # still hers to rate, as the closing notice says (R20)
        rating_typed.rate(turn, closed[0], text)
    else:
        turn.say("error.already_rated", number=closed[0].number)
        closing.next_pending(turn)
    return True


def ticket_named(turn: Turn, number: str) -> Ticket | None:
    """The ticket of that number if the user sees it (R8) and it closed approved (R19)."""
    try:
        ticket = queries.ticket_by_number(turn.ctx, turn.user.id or 0, number)
    except NotFound:
        return None
    return ticket if ticket.status == Status.CLOSED and ticket.decision in closing.RATEABLE \
        else None


def decide(turn: Turn, ticket_id: int, text: str, files: Sequence[Attachment] = ()) -> None:
    """Answer a ticket still awaiting approval with words typed for it (R19); files sent with
    them (a print's caption) are kept for the reason, as at the question."""
    closing.awaiting_ticket(turn, ticket_id)
    turn.leave("closing")
    turn.section("closing")["ticket_id"] = ticket_id
    if files:
        turn.say("conv.closing.files_for_decision",
                 count=closing_steps.keep_files(turn, list(files)))
    closing_steps.on_decide_words(turn, text)  # "já resolveram?", "funcionou, mas agora…"


def candidates(turn: Turn) -> list[Ticket]:
    """The tickets the words kept may answer, that still await approval, oldest first."""
    among = turn.section("closing").get("among") or []
    pending = queries.pending_approvals(turn.ctx, turn.user.id or 0)
    return closing.oldest_first([t for t in pending if t.id in among])


def ask_which(turn: Turn) -> None:
    """Which ticket the words are about: each by number and assunto, or none now."""
    said = preview(turn.section("closing").get("words", ""), 120)
    choices = [(f"{t.number} — {t.assunto}", f"t:{t.id}")
               for t in candidates(turn)[:closing.OFFERED]]
    choices.append((turn.t("conv.closing.not_now"), "later"))
    turn.ask("closing.which", turn.t("conv.closing.which", text=said), choices)


def on_which(turn: Turn, value: str) -> None:
    """Carry on with the words kept for the ticket picked, or leave them."""
    among = turn.section("closing").get("among") or []
    if value.startswith("t:") and value[2:].isdecimal() and int(value[2:]) in among:
        decide(turn, int(value[2:]), turn.section("closing").get("words", ""))
        return
    say_later(turn)
    matter.after_flow(turn)


def on_which_text(turn: Turn, text: str) -> None:
    """A ticket picked in words: its number ("o 0002"), or words of its assunto ("o boleto")."""
    said = named(text, candidates(turn))
    if len(said) == 1:
        on_which(turn, f"t:{said[0].id}")
        return
    picked = match_words(turn.state, text)
    if picked is None:
        raise InvalidInput("conv.error.choose")
    on_which(turn, picked)


def _words_kept(state: ConversationState) -> bool:
    return bool((state.data.get("closing") or {}).get("words"))


register(
    Step("closing.offer", closing.next_pending, on_choice=on_offer, on_text=on_offer_text,
         requests=True, back="later"),  # "voltar": Agora não
    # Busy: a command or a pushed prompt would drop the words kept for the ticket picked.
    Step("closing.which", ask_which, on_choice=on_which, on_text=on_which_text,
         busy=_words_kept, busy_key="conv.error.busy_which"),
)
