"""A workaround (solução de contorno) sent until the definitive fix (R12, §8)."""

from __future__ import annotations

from core.errors import Conflict
from core.models import Entry, EntryKind, Status, Ticket
from core.services import notify
from core.services.context import Ctx
from core.services.handling import WORKABLE, prazo_for, staff_ticket
from core.services.intake import clean_text
from core.services.saving import save
from core.services.tramites import add_system_entry

WORKING = (Status.NEW, Status.ASSIGNED)
"""Statuses a workaround moves to Em atendimento: someone is on it now."""
ALREADY_SENT = "error.workaround_already_sent"
"""The Conflict of a workaround its agent has just sent, sent again (a second form of a
double press, a request delivered twice): nothing goes twice."""
SENT_MEANWHILE = "error.workaround_sent_meanwhile"
"""The Conflict of a workaround whose form was opened before another one went (a colleague's
sent at the same moment): the customer does not get two, each as "the" workaround, unless the
agent, told what went, sends theirs again."""


def send_workaround(ctx: Ctx, actor_id: int, ticket_id: int, text: str,
                    seen: int | None = None) -> Ticket:
    """Send the customer a workaround: told as one, with the definitive fix to follow; the
    ticket stays open for it, not awaiting approval. A critical ticket's urgency is met: its
    definitive fix has the Padrão prazo, from the same start (R12, R13). `seen`: how many
    workarounds the agent's form knew of (sent_count when it opened); one more sent since is
    SENT_MEANWHILE, named, and nothing goes."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, WORKABLE)  # locked: a second waits
    body = clean_text(text, ctx.policy.text_max, "contorno")
    if _just_sent(ctx, actor.id, ticket, body):
        raise Conflict(ALREADY_SENT, number=ticket.number)
    done = sent(ctx, ticket.id or 0)
    if seen is not None and len(done) > seen:
        author = ctx.uow.users.get(done[-1].author_id) if done[-1].author_id else None
        raise Conflict(SENT_MEANWHILE, number=ticket.number, solution=done[-1].text,
                       author=author.name if author else "?")
    ctx.uow.entries.add(Entry(ticket_id=ticket.id or 0, author_id=actor.id,
                              kind=EntryKind.PUBLIC, text=body, created_at=ctx.now))
    if ticket.assignee_id is None:
        ticket.hand_to(actor.id, ctx.now)
    if ticket.status in WORKING:
        ticket.move_to(Status.IN_PROGRESS)
    before = prazo_for(ctx, ticket)
    ticket.workaround_at = ticket.workaround_at or ctx.now
    after = prazo_for(ctx, ticket)
    if ticket.due_at is None:
        ticket.due_at = ctx.now + after
    elif after != before:
        ticket.due_at += after - before
        ticket.due_warnings_sent = 0  # the definitive fix's date is told as any prazo
    save(ctx, ticket)  # before the card and notice read the prazo: a pause's end moves it
    add_system_entry(ctx, ticket, actor, "workaround")  # the text is the public entry above
    notify.card_changed(ctx, ticket, "workaround", actor, solution=body,
                        due_at=ticket.due_at.isoformat())
    # The customer hears the definitive fix's prazo: a critical one's moved days later (R13).
    notify.to_requester(ctx, ticket, "ticket.workaround", solution=body, author=actor.name,
                        due_at=ticket.due_at.isoformat())
    return ticket


def sent(ctx: Ctx, ticket_id: int) -> list[Entry]:
    """The workarounds sent on the ticket, oldest first: each the public entry its system
    line follows."""
    found: list[Entry] = []
    last: Entry | None = None
    for entry in ctx.uow.entries.list(ticket_id, include_internal=True):
        if entry.kind == EntryKind.PUBLIC:
            last = entry
        elif last is not None and entry.kind == EntryKind.SYSTEM \
                and entry.text.split(" ", 1)[0] == "workaround":
            found.append(last)
            last = None
    return found


def _just_sent(ctx: Ctx, actor_id: int | None, ticket: Ticket, body: str) -> bool:
    """Whether the ticket's latest public word is this very workaround by this agent."""
    entries = ctx.uow.entries.list(ticket.id or 0, include_internal=True)
    public = [i for i, e in enumerate(entries) if e.kind == EntryKind.PUBLIC]
    if not public:
        return False
    last = entries[public[-1]]
    return last.author_id == actor_id and last.text == body and any(
        e.kind == EntryKind.SYSTEM and e.text.split(" ", 1)[0] == "workaround"
        for e in entries[public[-1] + 1:])
