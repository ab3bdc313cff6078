"""A chat back after blocking the bot (Telegram refused its messages meanwhile): a question
asked while it was blocked never reached the person, so it is shown before anything typed is
read as its answer (R19, R23)."""

from __future__ import annotations

from core.conversation import confused, smalltalk
from core.conversation.engine import language_of
from core.conversation.fmt import preview
from core.conversation.identity import identify
from core.conversation.replies import Reply, UserInput
from core.conversation.turn import current_prompt
from core.conversation_state import ConversationKey
from core.i18n import t
from core.services.context import Ctx

ASKED_BY_NOTICE = frozenset({"closing.decide", "closing.billing"})
"""The questions a notice puts to the chat (ticket_prompts.prompt_for_ticket_event)."""


def unseen_question(ctx: Ctx, key: ConversationKey, user_input: UserInput) -> list[Reply]:
    """The question a notice put to the chat, said not to have reached it, with words typed now
    shown back rather than taken as its answer; [] when there is none (or files came, which the
    question's step keeps)."""
    state = ctx.uow.conversations.get(key)
    user = identify(ctx, key)
    if state is None or user is None or state.step not in ASKED_BY_NOTICE or user_input.files \
            or user_input.choice is not None or user_input.command is not None:
        return []
    prompt = current_prompt(state)
    if prompt is None:
        return []
    lang = language_of(ctx, user)
    replies = [Reply(text=t("conv.unblocked", lang))]
    text = (user_input.text or "").strip()
    if text and smalltalk.kind(text) is None and not confused.confused(text):
        replies.append(Reply(text=t("conv.stale_unused", lang, text=preview(text, 600))))
    return [*replies, prompt]
