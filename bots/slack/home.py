"""The App Home tab: drawn when someone opens it, and redrawn through the outbox for the agents
who opened it lately whenever the tickets change (one publish per agent for a burst)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bots.slack import lists
from bots.slack.list_blocks import home_view
from bots.slack.people import Inactive, Unknown, language_for, registered
from bots.slack.sections import text_blocks
from core.conversation.engine import error_text, language_of
from core.models import User
from core.outbox import SLACK_HOME, Channel, OutboxMessage
from core.services import queries, worklists
from core.services.context import Ctx

KEPT = timedelta(days=1)
"""A Home opened within this long is kept up to date; an older one is redrawn when opened."""
DELAY = timedelta(seconds=2)
"""A redraw waits this long, so the changes that follow within it share it."""
REDRAWN_AFTER = frozenset({"card", "ticket.overdue"})
"""Outbox kinds whose delivery means the queue, a responsible or a count changed."""


def view(ctx: Ctx, slack_id: str) -> dict[str, Any]:
    """The App Home of an agent (counts with the overdue, own tickets, queue) or a customer."""
    try:
        user = registered(ctx, slack_id)
    except (Unknown, Inactive) as err:
        return {"type": "home", "blocks": text_blocks(error_text(err, language_for(ctx, slack_id)))}
    return _drawn(ctx, user)


def opened(ctx: Ctx, slack_id: str) -> dict[str, Any]:
    """The Home someone just opened; an agent's is kept up from now on."""
    drawn = view(ctx, slack_id)
    user = ctx.uow.users.by_slack(slack_id)
    if user is not None and user.active and user.is_staff:
        ctx.uow.slack_homes.opened(slack_id, ctx.now)  # type: ignore[attr-defined]
    return drawn


def refresh(ctx: Ctx, delay: timedelta = DELAY) -> int:
    """Queue a redraw of every agent's Home opened lately, unless one is already waiting for
    them (it will draw this change too). How many were queued."""
    viewers = set(ctx.uow.slack_homes.viewers(ctx.now - KEPT))  # type: ignore[attr-defined]
    agents = sorted(u.slack_id for u in ctx.uow.users.staff()
                    if u.active and u.slack_id is not None and u.slack_id in viewers)
    queued = 0
    for slack_id in agents:
        message = OutboxMessage(channel=Channel.SLACK, target=f"{SLACK_HOME}{slack_id}",
                                kind="home", created_at=ctx.now, next_attempt_at=ctx.now + delay)
        queued += ctx.uow.outbox.add_unless_waiting(message, ctx.now)  # type: ignore[attr-defined]
    return queued


def _drawn(ctx: Ctx, user: User) -> dict[str, Any]:
    uid = user.id or 0
    lang = language_of(ctx, user)
    counts = queries.summary(ctx, uid)
    mine = lists.mine(ctx, user)
    lines = lists.lines(ctx, user, mine.tickets, lang, held=not user.is_staff)
    if user.is_staff:
        queue, total = lists.queue(ctx, user, lang)
        late = worklists.overdue_count(ctx, uid)
        return home_view(counts, queue, lines, lang=lang, totals=(mine.total, total),
                         overdue=late)
    return home_view(counts, [], lines, customer=True, lang=lang, totals=(mine.total, 0))
