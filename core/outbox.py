"""Notifications waiting to be delivered: written with the change, sent after commit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from core.models import Model


class Channel(StrEnum):
    """Where a notification goes."""

    TELEGRAM = "telegram"
    SLACK = "slack"
    EMAIL = "email"
    TERMINAL = "terminal"
    """The terminal chat's: its person's notices, shown at their next turn there (never failed
    as unserved: no worker sends them)."""


class DeliveryStatus(StrEnum):
    """The life of an outbox row."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


SLACK_TRIAGE = "triage"
"""Slack target meaning 'the triage channel, in the ticket's thread when it has one'."""
SLACK_HOME = "home:"
"""Slack target prefix meaning 'redraw this person's App Home' (home:U123)."""
SLACK_CARDS = "cards"
"""Slack target meaning 'redraw this ticket's card as it stands', queued apart from the triage
channel's posts so that a burst of redraws never holds them back."""
RESUME = "resume"
"""The row's parameter holding where its last attempt stopped (a Slack lookup's page), for
its next one wherever it runs; a row put back after failing starts afresh without it."""
UNSENT = "unsent"
"""The row's parameter holding the messages of a Telegram row an earlier attempt did not send
(the others were delivered; a trâmite's files named, not their bytes), or the files of a
Slack DM's notice it did not share: its next
attempt sends only them, after `outbox retry` too."""
REPLY_USER = "reply_user"
"""The parameter naming the requester a ticket's notice is for: their e-mail may carry a
signed Reply-To (MAIL_REPLY_TO), a reply to it becoming a trâmite of theirs."""
TELEGRAM_MENU = "telegram.menu"
"""Kind of the row that sets a Telegram chat's "/" menu: params menu = "team" or "default"."""


class OutboxMessage(Model):
    """One notification to one address, rendered from a template key at delivery time."""

    id: int | None = None
    channel: Channel
    target: str
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    ticket_id: int | None = None
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    unposted: int = 0
    """Of the attempts, how many are known not to have reached the channel (it refused)."""
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
