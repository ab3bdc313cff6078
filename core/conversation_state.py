"""The persisted state of one chat conversation, keyed by (channel, chat, user)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from core.models import Model


class ConversationKey(Model):
    """Which conversation: a channel, a chat in it, and the person typing."""

    channel: str
    chat_id: str
    user_key: str


TERMINAL = "terminal"


def terminal_key(user_id: int) -> ConversationKey:
    """The terminal conversation of a registered user (the CLI already knows who it is)."""
    return ConversationKey(channel=TERMINAL, chat_id=f"terminal:{user_id}", user_key=str(user_id))


class ConversationState(Model):
    """Where a conversation stands; version guards against two concurrent updates."""

    key: ConversationKey
    user_id: int | None = None
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    prompt_id: int = 0
    updated_at: datetime | None = None
    version: int = 0
