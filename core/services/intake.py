"""Opening a ticket: the draft the intake fills, its validation, and registration (R1-R5)."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field

from core.errors import InvalidInput
from core.models import (
    Attachment,
    CriticalReason,
    Entry,
    EntryKind,
    Model,
    Priority,
    Status,
    Ticket,
)
from core.outbox import REPLY_USER, Channel, OutboxMessage
from core.services import notify
from core.services.access import load_user, require_can_open
from core.services.context import Ctx
from core.services.reference import load_catalog
from core.versions import normalized

REQUIRED = ("tipo_id", "item_id", "servico_id", "assunto", "descricao")


class TicketDraft(Model):
    """What the customer has typed so far; any field may still be missing."""

    company_id: int | None = None
    tipo_id: str | None = None
    item_id: str | None = None
    servico_id: str | None = None
    versao: str | None = None
    assunto: str | None = None
    descricao: str | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    priority: Priority = Priority.STANDARD
    critical_reason: CriticalReason | None = None

    def missing(self) -> list[str]:
        """The required fields still empty (R3)."""
        return [f for f in REQUIRED if not (getattr(self, f) or "").strip()]


# Terminal escape sequences and other control characters (not line breaks or tabs): a ticket's
# text reaches agents' terminals (helpdesk tickets show), CSV files and e-mails. So do the bidi
# embeddings, overrides and isolates, which reorder what follows them on screen.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """The text without control characters; line breaks as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_text(text: str | None, max_len: int, field: str) -> str:
    """Trim a free-text answer; refuse it empty, over the limit, or without any letter/digit."""
    value = plain(text or "").strip()
    if not value:
        raise InvalidInput("error.empty", field=field)
    if len(value) > max_len:
        raise InvalidInput("error.too_long", field=field, length=len(value), max=max_len)
    if not any(ch.isalnum() for ch in value):
        raise InvalidInput("error.no_words", field=field)
    return value


def with_letters(value: str, field: str) -> str:
    """Refuse a text with no letter at all ("1", "4431"): it cannot say what the matter is."""
    if not any(ch.isalpha() for ch in value):
        raise InvalidInput("error.no_letters", field=field)
    return value


def clean_assunto(ctx: Ctx, text: str | None) -> str:
    """The assunto is a short summary in words: at most policy.assunto_max characters (R3)."""
    value = " ".join(clean_text(text, ctx.policy.assunto_max, "assunto").split())
    return with_letters(value, "assunto")


def clean_descricao(ctx: Ctx, text: str | None) -> str:
    """The descrição: free text in words, up to policy.text_max characters (R3)."""
    return with_letters(clean_text(text, ctx.policy.text_max, "descricao"), "descricao")


def clean_versao(text: str | None) -> str | None:
    """The version is optional free text, kept short; "2026,11" is 2026.11, and "a versão é
    2026.9" is 2026.9 (R17)."""
    value = plain(text or "").strip()
    if not value:
        return None
    if len(value) > 40:
        raise InvalidInput("error.too_long", field="versao", length=len(value), max=40)
    return normalized(value)


def opening_period(ctx: Ctx) -> str:
    """The YYYYMM of the opening month in the support timezone (R1)."""
    return ctx.now.astimezone(ZoneInfo(ctx.policy.timezone)).strftime("%Y%m")


def open_ticket(ctx: Ctx, actor_id: int, draft: TicketDraft,
                origin: Channel | None = None, *, alone: bool = False) -> Ticket:
    """Register a ticket from a complete draft, number it, and tell everyone (R1-R5, R16);
    `origin`: the chat it was registered from, whose answer confirms it (no notice there);
    `alone`: the caller writes nothing else in this unit of work (Desk.call(open_ticket, …,
    alone=True)), so the registration may commit as one statement where the store allows."""
    actor = load_user(ctx, actor_id)
    company_id = draft.company_id
    if company_id is None and len(actor.company_ids) == 1:
        company_id = actor.company_ids[0]
    if company_id is None:
        raise InvalidInput("error.missing_fields", fields="empresa")
    require_can_open(actor, company_id, ctx)
    if draft.missing():
        raise InvalidInput("error.missing_fields", fields=", ".join(draft.missing()))
    catalog = load_catalog(ctx.uow)
    tipo = catalog.tipo(draft.tipo_id or "")
    item = catalog.item(tipo.id, draft.item_id or "")
    servico = catalog.servico(tipo.id, item.id, draft.servico_id or "")
    if draft.priority == Priority.CRITICAL and draft.critical_reason is None:
        raise InvalidInput("error.critical_needs_reason")
    implementation = catalog.is_implementation(tipo.id, item.id)
    ticket = Ticket(
        period=opening_period(ctx),
        seq=0,
        company_id=company_id,
        requester_id=actor_id,
        tipo=tipo.label,
        item=item.label,
        servico=servico.label,
        versao=clean_versao(draft.versao),
        assunto=clean_assunto(ctx, draft.assunto),
        descricao=clean_descricao(ctx, draft.descricao),
        priority=draft.priority,
        critical_reason=draft.critical_reason if draft.priority == Priority.CRITICAL else None,
        status=Status.ESTIMATE if implementation else Status.NEW,
        opened_at=ctx.now,
        updated_at=ctx.now,
    )

    def notices(new: Ticket) -> list[OutboxMessage]:
        mine: dict[str, Any] = {REPLY_USER: actor.id} if actor.id == new.requester_id else {}
        return [*notify.for_user(ctx, actor, "ticket.registered", new, besides=origin, **mine),
                notify.card(ctx, new, "opened", actor)]

    # The requester's notices and the Slack card are written with the ticket (on PostgreSQL
    # in its INSERT: one round trip fewer).
    ticket = ctx.uow.tickets.add_numbered(ticket, notices,
                                          alone=alone and not draft.attachments)
    if draft.attachments:
        ctx.uow.entries.add(Entry(
            ticket_id=ticket.id or 0, author_id=actor_id, kind=EntryKind.PUBLIC,
            text="", created_at=ctx.now,
            attachments=[a.model_copy() for a in draft.attachments],
        ))
    return ticket
