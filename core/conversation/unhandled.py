"""A message no step can read (a sticker, a die, a location, someone else's contact card): the
person is told what the question on screen takes; nothing changes, so a draft stays (R3)."""

from __future__ import annotations

from core.conversation import pause
from core.conversation.engine import is_stale_state, language_of
from core.conversation.identity import identify
from core.conversation.replies import Expect, Reply
from core.conversation.turn import IDLE, STEPS, current_prompt
from core.conversation_state import ConversationKey
from core.i18n import t
from core.services.context import Ctx

KINDS = frozenset({"sticker", "dice", "contact", "location", "poll"})
"""The kinds named as such; any other is "esse tipo de mensagem"."""


def not_an_answer(ctx: Ctx, key: ConversationKey, kind: str) -> list[Reply]:
    """What the question on screen accepts, after a message of a kind no step reads."""
    user = identify(ctx, key)
    lang = language_of(ctx, user)
    what = t(f"conv.unhandled.{kind if kind in KINDS else 'other'}", lang)
    if user is None:
        return [Reply(text=t("conv.unhandled.stranger", lang, what=what))]
    state = ctx.uow.conversations.get(key)
    if state is None or state.user_id != user.id:
        return [Reply(text=t("conv.unhandled.idle", lang, what=what))]
    step = STEPS.get(state.step or "")
    prompt = current_prompt(state)
    if step is None or prompt is None or state.step == IDLE or is_stale_state(ctx, state):
        accepts = "idle"
    elif prompt.expect == Expect.FILES:
        accepts = "files"
    elif prompt.choices:
        accepts = "choice_or_text" if step.on_text else "choice"
    else:
        files = step.on_files is not None or step.name.startswith("intake.")  # as anexos
        accepts = "text_or_files" if files else "text"
    text = t(f"conv.unhandled.{accepts}", lang, what=what)
    if pause.keeps_draft(state) or pause.kept_words(state):
        text += " " + t("conv.unhandled.kept", lang)
    return [Reply(text=text)]
