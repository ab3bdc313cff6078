"""Who is clicking: Slack ids resolved to registered users inside core's transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from bots.runtime import Desk, is_transient
from bots.slack.typed import labelled, named, typed_text
from core.conversation.engine import language_of
from core.errors import NotAllowed, NotEligible
from core.i18n import t
from core.models import User
from core.services.context import Ctx

log = logging.getLogger(__name__)
T = TypeVar("T")
SOURCE = "slack"


class NotAgent(NotAllowed):
    """Only registered agents (a staff user linked to this Slack id) act on tickets."""

    key = "slack.refuse.not_agent"


class Unknown(NotEligible):
    """Nobody is registered with this Slack id."""

    key = "slack.refuse.unknown"


class Inactive(NotAllowed):
    """The account linked to this Slack id was deactivated."""

    key = "slack.refuse.inactive"


def registered(ctx: Ctx, slack_id: str) -> User:
    """The active user linked to a Slack id; Unknown, or Inactive for a deactivated account."""
    user = ctx.uow.users.by_slack(slack_id) if slack_id else None
    if user is None or user.id is None:
        raise Unknown()
    if not user.active:
        raise Inactive()
    return user


def agent(ctx: Ctx, slack_id: str) -> User:
    """The registered agent behind a Slack id, or NotAgent."""
    try:
        user = registered(ctx, slack_id)
    except Unknown:
        raise NotAgent() from None
    if not user.is_staff:
        raise NotAgent()
    return user


def language_for(ctx: Ctx, slack_id: str) -> str:
    """The language of whoever is registered with a Slack id (deactivated too: they are told
    so in it), else the desk's: what only this person sees is written in it."""
    return language_of(ctx, ctx.uow.users.by_slack(slack_id) if slack_id else None)


async def language(desk: Desk, slack_id: str) -> str:
    """language_for, read in its own transaction by a listener about to answer someone (a
    refusal, a form's error); the desk's when the database cannot say now."""
    try:
        return await desk.acall(language_for, slack_id)
    except Exception as exc:
        if not is_transient(exc):
            raise
        log.warning("language of %s not read (%s); answering in the desk's", slack_id, exc)
        return desk.policy.language


def as_agent(ctx: Ctx, slack_id: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a use case as the agent behind a Slack id (core re-checks the rest)."""
    return fn(ctx, agent(ctx, slack_id).id, *args, **kwargs)


def as_user(ctx: Ctx, slack_id: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a use case as whoever is registered with a Slack id."""
    return fn(ctx, registered(ctx, slack_id).id, *args, **kwargs)


def first_time(ctx: Ctx, key: str) -> bool:
    """Record an inbound event id; False when Slack already delivered it (a retry)."""
    return bool(ctx.uow.inbound.record(SOURCE, key, ctx.now))  # type: ignore[attr-defined]


def seen_before(ctx: Ctx, key: str) -> bool:
    """Whether the key was recorded (first_time), without recording it: a retried send asks
    again and must get the same answer."""
    return bool(ctx.uow.inbound.seen(SOURCE, key))  # type: ignore[attr-defined]


def refused(key: str) -> str:
    """The key marking an event's or click's refusal as said (the refusal records nothing
    else, so a retry would say it again)."""
    return f"refused:{key}"[:200]


def mentioned(ctx: Ctx, slack_id: str) -> str:
    """How a person mentioned in Slack reads outside it: a registered user's name, else a
    neutral "alguém" (a raw id such as UCARLA means nothing to the customer)."""
    user = ctx.uow.users.by_slack(slack_id) if slack_id else None
    return user.name if user is not None else t("slack.mention.someone", ctx.policy.language)


def said(ctx: Ctx, sent: str | None) -> str:
    """A message's or command's text as the person wrote it, people mentioned by name."""
    return typed_text(sent, lambda someone: mentioned(ctx, someone),
                      t("slack.mention.channel", ctx.policy.language))


def said_in_form(ctx: Ctx, typed: str) -> str:
    """A form's field as typed, people mentioned by name."""
    return named(typed, lambda someone: mentioned(ctx, someone),
                 t("slack.mention.channel", ctx.policy.language))


def with_names(ctx: Ctx, sent: str) -> str:
    """A message's text with the people mentioned in it labelled by name, for a reader that
    has no database at hand (the DM's conversation)."""
    return labelled(sent, lambda someone: mentioned(ctx, someone),
                    t("slack.mention.channel", ctx.policy.language))
