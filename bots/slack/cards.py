"""What a ticket card shows, read from core in one transaction (run through Desk.acall)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import NotFound
from core.i18n import LANGUAGES
from core.models import Ticket
from core.services.billing import may_take, suggested_origin
from core.services.context import Ctx
from core.services.delivery import telegram_fallback
from core.services.reference import load_catalog, load_coverage


@dataclass(frozen=True)
class OriginOption:
    """One line of the coverage table, as the card's select offers it."""

    id: str
    label: str
    covered: bool


@dataclass(frozen=True)
class CardData:
    """A ticket with every name and list its Slack card needs."""

    ticket: Ticket
    company: str
    requester: str
    assignee: str | None
    attachments: list[str] = field(default_factory=list)
    """Every file of the ticket, internal notes' included (agents see them)."""
    public_attachments: list[str] = field(default_factory=list)
    """The files a customer may see."""
    suggested: OriginOption | None = None
    origin: OriginOption | None = None
    duplicate_of: str | None = None
    agents: list[tuple[int, str]] = field(default_factory=list)
    origins: list[OriginOption] = field(default_factory=list)
    telegram_fallback: str | None = None
    """What becomes of the requester's notices while Telegram refuses them (None: it does not)."""
    classification: dict[str, str] = field(default_factory=dict)
    """'Type / item / service' by language (stored in pt-BR), as the ticket's page names them."""


def origin_choices(ctx: Ctx, ticket: Ticket, language: str | None = None
                   ) -> tuple[list[OriginOption], OriginOption | None, OriginOption | None]:
    """The contract table's origins the ticket may take (a closed one's, within the contract,
    R23), the one core suggests and the one classified (R22); named in `language` (the
    team's by default)."""
    lang = language or ctx.policy.language
    origins = [OriginOption(o.id, o.shown(lang), o.covered)
               for o in load_coverage(ctx.uow).origins if may_take(ticket, o)]
    by_id = {o.id: o for o in origins}
    suggested_id, _ = suggested_origin(ctx, ticket)
    return origins, by_id.get(suggested_id), by_id.get(ticket.origin or "")


def card_data(ctx: Ctx, ticket_id: int) -> CardData:
    """Load everything the ticket card shows (the outbox sender's view, not a user's)."""
    uow = ctx.uow
    ticket = uow.tickets.read(ticket_id)
    if ticket is None:
        raise NotFound("error.ticket_not_found")
    company = uow.companies.get(ticket.company_id)
    requester = uow.users.get(ticket.requester_id)
    assignee = uow.users.get(ticket.assignee_id) if ticket.assignee_id else None
    origins, suggested, origin = origin_choices(ctx, ticket)
    original = uow.tickets.read(ticket.duplicate_of_id) if ticket.duplicate_of_id else None
    entries = uow.entries.list(ticket_id, include_internal=False)
    agents = [(u.id, u.name) for u in uow.users.staff() if u.id is not None]
    catalog = load_catalog(uow)
    return CardData(
        ticket=ticket,
        company=company.name if company else "",
        requester=requester.name if requester else "",
        assignee=assignee.name if assignee else None,
        attachments=[a.filename for a in uow.entries.attachments(ticket_id)],
        public_attachments=[a.filename for e in entries for a in e.attachments],
        suggested=suggested,
        origin=origin,
        duplicate_of=original.number if original else None,
        agents=sorted(agents, key=lambda a: a[1].casefold()),
        origins=origins,
        telegram_fallback=telegram_fallback(ctx, requester) if ticket.unreachable_telegram
        else None,
        classification={lang: " / ".join(catalog.shown_labels(
            ticket.tipo, ticket.item, ticket.servico, lang)) for lang in LANGUAGES},
    )
