"""Closing (R10, R19, R20, R23): pending approvals, the decision, the rating, billing."""

from __future__ import annotations

from collections.abc import Callable

from core.conversation import (
    closing_meanwhile,
    closing_whose,
    closing_words,
    matter,
    smalltalk,
    ticket_said,
)
from core.conversation.contact import say_away
from core.conversation.fmt import auto_close_line, fit_told, preview
from core.conversation.replies import Expect, Piece
from core.conversation.ticket_tramite import note_sent
from core.conversation.turn import STEPS, Turn
from core.errors import InvalidInput, InvalidTransition, NotAllowed
from core.i18n import label
from core.models import Attachment, Decision, EntryKind, Status, Ticket
from core.services import closing, queries, tramites
from core.services.access import ticket_for

OFFERED = 5
MAX_REASON_FILES = 10
SOLUTION_SHOWN = 1500
"""A longer answer is sent whole before the approval question instead of inside it."""
RATEABLE = (Decision.APPROVED, Decision.APPROVED_WITH_RESTRICTIONS, Decision.AUTO_APPROVED)


def closing_ticket(turn: Turn, ticket_id: int | None = None) -> Ticket:
    """The ticket being closed, re-checked against the user on every click (R8)."""
    if ticket_id is None:
        ticket_id = turn.section("closing").get("ticket_id")
    if not isinstance(ticket_id, int):
        raise InvalidInput("conv.error.not_offered")
    if turn.user.is_staff:
        raise NotAllowed("error.customer_only")
    return ticket_for(turn.ctx, turn.user, ticket_id)


def focus(turn: Turn, ticket_id: int, step: str) -> None:
    """Put the chat on one ticket's closing question, forgetting any other's."""
    turn.leave("closing")
    turn.section("closing")["ticket_id"] = ticket_id
    turn.go(step)


def oldest_first(pending: list[Ticket]) -> list[Ticket]:
    """Tickets awaiting approval, those nearest to closing by themselves first (R21)."""
    return sorted(pending, key=lambda t: (t.awaiting_since or t.opened_at, t.id or 0))


def offer(turn: Turn, pending: list[Ticket]) -> None:
    """Tickets awaiting this user's approval, offered before anything else (R10)."""
    pending = oldest_first(pending)
    lines = [f"• {t.number} — {preview(t.assunto, 80)}" for t in pending[:OFFERED]]
    text = turn.t("conv.closing.offer", count=len(pending)) + "\n" + "\n".join(lines)
    choices = [(turn.t("conv.closing.offer_item", number=t.number), f"t:{t.id}")
               for t in pending[:OFFERED]]
    choices.append((turn.t("conv.closing.not_now"), "later"))
    turn.ask("closing.offer", text, choices)


def awaiting_ticket(turn: Turn, ticket_id: int) -> Ticket:
    """One of the user's tickets, refused unless it still awaits approval (R19)."""
    ticket = closing_ticket(turn, ticket_id)
    if ticket.status != Status.AWAITING_APPROVAL:
        key = "error.already_closed" if ticket.status == Status.CLOSED else "error.not_awaiting"
        raise InvalidTransition(key, number=ticket.number)
    return ticket


def ask_decision_for(turn: Turn, ticket_id: int) -> None:
    """Put the approval question of a ticket awaiting approval (R19); if that ticket's charge
    question is on screen (pushed just before), answering it leads there instead of a copy."""
    ticket = awaiting_ticket(turn, ticket_id)
    section = turn.section("closing")
    if turn.state.step == "closing.billing" and section.get("ticket_id") == ticket_id \
            and ticket.billable and ticket.billing_authorized is None:
        section["then"] = "closing.decide"
        return
    focus(turn, ticket_id, "closing.decide")


def _solution(turn: Turn, ticket: Ticket) -> tuple[str, str]:
    """The latest public answer by the support team, and who wrote it."""
    for entry in reversed(turn.ctx.uow.entries.list(ticket.id or 0, include_internal=False)):
        author = turn.ctx.uow.users.get(entry.author_id) if entry.author_id else None
        if entry.kind == EntryKind.PUBLIC and author is not None and author.is_staff:
            return author.name, entry.text
    return "—", ""


def charge_first(turn: Turn, ticket: Ticket, then: str) -> bool:
    """Ask a charge still awaiting the customer's word before a question that may close the
    ticket, coming back to `then` once answered: its authorization is prior (R23)."""
    if not ticket.billable or ticket.billing_authorized is not None:
        return False
    turn.section("closing")["then"] = then
    turn.say("conv.closing.charge_first", number=ticket.number)
    turn.go("closing.billing")
    return True


