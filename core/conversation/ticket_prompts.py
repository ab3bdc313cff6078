"""A notice that asks something (an approval, a charge's authorization) put to the chat as
its question, unless the person is in the middle of something a question would drop."""

from __future__ import annotations

from core.conversation import billing_prompt, closing, fmt, pause
from core.conversation.engine import is_stale_state, language_of, reset
from core.conversation.identity import identify
from core.conversation.replies import Reply
from core.conversation.turn import STEPS, Turn
from core.conversation_state import ConversationKey, ConversationState
from core.errors import HelpdeskError
from core.models import Status
from core.services.context import Ctx

TICKET_PROMPTS = {
    "ticket.approval_requested": "approval",
    "ticket.approval_reminder": "approval",
    "ticket.billing_prompt": "billing",
}


def prompt_for_ticket_event(ctx: Ctx, key: ConversationKey, ticket_id: int,
                            kind: str) -> list[Reply]:
    """Put the chat into the approval or billing prompt a notification asks for.

    Returns the prompt replies to send instead of the plain notification text, or [] when
    the kind has no prompt, the user is unknown, or is in the middle of typing something
    (then the plain notification is enough; R10 offers approvals again at session start).
    """
    which = TICKET_PROMPTS.get(kind)
    stored = ctx.uow.conversations.get(key)
    state = stored or ConversationState(key=key)
    user = identify(ctx, key)
    if which is None or user is None:
        return []
    work = state.model_copy(deep=True)
    if work.user_id != user.id:
        reset(work)
        work.user_id = user.id
    if busy(ctx, work):
        return []
    turn = Turn(ctx, work, user, language_of(ctx, user))
    try:
        if which == "approval":
            if kind == "ticket.approval_reminder":
                _reminder(turn, ticket_id)
            closing.ask_decision_for(turn, ticket_id)
        else:
            billing_prompt.ask_billing_for(turn, ticket_id)
    except HelpdeskError:
        return []
    work.updated_at = ctx.now
    ctx.uow.conversations.save(work)
    return turn.replies


def busy(ctx: Ctx, state: ConversationState) -> bool:
    """In the middle of something a question pushed now would drop (a step being answered
    and fresh, or work a pause keeps): a ticket's prompt then sends its plain notice."""
    current = STEPS.get(state.step or "")
    kept = pause.keeps_draft(state) or pause.kept_words(state) is not None
    return current is not None and current.is_busy(state) and \
        (kept or not is_stale_state(ctx, state))


def _reminder(turn: Turn, ticket_id: int) -> None:
    """A reminder says so, with the days waited (R21), before the question again, which says
    the days left and the date."""
    ticket = turn.ctx.uow.tickets.get(ticket_id)
    if ticket is not None and ticket.status == Status.AWAITING_APPROVAL:
        since = ticket.awaiting_since or turn.ctx.now
        turn.say("conv.closing.reminder", number=ticket.number, since=fmt.waiting_since(
            since, turn.ctx.now, turn.lang, turn.ctx.policy.timezone))
