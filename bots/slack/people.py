"""Who is clicking: Slack ids resolved to registered users inside core's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from core.errors import NotAllowed, NotEligible
from core.models import User
from core.services.context import Ctx

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


def as_agent(ctx: Ctx, slack_id: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a use case as the agent behind a Slack id (core re-checks the rest)."""
    return fn(ctx, agent(ctx, slack_id).id, *args, **kwargs)


def as_user(ctx: Ctx, slack_id: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a use case as whoever is registered with a Slack id."""
    return fn(ctx, registered(ctx, slack_id).id, *args, **kwargs)


def first_time(ctx: Ctx, key: str) -> bool:
    """Record an inbound event id; False when Slack already delivered it (a retry)."""
    return bool(ctx.uow.inbound.record(SOURCE, key, ctx.now))  # type: ignore[attr-defined]
