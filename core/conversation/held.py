"""What a question holds that the user typed though leaving it asks nothing first: the words
of a reason or restriction not yet confirmed (R19), a comment held for the rating (R20), a
search's results (R9), a message offered as a new ticket (R3). START (/start, a new terminal
run) resumes there rather than drop it."""

from __future__ import annotations

from core.conversation.fmt import short_names
from core.conversation_state import ConversationState

DECISION_STEPS = frozenset({"closing.decide", "closing.confirm", "closing.reason",
                            "closing.comment", "closing.comment_check"})
RATING_STEPS = frozenset({"closing.rate", "closing.rate_loose", "closing.rate_digit"})
KB_STEPS = frozenset({"kb.query", "kb.results", "kb.article"})
OFFER_STEP = "menu.typed"
"""A message or files kept at the menu, offered as a new ticket or a search."""


def kept(state: ConversationState) -> bool:
    """Whether the question on screen holds something typed (or sent) that START would drop."""
    closing = state.data.get("closing") or {}
    if state.step in DECISION_STEPS:
        return bool(closing.get("said") or closing.get("files"))
    if state.step in RATING_STEPS:
        return bool(closing.get("comment"))
    if state.step in KB_STEPS:  # a search, or a problem typed before it (kb.CARRIED)
        kb = state.data.get("kb") or {}
        return bool(kb.get("query") or kb.get("typed") or kb.get("files"))
    if state.step == OFFER_STEP:
        typed = state.data.get("typed") or {}
        return bool(typed.get("text") or typed.get("files"))
    return False


def words(state: ConversationState) -> str:
    """The words (or the files' names) held, to say back; "" for none."""
    closing = state.data.get("closing") or {}
    if state.step in DECISION_STEPS:
        return str(closing.get("said") or ", ".join(
            short_names([f.get("filename", "") for f in closing.get("files") or []])))
    if state.step in RATING_STEPS:
        return str(closing.get("comment") or "")
    if state.step in KB_STEPS:
        return str((state.data.get("kb") or {}).get("typed") or "")
    if state.step == OFFER_STEP:  # shown again by the offer itself
        typed = state.data.get("typed") or {}
        return str(typed.get("text") or ", ".join(
            short_names([f.get("filename", "") for f in typed.get("files") or []])))
    return ""
