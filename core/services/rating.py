"""The rating's comment (R20): the customer's own words about the service, kept with the mark
for the team (the ticket's page, its Slack card and thread, the coordinator's report)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.errors import InvalidInput, InvalidTransition, NotAllowed
from core.models import Decision, EntryKind, Rating, Status, Ticket, User
from core.ports import TicketQuery
from core.services import notify
from core.services.access import load_user, ticket_for
from core.services.context import Ctx
from core.services.intake import clean_text
from core.services.tramites import add_system_entry, read_system_entry

COMMENT_MAX = 1000
"""The longest comment kept: a few sentences about the service (a log is a new ticket's)."""
LOW_RATINGS = frozenset({Rating.POOR, Rating.TERRIBLE})
"""Ratings the responsible agent hears about directly, and their comments (R20)."""
REPORTED = (Rating.FAIR, Rating.POOR, Rating.TERRIBLE)
"""The ratings whose comments the coordinator's report lists: what went less than well."""


def clean_comment(text: str | None) -> str:
    """The comment trimmed; refused empty, without words or over COMMENT_MAX characters."""
    value = clean_text(text, COMMENT_MAX, "comentario")
    if not any(ch.isalpha() for ch in value):
        raise InvalidInput("error.no_letters", field="comentario")
    return value


def rater_id(ctx: Ctx, ticket: Ticket) -> int | None:
    """Who rated the ticket: the author of its rating's system line (None: not rated)."""
    for entry in reversed(ctx.uow.entries.list(ticket.id or 0, False)):
        if entry.kind == EntryKind.SYSTEM and read_system_entry(entry.text)[0] == "rated":
            return entry.author_id
    return None


def keep(ctx: Ctx, ticket: Ticket, actor: User, comment: str, *, with_mark: bool) -> None:
    """Store the comment of a rating being given (with_mark: its notices say both) or given
    before, and tell the team; the caller updates the ticket."""
    ticket.rating_comment = comment
    ticket.updated_at = ctx.now
    mark = ticket.rating.value if ticket.rating else None
    add_system_entry(ctx, ticket, actor, "rating_comment", rating=mark, comment=comment)
    if not with_mark:
        notify.card_changed(ctx, ticket, "rating_comment", actor, comment=comment, rating=mark)
        if ticket.rating in LOW_RATINGS:
            notify.to_agent(ctx, ticket.assignee_id, ticket, "agent.rating_comment",
                            rating=mark, comment=comment, actor=actor.name)


def comment_rating(ctx: Ctx, actor_id: int, ticket_id: int, comment: str) -> Ticket:
    """The customer who rated the ticket adds a comment to the rating, once (R20): the same
    words sent again change nothing; another person's rating, or another company's ticket,
    is never commented."""
    actor = load_user(ctx, actor_id)
    if actor.is_staff:
        raise NotAllowed("error.customer_only")
    ticket = ticket_for(ctx, actor, ticket_id)
    value = clean_comment(comment)
    if ticket.rating is None:
        raise InvalidTransition("error.not_rated", number=ticket.number)
    if rater_id(ctx, ticket) != actor.id:
        raise NotAllowed("error.rating_not_yours", number=ticket.number)
    if ticket.rating_comment == value:
        return ticket
    if ticket.rating_comment is not None:
        raise InvalidTransition("error.already_commented", number=ticket.number)
    keep(ctx, ticket, actor, value, with_mark=False)
    ctx.uow.tickets.update(ticket)
    return ticket


def unrated_since(ctx: Ctx, actor_id: int, since: datetime,
                  decisions: Collection[Decision], rated: bool = False) -> Ticket | None:
    """The customer's own ticket closed since `since` by one of these decisions and not rated
    (or, `rated`, rated already), the last closed: the one words about the service typed
    afterwards are about (R20)."""
    actor = load_user(ctx, actor_id)
    if actor.is_staff:
        return None
    closed = ctx.uow.tickets.list(TicketQuery(requester_id=actor.id, statuses=[Status.CLOSED]))
    fresh = [t for t in closed if (t.rating is not None) == rated and t.decision in decisions
             and t.closed_at is not None and t.closed_at >= since]
    return max(fresh, key=lambda t: t.closed_at or since, default=None)
