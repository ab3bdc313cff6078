"""`helpdesk run`'s plug-in point for Telegram (bots.app.CHANNEL_MODULES): the channel and
python-telegram-bot are imported only when TELEGRAM_BOT_TOKEN is set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bots.settings import secret

if TYPE_CHECKING:
    from bots.telegram.channel import TelegramChannel


def build(host: Any) -> TelegramChannel | None:
    """The channel when TELEGRAM_BOT_TOKEN is set; None, importing nothing more, without it."""
    if not secret(host.settings.telegram_bot_token):
        return None
    from bots.telegram import channel

    return channel.build(host)
