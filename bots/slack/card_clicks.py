"""What a card's buttons and selects do in core, run as the clicking agent: the use case of
each, at most once per click; the card as it stands now; the options a long select finds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bots.slack import buttons as b
from bots.slack.card_blocks import card_summary, ticket_card
from bots.slack.cards import card_data
from bots.slack.people import agent, as_agent, first_time
from core.conversation.engine import language_of
from core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from core.i18n import label, t
from core.models import CriticalReason, Priority, Status, Ticket, User
from core.services import billing, handling
from core.services.access import load_user
from core.services.context import Ctx
from core.services.reference import load_coverage
from core.textmatch import words


def ids(value: str) -> tuple[int, str]:
    """A click's value as (ticket id, the rest): "<ticket>:<what>"."""
    head, _, rest = (value or "").partition(":")
    if not head.isdecimal():
        raise InvalidInput("error.unknown_choice")
    tid = b.as_id(head)
    if tid is None:  # a number no ticket can have
        raise NotFound("error.ticket_not_found")
    return tid, rest


def _set_priority(ctx: Ctx, actor_id: int, tid: int, picked: str) -> Any:
    """Prioridade… "<level>:<status>:<priority>": the level picked, and the ticket's status
    and priority as the card showed them (a card drawn before it said so names the level
    only). A priority a colleague changed since is not overwritten unseen (R12)."""
    level, _, drawn = picked.partition(":")
    try:
        reason = None if level == Priority.STANDARD.value else CriticalReason(level)
    except ValueError:
        raise InvalidInput("error.unknown_choice") from None
    priority = Priority.STANDARD if reason is None else Priority.CRITICAL
    ticket = ctx.uow.tickets.get(tid)  # locked: a colleague's pick at once waits for this
    if drawn and ticket is not None and (priority, reason) != _priority(ticket):
        seen, _, shown = drawn.partition(":")
        _refuse_if_closed_since(ctx, actor_id, ticket, seen)
        if shown != (ticket.critical_reason or Priority.STANDARD).value \
                and ticket.status in handling.WORKABLE:
            lang = language_of(ctx, load_user(ctx, actor_id))
            raise Conflict("slack.refuse.priority_changed", number=ticket.number,
                           priority=priority_text(ticket, lang))
    return handling.set_priority(ctx, actor_id, tid, priority, reason)


def _priority(ticket: Ticket) -> tuple[Priority, CriticalReason | None]:
    critical = ticket.priority == Priority.CRITICAL
    return ticket.priority, ticket.critical_reason if critical else None


def priority_text(ticket: Ticket, lang: str | None) -> str:
    """The ticket's priority as the card's select names it ("Crítico: empresa parada")."""
    if ticket.priority == Priority.CRITICAL and ticket.critical_reason is not None:
        return t("slack.btn.critical", lang,
                 reason=label("critical_reason", ticket.critical_reason, lang))
    return label("priority", ticket.priority.value, lang)


def _classify(ctx: Ctx, actor_id: int, tid: int, picked: str) -> Any:
    """Classificar origem… "<origin>:<status>:<origin shown>": the origin picked, and the
    ticket's status and origin as the card showed them (a card drawn before it said so names
    the origin only). An origin a colleague changed since, or a ticket closed since, is not
    reclassified unseen: its origin decides what the customer pays (R22, R23)."""
    origin, _, drawn = picked.partition(":")
    ticket = ctx.uow.tickets.get(tid)  # locked: a colleague's pick at once waits for this
    if drawn and ticket is not None and origin != ticket.origin:
        seen, _, shown = drawn.partition(":")
        _refuse_if_closed_since(ctx, actor_id, ticket, seen)
        if shown != (ticket.origin or ""):
            lang = language_of(ctx, load_user(ctx, actor_id))
            coverage = load_coverage(ctx.uow)
            known = {o.id for o in coverage.origins}
            if ticket.origin in known:
                raise Conflict("slack.refuse.origin_changed", number=ticket.number,
                               origin=coverage.origin(ticket.origin or "").shown(lang))
            raise Conflict("slack.refuse.origin_changed_none", number=ticket.number)
    return billing.classify_origin(ctx, actor_id, tid, origin)


