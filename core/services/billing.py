"""Contract coverage: the ticket's origin (R22) and billing with prior authorization (R23)."""

from __future__ import annotations

from core.coverage import Origin
from core.errors import HelpdeskError, InvalidInput, InvalidTransition
from core.models import EntryKind, Status, Ticket, User
from core.services import notify
from core.services.access import customer_ticket
from core.services.context import Ctx
from core.services.handling import staff_ticket
from core.services.intake import clean_text
from core.services.reference import load_catalog, load_coverage
from core.services.saving import save, save_change
from core.services.tramites import add_system_entry, read_system_entry

CLASSIFIABLE = tuple(s for s in Status if s != Status.REJECTED)
QUOTE_MAX = 200
"""A quote is a line ("4 h de análise, R$ 720,00"), not a proposal document."""
Shown = tuple[str | None, str | None]
"""The origin and the quote an agent's form started with."""


def suggested_origin(ctx: Ctx, ticket: Ticket) -> tuple[str, bool]:
    """The origin core suggests for a ticket from its texts, and whether it is covered (R22)."""
    coverage = load_coverage(ctx.uow)
    implementation = any(
        item.implementation and item.label == ticket.item
        for tipo in load_catalog(ctx.uow).tipos for item in tipo.itens
    )
    origin = coverage.suggest(f"{ticket.tipo} {ticket.item} {ticket.servico}", ticket.assunto,
                              ticket.descricao, implementation)
    return origin.id, origin.covered


def charge_answer(ticket: Ticket) -> str:
    """A billable ticket's charge: authorized, refused, pending, or unanswered when it closed
    (R21) before the customer answered (R23)."""
    if ticket.billing_authorized is None:
        return "pending" if ticket.is_open else "unanswered"
    return "authorized" if ticket.billing_authorized else "refused"


def clean_quote(text: str | None) -> str:
    """What the charge will be, in one short line (R23)."""
    return " ".join(clean_text(text, QUOTE_MAX, "orcamento").split())


def origin_label(ctx: Ctx, ticket: Ticket, language: str = "pt_BR") -> str:
    """The ticket's origin as the contract table names it, in the reader's language (the id
    of one since removed)."""
    if ticket.origin is None:
        return "—"
    try:
        return load_coverage(ctx.uow).origin(ticket.origin).shown(language)
    except HelpdeskError:
        return ticket.origin


def origin_params(ctx: Ctx, ticket: Ticket, key: str = "origin") -> dict[str, str]:
    """A notice's origin in both languages: rendered in the reader's (core.i18n)."""
    return {key: origin_label(ctx, ticket), f"{key}_en": origin_label(ctx, ticket, "en")}


def may_take(ticket: Ticket, origin: Origin) -> bool:
    """Whether the ticket may be classified with this origin now: once closed, one outside the
    contract only when the ticket is billable already, since the charge needs the customer's
    prior authorization, which a closed ticket can no longer ask (R23)."""
    return origin.covered or ticket.billable or ticket.is_open


def classify_origin(ctx: Ctx, actor_id: int, ticket_id: int, origin_id: str,
                    quote: str | None = None) -> Ticket:
    """Record the ticket's origin; one outside the contract makes it billable (R22, R23)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, CLASSIFIABLE)
    if origin_id == ticket.origin and quote is None:  # a double click: nothing to log
        raise InvalidInput("error.origin_unchanged", number=ticket.number)
    return set_origin(ctx, actor, ticket, origin_id, quote)


def set_origin(ctx: Ctx, actor: User, ticket: Ticket, origin_id: str,
               quote: str | None = None) -> Ticket:
    """Classify a ticket the agent may work on; tell the team and, on a charge, the customer
    (with the quote, when one is given for the charge)."""
    origin = load_coverage(ctx.uow).origin(origin_id)
    if not may_take(ticket, origin):
        raise InvalidTransition("error.closed_not_billable", number=ticket.number,
                                origin=origin.label, origin_en=origin.shown("en"))
    if quote is not None:
        if origin.covered or not ticket.is_open:
            raise InvalidTransition("error.quote_not_billable", number=ticket.number)
        quote = clean_quote(quote)
    ticket.origin = origin.id
    ticket.covered = origin.covered
    ask = not origin.covered and not ticket.billable
    withdrawn = origin.covered and ticket.billable
    ticket.billable = not origin.covered
    if withdrawn:
        ticket.billing_authorized = None  # the answer was about a charge that no longer applies
        ticket.billing_quote = None
    save(ctx, ticket)
    # the line keeps the origin's id, the card says its label in both languages
    add_system_entry(ctx, ticket, actor, "origin", origin=origin.id, covered=origin.covered)
    notify.card_changed(ctx, ticket, "origin", actor, **origin_params(ctx, ticket),
                        covered=origin.covered)
    if quote is not None and quote != ticket.billing_quote:
        _quote(ctx, actor, ticket, quote, ask=not ask)
    if ask:
        notify.to_requester(ctx, ticket, "ticket.billing_prompt", **origin_params(ctx, ticket),
                            quote=ticket.billing_quote)
    if withdrawn:
        notify.to_requester(ctx, ticket, "ticket.billing_withdrawn",
                            **origin_params(ctx, ticket))
    return ticket


def set_quote(ctx: Ctx, actor_id: int, ticket_id: int, text: str | None,
              shown: Shown | None = None) -> Ticket:
    """Give or change what a billable ticket's service will cost; the customer is asked again,
    since an answer given to another amount (or to none) does not hold for this one (R23).
    `shown`: what the agent's form started with (see check_as_shown)."""
    actor, ticket = staff_ticket(ctx, actor_id, ticket_id, CLASSIFIABLE)
    if shown is not None:
        check_as_shown(ticket, None, text, shown)
    _requote(ctx, actor, ticket, text)
    return ticket


