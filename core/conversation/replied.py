"""A reply (Telegram) to a bot message about a ticket: a trâmite of it (R7), or words that
decide the ticket's approval (R19), or a matter about a ticket closed since (R7); an edit of a
reply already sent as a trâmite (R7). Which ticket a message names, to link it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.conversation import (
    closed_words,
    closing,
    closing_meanwhile,
    closing_offer,
    closing_words,
    matter,
    pause,
    rating_typed,
    ticket_said,
    typed,
)
from core.conversation.contact import team_away
from core.conversation.engine import is_stale_state, language_of, reset
from core.conversation.identity import identify
from core.conversation.replies import Reply
from core.conversation.ticket_prompts import busy
from core.conversation.turn import STEPS, Turn, ask_again, error_text
from core.conversation_state import ConversationKey, ConversationState
from core.errors import HelpdeskError
from core.i18n import t
from core.models import Attachment, Status, User
from core.services import queries, tramites
from core.services.access import can_see
from core.services.context import Ctx
from core.services.handling import find_by_number

_NUMBER = re.compile(r"(?<!\d)(\d{6})/(\d{4,6})(?!\d)")


def ticket_named(ctx: Ctx, user: User, text: str, seen: dict[str, int | None]) -> int | None:
    """The ticket a text names, when it names exactly one that the user may see (`seen`:
    the numbers looked up already, for a batch of messages)."""
    numbers = {f"{a}/{b}" for a, b in _NUMBER.findall(text)}
    if len(numbers) != 1:
        return None
    number = numbers.pop()
    if number not in seen:
        ticket = find_by_number(ctx, number)
        seen[number] = ticket.id if ticket is not None and can_see(user, ticket) else None
    return seen[number]


def replied_on(ctx: Ctx, key: ConversationKey, ticket_id: int, text: str | None,
               files: Sequence[Attachment] = ()) -> tuple[list[Reply], bool]:
    """A reply to a message about a ticket: the approval its words decide (R19), else a
    trâmite of it (R7; a voice note said not heard), else, the ticket closed since, the words
    and files offered as a new ticket; refused as the service refuses (another company's
    ticket looks missing). The question being answered comes again after a trâmite or a
    refusal. Also whether a trâmite was added."""
    user = identify(ctx, key)
    if user is None or user.id is None:
        return [], False
    lang = language_of(ctx, user)
    decided = decide_replied(ctx, key, ticket_id, text or "", files)
    if decided is not None:
        return decided, False
    try:
        tramites.add_tramite(ctx, user.id, ticket_id, text, list(files))
    except HelpdeskError as err:
        offered = about_closed(ctx, key, ticket_id, text or "", files)
        if offered:
            return offered, False
        return [Reply(text=error_text(err, lang)), *pending_question(ctx, key)], False
    ticket = ctx.uow.tickets.get(ticket_id)
    heard = [Reply(text=t("conv.files.audio_not_heard", lang))] \
        if any(f.content_type.startswith("audio/") for f in files) else []
    added = Reply(text=t("conv.tramite.added", lang, number=ticket.number if ticket else ""))
    away = None if user.is_staff else team_away(ctx, lang)  # when the team reads it (R14)
    return [*heard, added, *([Reply(text=away)] if away else []), *pending_question(ctx, key)], \
        True


def _turn(ctx: Ctx, key: ConversationKey) -> Turn | None:
    """A turn on the person's chat, None when a question being answered would lose what was
    typed there (or the person is not a customer)."""
    user = identify(ctx, key)
    if user is None or user.is_staff:
        return None
    state = (ctx.uow.conversations.get(key) or ConversationState(key=key)).model_copy(deep=True)
    if state.user_id != user.id:
        reset(state)
        state.user_id = user.id
    current = STEPS.get(state.step or "")
    kept = pause.keeps_draft(state) or pause.kept_words(state) is not None
    if current is not None and current.is_busy(state) and (kept or not is_stale_state(ctx, state)):
        return None
    return Turn(ctx, state, user, language_of(ctx, user))


def _saved(turn: Turn) -> list[Reply]:
    turn.state.updated_at = turn.ctx.now
    turn.ctx.uow.conversations.save(turn.state)
    return turn.replies


def decide_replied(ctx: Ctx, key: ConversationKey, ticket_id: int, text: str,
                   files: Sequence[Attachment] = ()) -> list[Reply] | None:
    """Words replied to the approval request of a ticket awaiting this person's approval
    ("funcionou, pode encerrar", "não resolveu, o pedido continua travando") answer it as at
    its question: the approval confirmed, the reason or the restriction asked with them. None
    when they decide nothing, the ticket awaits no approval of theirs, or a question being
    answered would lose what was typed (the reply is then a trâmite, as any other). Files
    sent with the words (a photo's caption) are kept for the reason, as at the question."""
    if closing_words.decision(text) is None:
        return None
    turn = _turn(ctx, key)
    if turn is None or ticket_id not in {
            t.id for t in queries.pending_approvals(ctx, turn.user.id or 0)}:
        return None
    try:
        closing_offer.decide(turn, ticket_id, text, files)
    except HelpdeskError:
        return None
    return _saved(turn)


def about_closed(ctx: Ctx, key: ConversationKey, ticket_id: int, text: str,
                 files: Sequence[Attachment] = ()) -> list[Reply] | None:
    """A matter (or files, with their caption) replied to a message about a ticket closed or
    rejected since: why it is no trâmite, then the words and files kept and offered as a new
    ticket (naming a closed one), as at the ticket's page and the menu; in the middle of
    something else, kept there (closed_words). None when it is no matter."""
    ticket = ctx.uow.tickets.get(ticket_id)
    user = identify(ctx, key)
    if user is None or user.is_staff or ticket is None or ticket.is_open \
            or not can_see(user, ticket) or not (files or matter.is_matter(text)):
        return None
    turn = _turn(ctx, key)
    if turn is None:  # a question being answered: the words kept there, not offered
        state = ctx.uow.conversations.get(key)
        if state is None:
            return None
        busy_turn = Turn(ctx, state.model_copy(deep=True), user, language_of(ctx, user))
        return closed_words.in_busy_step(busy_turn, ticket, text, files)
    if ticket.duplicate_of_id is not None:  # its original carries on: offered as its trâmite
        original = ctx.uow.tickets.get(ticket.duplicate_of_id)
        if original is None or not original.is_open or not can_see(turn.user, original):
            return None
        turn.say("conv.tramite.not_open_duplicate", number=ticket.number,
                 original=original.number)
        ticket_said.offer_on(turn, original.id or 0, text.strip() or None, list(files))
        return _saved(turn)
    kind = "rejected" if ticket.status == Status.REJECTED else "closed"
    turn.say(f"conv.tramite.not_open_{kind}", number=ticket.number)
    if kind == "closed":
        matter.follows(turn, ticket.number)
    if files:
        turn.caption = text or None
        try:
            typed.keep_files(turn, list(files))
        except HelpdeskError:
            return None  # a user who may not open tickets: the plain refusal
        turn.go("menu.typed")
        return _saved(turn)
    return _saved(turn) if matter.offer_typed(turn, text) else None


def pending_question(ctx: Ctx, key: ConversationKey) -> list[Reply]:
    """The question being answered (an intake's, a reason's), asked again after a reply about
    another ticket was handled, so the person knows where they were; what they typed is kept.
    [] at the menu, or when nothing typed is at stake."""
    user = identify(ctx, key)
    state = ctx.uow.conversations.get(key)
    if user is None or state is None or state.user_id != user.id or not busy(ctx, state):
        return []
    asked = ask_again(Turn(ctx, state, user, language_of(ctx, user)))
    return [asked] if asked is not None else []


def tramite_edited(ctx: Ctx, key: ConversationKey, ticket_id: int, text: str) -> list[Reply]:
    """An edit of a message sent as the ticket's trâmite: the trâmite sent does not change;
    the new text is offered as another (Enviar or Descartar), or, while something else is
    being typed, how to send it is said; the ticket closed since, the new text is kept and
    offered as a new ticket (about_closed)."""
    user = identify(ctx, key)
    ticket = ctx.uow.tickets.get(ticket_id)
    if user is None or ticket is None or not can_see(user, ticket):
        return []
    turn = _turn(ctx, key)
    lang = language_of(ctx, user)
    said = Reply(text=t("conv.edited.tramite", lang, number=ticket.number))
    if not ticket.is_open:  # the new words offered as a new ticket, or kept where typing
        offered = about_closed(ctx, key, ticket_id, text) if text.strip() else None
        kind = "rejected" if ticket.status == Status.REJECTED else "closed"
        return [said, *(offered or [Reply(text=t(f"conv.tramite.not_open_{kind}", lang,
                                                   number=ticket.number))])]
    if turn is None or not text.strip():
        return [said, Reply(text=t("conv.edited.tramite_reply", lang, number=ticket.number))]
    turn.replies.append(said)
    ticket_said.offer_on(turn, ticket_id, text.strip(), [], "conv.edited.tramite_offer")
    return _saved(turn)


def click_forgotten(ctx: Ctx, key: ConversationKey, ticket_id: int,
                    value: str = "") -> tuple[list[Reply], bool]:
    """A button of a message about a ticket tapped once the conversation was dropped (days of
    silence): Aprovar goes on as on the question, the approval confirmed while the ticket
    awaits this person's (R19), the rating asked once it closed approved with none (R20,
    R21); else how it closed, or []. Also whether the tap was answered so (no greeting)."""
    user = identify(ctx, key)
    ticket = ctx.uow.tickets.get(ticket_id)
    if user is None or user.is_staff or ticket is None or not can_see(user, ticket) \
            or ctx.uow.conversations.get(key) is not None:
        return [], False
    turn = _turn(ctx, key)
    if turn is None:
        return [], False
    if value == "approve" and ticket.id in {
            t.id for t in queries.pending_approvals(ctx, user.id or 0)}:
        closing.focus(turn, ticket_id, "closing.confirm")
        return _saved(turn), True
    if ticket.status != Status.CLOSED:
        return [], False
    line = closing_meanwhile.decision_moved(turn, ticket)
    if value == "approve" and ticket.decision in closing.RATEABLE and ticket.rating is None:
        turn.say_text(line or "")
        rating_typed.rate(turn, ticket, "")
        return _saved(turn), True
    return ([Reply(text=line)] if line else []), False