def ask_decide(turn: Turn) -> None:
    """Aprovar, Não aprovar (with a reason), Aprovar com restrições (with a comment); a charge
    still awaiting the customer's word is asked first, as its authorization is prior (R23)."""
    ticket = closing_ticket(turn)
    if charge_first(turn, ticket, "closing.decide"):
        return
    author, solution = _solution(turn, ticket)
    if len(solution) > SOLUTION_SHOWN:
        # Read in full first, its own message; the question, asked again after a mistake, short.
        turn.say_typed(solution)
        solution = turn.t("conv.closing.solution_above")
    text, pieces = turn.typed_t("conv.closing.ask_decision", "solution", solution,
                                number=ticket.number, assunto=ticket.assunto, author=author,
                                closes=auto_close_line(turn, ticket))
    if whose := closing_whose.line(turn, ticket):  # a colleague's ticket: named (R8)
        text += f"\n{whose}"
        pieces += [Piece(text=f"\n{whose}")] if pieces else []
    turn.ask("closing.decide", text, pieces=pieces, choices=[
        (turn.t("conv.closing.approve"), "approve"),
        (turn.t("conv.closing.reject"), "reject"),
        (turn.t("conv.closing.partial"), "partial"),
        (turn.t("conv.closing.decide_later"), "later"),
    ])


def on_decide(turn: Turn, value: str) -> None:
    """Approve now, or ask for the reason or the comment."""
    if value == "approve":
        if charge_first(turn, closing_ticket(turn), "closing.decide"):
            return  # a new quote came while the solution was on screen (R23)
        if turn.by_number:  # "1" typed out of habit: what it does said before it is done
            turn.section("closing")["by_number"] = True
            turn.go("closing.confirm")
            return
        files_as_tramite(turn)
        ticket = closing.approve(turn.ctx, turn.user.id or 0, closing_ticket(turn).id or 0)
        closing_whose.say_done(turn, "conv.closing.approved", ticket)
        said = turn.section("closing").pop("praise", None)
        mark, rate = closing_words.explicit_rating(said or ""), STEPS["closing.rate"].on_choice
        if mark and rate:  # "funcionou, 5 estrelas": rated in those words, a comment offered
            turn.say("conv.closing.rated_from_words", said=preview(said or "", 60),
                     rating=label("rating", mark, turn.lang))
            rate(turn, mark.value)
        else:
            turn.go("closing.rate")
    elif value == "reject":
        turn.go("closing.reason")
    elif value == "partial":
        turn.go("closing.comment")
    elif not ticket_said.offer_later(turn, closing_ticket(turn)):
        turn.say("conv.closing.later_one", number=closing_ticket(turn).number)
        matter.after_flow(turn)


def files_as_tramite(turn: Turn) -> None:
    """Prints kept at the question for a reason, the solution approved after all: they go into
    the thread as the customer's trâmite, not dropped."""
    section = turn.section("closing")
    files = [Attachment.model_validate(a) for a in section.pop("files", None) or []]
    if files:
        ticket = closing_ticket(turn)
        tramites.add_tramite(turn.ctx, turn.user.id or 0, ticket.id or 0, None, files)
        turn.say("conv.closing.files_as_tramite", count=len(files), number=ticket.number)


def on_decide_text(turn: Turn, text: str) -> None:
    """Words instead of a decision: "funcionou" asks to confirm the approval, "não resolveu, o
    saldo continua negativo" asks for the reason offering those words; others are kept, to be
    the reason or the restriction once one of those is chosen."""
    verdict = closing_words.decision(text) or closing_words.bare_no(text)
    if verdict == "approve":
        turn.section("closing")["praise"] = text.strip()[:200]  # a mark in it: the rating too
        turn.go("closing.confirm")
        return
    if verdict == "partial":  # the restriction is in the words: offered as the comment
        if closing_words.says_which(text):  # "aprovo com ressalva: …" is what follows
            turn.section("closing")["said"] = fit_told(turn, closing_words.restriction(text),
                                                       "conv.closing.said_cut")
        turn.go("closing.comment")
        return
    if verdict == "not_approve":
        if closing_words.gives_a_reason(text):
            turn.section("closing")["said"] = fit_told(turn, text, "conv.closing.said_cut")
        turn.go("closing.reason")
        return
    if closing_words.later(text):  # "vou testar amanhã": Decidir depois, the words offered
        if not closing_words.later_alone(text):  # "later" alone is only the button
            turn.section("closing")["said"] = fit_told(turn, text, "conv.closing.said_cut")
        on_decide(turn, "later")  # to the team as a trâmite
        return
    if not matter.is_matter(text):
        raise InvalidInput("conv.error.choose")
    turn.section("closing")["said"] = fit_told(turn, text, "conv.closing.said_cut")
    turn.say("conv.closing.said_kept")
    turn.go("closing.decide")