def check_as_shown(ticket: Ticket, origin_id: str | None, quote: str | None, shown: Shown
                   ) -> None:
    """A form's origin or quote as the form started while a colleague changed it on the ticket
    meanwhile: left so or picked again on purpose, nobody can tell, so nothing is applied and
    the agent is shown the ticket's (error.form_changed; Slack redraws the form with it)."""
    shown_origin, shown_quote = shown
    if (shown_origin is not None and origin_id == shown_origin
            and ticket.origin not in (None, shown_origin)) or \
            ((quote or None) == (shown_quote or None) and ticket.billing_quote != shown_quote):
        raise InvalidInput("error.form_changed", number=ticket.number)


def _requote(ctx: Ctx, actor: User, ticket: Ticket, text: str | None) -> None:
    """A new quote for a ticket already billable and open; the same one changes nothing,
    unless the customer refused it: then it is asked again (they may have changed their mind,
    and only they can authorize it)."""
    if not ticket.billable or not ticket.is_open:
        raise InvalidTransition("error.quote_not_billable", number=ticket.number)
    quote = clean_quote(text)
    if quote != ticket.billing_quote or ticket.billing_authorized is False:
        _quote(ctx, actor, ticket, quote, ask=True)


def earlier_quote(ctx: Ctx, ticket: Ticket) -> str | None:
    """The quote given before the current one, from the thread's system lines (R23)."""
    lines = [read_system_entry(e.text) for e in ctx.uow.entries.list(ticket.id or 0, True)
             if e.kind == EntryKind.SYSTEM]
    quotes = [params.get("quote") for event, params in lines if event == "billing_quote"]
    earlier = [q for q in quotes[:-1] if q and q != ticket.billing_quote]
    return earlier[-1] if earlier else None


def _quote(ctx: Ctx, actor: User, ticket: Ticket, quote: str, ask: bool) -> None:
    """Record the quote; with ask, the authorization is asked again with it (and the one it
    replaces, so the customer sees why they are asked again)."""
    previous = ticket.billing_quote if ticket.billing_quote != quote else None
    ticket.billing_quote = quote
    if ask:
        ticket.billing_authorized = None
    save_change(ctx, ticket, actor, "billing_quote", quote=quote)
    if ask:
        notify.to_requester(ctx, ticket, "ticket.billing_prompt",
                            **origin_params(ctx, ticket), quote=quote, previous=previous)


def origin_before_solution(ctx: Ctx, actor: User, ticket: Ticket, origin_id: str | None,
                           quote: str | None = None) -> None:
    """Every answered ticket has an origin (R22): the one chosen now, else it must have one.
    A quote given with it is the charge's, when the origin is outside the contract (R23)."""
    if origin_id and origin_id != ticket.origin:
        set_origin(ctx, actor, ticket, origin_id, quote)
        return
    if quote is not None:
        _requote(ctx, actor, ticket, quote)
    if ticket.origin is None:
        suggested, _ = suggested_origin(ctx, ticket)
        origin = load_coverage(ctx.uow).origin(suggested)
        raise InvalidInput("error.origin_needed", number=ticket.number,
                           suggestion=origin.label, suggestion_en=origin.shown("en"))


def record_billing_authorization(ctx: Ctx, actor_id: int, ticket_id: int,
                                 authorized: bool) -> Ticket:
    """The customer authorizes (or refuses) billable work on the ticket (R23)."""
    actor, ticket = customer_ticket(ctx, actor_id, ticket_id)
    if not ticket.billable or not ticket.is_open:
        raise InvalidTransition("error.not_billable", number=ticket.number)
    if ticket.billing_authorized is not None:
        raise InvalidTransition("error.already_answered", number=ticket.number)
    ticket.billing_authorized = authorized
    event = "billing_authorized" if authorized else "billing_refused"
    save_change(ctx, ticket, actor, event)  # the customer answered: the prazo runs again (R13)
    notify.answered_for_requester(ctx, ticket, actor, event)
    notify.to_agent(ctx, ticket.assignee_id, ticket, f"agent.{event}", actor=actor.name)
    if authorized:
        _to_services(ctx, actor, ticket)
    return ticket


def _to_services(ctx: Ctx, actor: User, ticket: Ticket) -> None:
    """Forward the authorized service to the vendor's services area, which charges it (§12):
    what, for whom, the quote, who authorized; the card's thread says where it went."""
    company = ctx.uow.companies.get(ticket.company_id)
    assignee = ctx.uow.users.get(ticket.assignee_id) if ticket.assignee_id else None
    if notify.to_services(ctx, ticket, company=company.name if company else "",
                          **origin_params(ctx, ticket), quote=ticket.billing_quote,
                          actor=actor.name, assignee=assignee.name if assignee else "—"):
        target = ctx.policy.services_email.strip()
        add_system_entry(ctx, ticket, None, "services_forwarded", target=target)
        notify.card_changed(ctx, ticket, "services_forwarded", None, target=target)
