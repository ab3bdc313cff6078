"""`helpdesk run`'s plug-in point for Slack (bots.app.CHANNEL_MODULES): the channel, Bolt and
slack_sdk are imported only when SLACK_BOT_TOKEN is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bots.settings import secret

if TYPE_CHECKING:
    from bots.app import Host
    from bots.slack.channel import SlackChannel


def build(host: Host) -> SlackChannel | None:
    """The channel when SLACK_BOT_TOKEN is set; None, importing nothing more, without it."""
    if not secret(host.settings.slack_bot_token):
        return None
    from bots.slack import channel

    return channel.build(host)