def _ask_words(turn: Turn, step: str, key: str) -> None:
    """Ask for the reason or the restriction, offering the words already typed, if any."""
    text = turn.t(key, number=closing_ticket(turn).number)
    said = turn.section("closing").get("said")
    choices = [(turn.t("conv.closing.back"), "back")]
    if said:
        text += "\n" + turn.t("conv.closing.said", text=preview(said, 300))
        choices.insert(0, (turn.t("conv.closing.use_said"), "said"))
    turn.ask(step, text, choices, Expect.TEXT)


def ask_reason(turn: Turn) -> None:
    """Why the solution is not approved (required, R19)."""
    _ask_words(turn, "closing.reason", "conv.closing.ask_reason")


def on_reason(turn: Turn, text: str) -> None:
    """The ticket goes back to attendance with the reason (and the files sent for it)."""
    smalltalk.refuse(text, "conv.closing.reason_small_talk", numbers=True)
    files = [Attachment.model_validate(a) for a in turn.section("closing").get("files", [])]
    ticket = closing.not_approve(turn.ctx, turn.user.id or 0, closing_ticket(turn).id or 0, text,
                                 files)
    note_sent(turn, ticket.id or 0, text)  # in the thread: an edit of it is told so
    closing_whose.say_done(turn, "conv.closing.not_approved", ticket)
    say_away(turn)
    next_pending(turn)


def ask_comment(turn: Turn) -> None:
    """The restriction, as a comment (R19); approving with it closes the ticket."""
    if charge_first(turn, closing_ticket(turn), "closing.comment"):
        return
    _ask_words(turn, "closing.comment", "conv.closing.ask_comment")


def on_comment(turn: Turn, text: str) -> None:
    """Close with restrictions, then ask for the rating."""
    smalltalk.refuse(text, "conv.closing.comment_small_talk", numbers=True)
    ticket = closing_ticket(turn)
    if ticket.billable and ticket.billing_authorized is None:  # a new quote meanwhile (R23)
        turn.section("closing")["said"] = text  # offered again after the charge
        charge_first(turn, ticket, "closing.comment")
        return
    files_as_tramite(turn)
    ticket = closing.approve_with_restrictions(turn.ctx, turn.user.id or 0, ticket.id or 0, text)
    closing_whose.say_done(turn, "conv.closing.approved_partial", ticket)
    turn.go("closing.rate")


def next_pending(turn: Turn) -> None:
    """Offer the next pending approval, or the menu."""
    pending = queries.pending_approvals(turn.ctx, turn.user.id or 0)
    if pending:
        offer(turn, pending)
    else:
        matter.after_flow(turn)


def moved_on(turn: Turn, text: str, words: str | None = None,
             closed: Ticket | None = None) -> None:
    """Say what happened to the ticket meanwhile; words written for it are kept and offered
    (as a new ticket naming it, once closed) after the next pending approval, if any."""
    said = turn.section("closing").get("said")
    turn.say_text(text)
    turn.leave("closing")
    for kept in dict.fromkeys(filter(None, (said, words))):
        if matter.is_matter(kept):
            matter.keep_typed(turn, kept)
            if closed is not None and closed.status == Status.CLOSED:
                matter.follows(turn, closed.number)
    next_pending(turn)


def while_awaiting(answer: Callable[[Turn, str], None], words: bool = False
                   ) -> Callable[[Turn, str], None]:
    """An answer to the approval question, unless its ticket was answered meanwhile elsewhere
    or closed by itself (R19, R21): then that is said instead of the question again."""

    def guarded(turn: Turn, value: str) -> None:
        ticket = closing_ticket(turn)
        moved = closing_meanwhile.decision_moved(turn, ticket)
        if moved is None:
            answer(turn, value)
        else:
            moved_on(turn, moved, value if words else None, ticket)

    return guarded
