"""Trâmites: public entries, agents' internal notes, and system lines (R7)."""

from __future__ import annotations

import re
from typing import Any

from core.errors import InvalidInput, InvalidTransition
from core.models import Attachment, Entry, EntryKind, Status, Ticket, User
from core.services import notify
from core.services.access import load_user, require_staff, ticket_for
from core.services.context import Ctx
from core.services.intake import clean_text

SYSTEM_PARAMS: dict[str, tuple[str, ...]] = {
    "assigned": ("assignee",), "development": ("note",), "returned": ("package",),
    "unassigned": ("assignee",), "approval_requested": ("prazo",),
    "priority": ("priority",), "justificativa": ("text",),
    "rejected_duplicate": ("original", "charge_dropped"),
    "origin": ("origin", "covered"), "billing_quote": ("quote",),
    "services_forwarded": ("target",),
    "aprovado_com_restricoes": ("comment",),
    "aprovado": ("comment",), "aprovado_automaticamente": ("days", "comment"),
    "nao_aprovado": ("reason",), "rated": ("rating",),
    "rating_comment": ("rating", "comment"),
    "telegram_unreachable": ("target", "via", "error"), "email_unreachable": ("target", "error"),
    "slack_unreachable": ("target", "error"), "delivery_failed": ("target", "error"),
}
"""The parameters each system line may carry, in the order written; only the last may hold
spaces, so a line reads back unambiguously."""


NOTE_MARKER = re.compile(r"^\s*(?:!(nota|note|interna)\b[:\s]*"
                         r"|(?:nota interna|internal note)\s*[:\-–]\s*)", re.IGNORECASE)
"""An agent's message starting "!nota" (or "nota interna:", as agents write it out) is an
internal note, in a card's thread or the chat."""


MARKER_LIKE = re.compile(r"^\s*(!\s*[^\W\d_]+)")
"""A message starting like a marker ("!notas", "! nota", "!interno") that is none: never sent
to the customer, since it was most likely meant for the team."""


def split_note(text: str) -> tuple[bool, str]:
    """Whether an agent's message is an internal note, and its text without the marker."""
    match = NOTE_MARKER.match(text or "")
    if match:
        return True, text[match.end():]
    return False, text or ""

def read_system_entry(text: str) -> tuple[str, dict[str, str]]:
    """The event and parameters of a system line written by add_system_entry; a line in
    another form comes back whole, with no parameters."""
    event, _, rest = text.partition(" ")
    keys = SYSTEM_PARAMS.get(event, ())
    params: dict[str, str] = {}
    for i, key in enumerate(keys):
        if not rest.startswith(f"{key}="):
            continue  # a parameter that was None is not written
        value, rest = rest[len(key) + 1:], ""
        for later in keys[i + 1:]:
            head, found, tail = value.partition(f" {later}=")
            if found:
                value, rest = head, f"{later}={tail}"
                break
        params[key] = value
    return (event, params) if not rest else (text, {})


def add_system_entry(ctx: Ctx, ticket: Ticket, actor: User | None, event: str,
                     **params: Any) -> Entry:
    """Record in the thread what happened and who did it (read back by read_system_entry)."""
    detail = " ".join(f"{k}={v}" for k, v in params.items() if v is not None)
    text = f"{event} {detail}".strip()
    author = actor.id if actor else None
    return ctx.uow.entries.add(Entry(ticket_id=ticket.id or 0, author_id=author,
                                     kind=EntryKind.SYSTEM, text=text, created_at=ctx.now))


def _writable(ctx: Ctx, actor: User, ticket_id: int) -> Ticket:
    ticket = ticket_for(ctx, actor, ticket_id)
    if not ticket.is_open:
        key = "error.ticket_rejected" if ticket.status == Status.REJECTED else "error.ticket_closed"
        raise InvalidTransition(key, number=ticket.number)
    return ticket


def _body(ctx: Ctx, text: str | None, attachments: list[Attachment], field: str = "tramite"
          ) -> str:
    if attachments and not (text or "").strip():
        return ""
    return clean_text(text, ctx.policy.text_max, field)


def add_tramite(ctx: Ctx, actor_id: int, ticket_id: int, text: str | None,
                attachments: list[Attachment] | None = None) -> Entry:
    """Add a public trâmite by the requester, a colleague of the same company, or an agent.
    An agent's answer on a Novo ticket takes it, as Assumir does: Novos are the tickets no
    attendant took yet, and Em atendimento names who works on it (R6, §6.1; R13's prazo); so
    does the answer of the agent a Repassada ticket was passed to: he is working on it."""
    actor = load_user(ctx, actor_id)
    ticket = _writable(ctx, actor, ticket_id)
    if actor.is_staff and (ticket.status == Status.NEW or (
            ticket.status == Status.ASSIGNED and ticket.assignee_id == actor.id)):
        from core.services import handling  # it writes its lines through this module

        ticket = handling.take(ctx, actor.id or 0, ticket.id or 0, tell_customer=False)
    files = [a.model_copy() for a in attachments or []]
    body = _body(ctx, text, files)
    if not body and not files:
        raise InvalidInput("error.empty", field="tramite")
    entry = ctx.uow.entries.add(Entry(ticket_id=ticket.id or 0, author_id=actor.id,
                                      kind=EntryKind.PUBLIC, text=body, created_at=ctx.now,
                                      attachments=files))
    if ticket.status == Status.AWAITING_APPROVAL:
        # The 15 days of R21 wait for the customer's return on what they were last told: the
        # customer spoke, or the team told them something new (a package, an answer).
        ticket.awaiting_since = ctx.now
        ticket.reminders_sent = 0
    ticket.updated_at = ctx.now
    ctx.uow.tickets.update(ticket)
    params = {"author": actor.name, "text": body, "files": [a.filename for a in files],
              "entry_id": entry.id}
    notify.to_triage(ctx, ticket, "ticket.tramite", staff=actor.is_staff, **params)
    if not actor.is_staff and ticket.status == Status.IN_DEVELOPMENT:
        notify.to_triage(ctx, ticket, "dev.customer", **params)  # R15: the developers read it
    if actor.is_staff or actor.id != ticket.requester_id:
        notify.to_requester(ctx, ticket, "ticket.tramite", **params)
    if not actor.is_staff:
        notify.to_agent(ctx, ticket.assignee_id, ticket, "agent.customer_replied", **params)
    return entry


def add_internal_note(ctx: Ctx, actor_id: int, ticket_id: int, text: str | None,
                      attachments: list[Attachment] | None = None, in_card_thread: bool = False
                      ) -> Entry:
    """Add a note (and files) only agents ever see; it never leaves the support team (R7);
    `in_card_thread`: written in the card's thread, its files are there already."""
    actor = load_user(ctx, actor_id)
    require_staff(actor)
    ticket = ticket_for(ctx, actor, ticket_id)
    files = [a.model_copy() for a in attachments or []]
    body = _body(ctx, text, files, "nota")
    entry = ctx.uow.entries.add(Entry(ticket_id=ticket.id or 0, author_id=actor.id,
                                      kind=EntryKind.INTERNAL, text=body, created_at=ctx.now,
                                      attachments=files))
    params = {"author": actor.name, "text": body, "files": [a.filename for a in files],
              "entry_id": entry.id}  # its files are shared in the team's threads by it
    if in_card_thread and files:
        params["files_there"] = True
    notify.to_triage(ctx, ticket, "ticket.internal_note", **params)
    if ticket.status == Status.IN_DEVELOPMENT:  # R15: into the development post's thread too
        notify.to_triage(ctx, ticket, "dev.note", **params)
    return entry