def _refuse_if_closed_since(ctx: Ctx, actor_id: int, ticket: Ticket, seen: str) -> None:
    """A select picked on a card that showed the ticket open, closed (or rejected) since."""
    shown = _seen(seen)
    if shown is not None and shown not in CLOSED and ticket.status in CLOSED:
        lang = language_of(ctx, load_user(ctx, actor_id))
        raise Conflict("slack.refuse.card_closed", number=ticket.number,
                       status=label("status", ticket.status, lang))


CLOSED = frozenset({Status.CLOSED, Status.REJECTED})


def _seen(drawn: str) -> Status | None:
    """The status a card's button says its card showed (None: a card drawn before buttons
    said it)."""
    try:
        return Status(drawn) if drawn else None
    except ValueError:
        raise InvalidInput("error.unknown_choice") from None


def _take(ctx: Ctx, actor_id: int, tid: int, drawn: str) -> Any:
    """Assumir, as the card showed the ticket (its status in the button's value; a card
    drawn before there was one says nothing)."""
    return handling.take(ctx, actor_id, tid, seen=_seen(drawn))


def as_drawn(ctx: Ctx, slack_id: str, tid: int, drawn: str) -> None:
    """A form's button pressed on a card drawn before the ticket moved (a DM's or a /ticket
    card, which nothing redraws): closed, reopened, in other hands or another status since,
    nothing is done and the agent told what happened, in their language; the agent's own take
    since is no change to them. A card drawn before buttons said it passes."""
    said, _, holder = drawn.partition(":")
    seen = _seen(said)
    ticket = ctx.uow.tickets.read(tid)
    if seen is None or not holder or ticket is None:
        return
    refuse_as_drawn(ctx, agent(ctx, slack_id), ticket, seen, b.as_id(holder))


def refuse_as_drawn(ctx: Ctx, actor: User, ticket: Ticket, seen: Status, held: int | None
                    ) -> None:
    """The refusal of a click on a card that showed the ticket `seen`, held by `held` (None:
    nobody), if it moved since (as_drawn)."""
    now = ticket.assignee_id
    if (ticket.status, now) == (seen, held):
        return
    if now == actor.id and held in (None, actor.id) and seen in WORK and ticket.status in WORK:
        return  # taken (or worked on) by this agent since: the card shows less than she knows
    lang = language_of(ctx, actor)
    person = ctx.uow.users.get(now) if now else None
    key = "slack.refuse.card_closed" if not ticket.is_open \
        else "slack.refuse.card_reopened" if seen not in WORK and ticket.status in WORK \
        else "slack.refuse.card_moved" if now == held \
        else "slack.refuse.card_handed" if person is not None \
        else "slack.refuse.card_handed_nobody"
    raise Conflict(key, number=ticket.number, status=label("status", ticket.status, lang),
                   assignee=person.name if person else t("slack.card.nobody", lang))


WORK = frozenset(Status) - {Status.AWAITING_APPROVAL, Status.CLOSED, Status.REJECTED}
"""The statuses the team works a ticket in: one back in them from the customer's hands or
closed was reopened."""


def _estimate(ctx: Ctx, actor_id: int, tid: int, drawn: str) -> Any:
    """Em estimativa, as the card showed the ticket: one a colleague took or moved since (a
    Novo card, Bruno at work on it now) is not sent to triage unseen (R6, R16)."""
    seen = _seen(drawn)
    ticket = ctx.uow.tickets.read(tid)
    if seen is not None and ticket is not None and ticket.status not in (seen, Status.ESTIMATE):
        raise InvalidTransition("error.invalid_transition", number=ticket.number,
                                status=ticket.status.value)
    return handling.move_to_estimate(ctx, actor_id, tid)


def _assign(ctx: Ctx, actor_id: int, tid: int, who: str) -> Any:
    """Repassar para… "<agent>:<holder>:<status>": the agent picked, and who had the ticket
    and its status as the card showed them (0: nobody; a card drawn before it said so names
    the agent only, or the agent and the holder). Moved since by a colleague who left it in
    the same hands (an unheld Novo sent to Em estimativa, closed), nothing is handed on out of
    triage unseen: the agent is told what it is now (R6)."""
    picked, said, drawn = who.partition(":")
    drawn, _, status = drawn.partition(":")
    uid = b.as_id(picked)
    held = (0 if drawn == "0" else b.as_id(drawn)) if said else None
    if uid is None or (said and held is None):
        raise InvalidInput("error.unknown_choice")
    seen = _seen(status)
    ticket = ctx.uow.tickets.get(tid)  # locked: a colleague's move at once waits for this
    if seen is not None and ticket is not None and ticket.status != seen \
            and ticket.assignee_id in (held or None, actor_id):  # else: changed hands (core)
        refuse_as_drawn(ctx, load_user(ctx, actor_id), ticket, seen, held or None)
    return handling.assign(ctx, actor_id, tid, uid, seen_holder=held)


