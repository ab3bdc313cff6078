"""A reply to a ticket's approval request in words that decide it: that decision (R19)."""

from __future__ import annotations

from core.conversation import closing_offer, closing_words
from core.conversation.engine import busy, language_of, reset
from core.conversation.identity import identify
from core.conversation.replies import Reply
from core.conversation.turn import Turn
from core.conversation_state import ConversationKey, ConversationState
from core.errors import HelpdeskError
from core.services import queries
from core.services.context import Ctx


def decide_replied(ctx: Ctx, key: ConversationKey, ticket_id: int, text: str
                   ) -> list[Reply] | None:
    """Words replied to the approval request of a ticket awaiting this person's approval
    ("funcionou, pode encerrar", "não resolveu, o pedido continua travando") answer it as at
    its question: the approval confirmed, the reason or the restriction asked with them. None
    when they decide nothing, the ticket awaits no approval of theirs, or a question being
    answered would lose what was typed (the reply is then a trâmite, as any other)."""
    if closing_words.decision(text) is None:
        return None
    user = identify(ctx, key)
    if user is None or user.is_staff or ticket_id not in {
            t.id for t in queries.pending_approvals(ctx, user.id or 0)}:
        return None
    state = (ctx.uow.conversations.get(key) or ConversationState(key=key)).model_copy(deep=True)
    if state.user_id != user.id:
        reset(state)
        state.user_id = user.id
    if busy(ctx, state):
        return None
    turn = Turn(ctx, state, user, language_of(ctx, user))
    try:
        closing_offer.decide(turn, ticket_id, text)
    except HelpdeskError:
        return None
    turn.state.updated_at = ctx.now
    ctx.uow.conversations.save(turn.state)
    return turn.replies
