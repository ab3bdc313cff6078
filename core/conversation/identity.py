"""Who is typing: a conversation key per channel, and the user it belongs to (R2)."""

from __future__ import annotations

from core.conversation_state import TERMINAL, ConversationKey, terminal_key
from core.models import User
from core.services.context import Ctx

TELEGRAM = "telegram"
SLACK = "slack"


def telegram_key(chat_id: int | str, telegram_user_id: int | str) -> ConversationKey:
    """The conversation of a Telegram user in a chat (private chats: chat id = user id)."""
    return ConversationKey(channel=TELEGRAM, chat_id=str(chat_id), user_key=str(telegram_user_id))


def slack_key(channel_id: str, slack_user_id: str) -> ConversationKey:
    """The conversation of a Slack user in a channel or DM."""
    return ConversationKey(channel=SLACK, chat_id=channel_id, user_key=slack_user_id)


__all__ = ["SLACK", "TELEGRAM", "TERMINAL", "identify", "linked_user", "slack_key",
           "telegram_key", "terminal_key"]


def identify(ctx: Ctx, key: ConversationKey) -> User | None:
    """The active user behind a key, or None when this channel account is not linked."""
    user = linked_user(ctx, key)
    return user if user is not None and user.active else None


def linked_user(ctx: Ctx, key: ConversationKey) -> User | None:
    """The user this channel account is linked to, deactivated or not."""
    user: User | None = None
    raw = key.user_key.strip()
    if key.channel == TELEGRAM:
        user = ctx.uow.users.by_telegram(int(raw)) if raw.lstrip("-").isdecimal() else None
    elif key.channel == SLACK:
        user = ctx.uow.users.by_slack(raw) if raw else None
    elif raw.isdecimal():
        user = ctx.uow.users.get(int(raw))
    return user