def run_once(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
          *args: Any) -> Any:
    """Run a click's or modal's use case as the agent, at most once per interaction (a retry
    repeats it); a refusal leaves no trace, so a corrected modal can still go."""
    if key is not None and not first_time(ctx, key):
        return None
    return as_agent(ctx, slack_id, fn, tid, *args)


def clicked(ctx: Ctx, key: str | None, slack_id: str, fn: Callable[..., Any], tid: int,
            arg: str) -> Any:
    """A button's or select's use case; one the status refuses came from an outdated card."""
    try:
        return run_once(ctx, key, slack_id, fn, tid, arg)
    except InvalidTransition as err:
        raise outdated(ctx, slack_id, tid, err, "slack.refuse.outdated_card") from None


def outdated(ctx: Ctx, slack_id: str, tid: int, err: InvalidTransition, key: str
              ) -> InvalidTransition:
    """A status refusal said with the status the ticket has now (a colleague moved it), in
    the agent's language (only they see it); any other refusal as it is."""
    ticket = ctx.uow.tickets.read(tid)
    if err.key != InvalidTransition.key or ticket is None:
        return err
    lang = language_of(ctx, agent(ctx, slack_id))
    return InvalidTransition(key, number=ticket.number,
                             status=label("status", ticket.status, lang))


def refuse_if_closed(ctx: Ctx, actor: User, ticket: Ticket | None,
                     key: str = "slack.refuse.reply_closed") -> None:
    """A closed ticket takes no trâmite (a reply, an article): said to the agent, in their
    language, never to a customer."""
    if ticket is not None and not ticket.is_open:
        raise InvalidTransition(key, number=ticket.number,
                                status=label("status", ticket.status, language_of(ctx, actor)))


def card_for(ctx: Ctx, slack_id: str, tid: int) -> tuple[str, list[dict[str, Any]]]:
    """The ticket's card as it stands now, in the agent's language: (summary, blocks)."""
    lang = language_of(ctx, agent(ctx, slack_id))
    data = card_data(ctx, tid)
    return card_summary(data, lang), ticket_card(data, ctx.policy.timezone, lang=lang)


SIMPLE: dict[str, Callable[..., Any]] = {
    b.TAKE: _take,
    b.ESTIMATE: _estimate,
    b.ASSIGN: _assign,
    b.PRIORITY: _set_priority,
    b.ORIGIN: _classify,
}


def choices(ctx: Ctx, slack_id: str, action_id: str, typed: str, tid: int | None = None
            ) -> list[tuple[str, str]]:
    """A long select's options whose words start with the words typed: (label, value)."""
    agent(ctx, slack_id)
    if action_id == b.ASSIGN:
        ticket = ctx.uow.tickets.read(tid) if tid is not None else None
        holder = ticket.assignee_id if ticket is not None else None
        seen = f":{ticket.status.value}" if ticket is not None else ""
        found = [(u.name, f"{u.id}:{holder or 0}{seen}") for u in ctx.uow.users.staff()
                 if u.id != holder]  # who had it, and its status, as the options were drawn
    elif action_id == b.ORIGIN:
        ticket = ctx.uow.tickets.read(tid) if tid is not None else None
        drawn = b.drawn_origin(ticket) if ticket is not None else ""
        found = [(b.origin_label(o.label, o.covered), o.id + drawn)  # as the options were drawn
                 for o in load_coverage(ctx.uow).origins]
    else:
        return []
    wanted = words(typed)
    found = [(label, value) for label, value in found
             if all(any(w.startswith(want) for w in words(label)) for want in wanted)]
    return sorted(found, key=lambda c: c[0].casefold())[:b.MAX_OPTIONS]
