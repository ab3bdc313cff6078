"""/ticket faturaveis [MÊS] [EMPRESA] [PÁGINA]: the tickets outside the contract, what the
coordinator invoices (R23), as the team's chat and `helpdesk tickets list --billable --month`
list them."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bots.slack.lists import LIST_SIZE, MAX_PAGE_ASKED, Blocks, _paged, echo, lines
from bots.slack.text import esc
from core.conversation import listing_month
from core.conversation.listing_words import BILLABLE
from core.errors import HelpdeskError
from core.i18n import t
from core.models import Ticket, User
from core.ports import TicketQuery
from core.services import billing, queries
from core.services.access import require_staff
from core.services.company_names import company_named
from core.services.context import Ctx
from core.textmatch import fold


def asked(word: str) -> bool:
    """Whether /ticket's first word asks for the billable tickets ("faturáveis", "billable")."""
    return fold(word) in BILLABLE


def billable(ctx: Ctx, user: User, word: str, rest: str, lang: str) -> Blocks | str:
    """Page N of the billable tickets opened in the month named (every month if none), of the
    company named if any, each with its origin, the customer's answer to the charge and the
    quote."""
    require_staff(user)
    said, _, last = rest.strip().rpartition(" ")
    said, page = (said, int(last)) if last.isdecimal() and len(last) <= 3 \
        else (rest.strip(), 1)
    query = TicketQuery(billable=True)
    found = listing_month.named(fold(said), said) if said else None
    company = re.sub(r"^(?:da|do|de|of|for)\s+", "", " ".join(
        (found[1] if found else said).split()), flags=re.IGNORECASE)  # "de novembro da X"
    where = ""
    if company:  # "novembro Mercado Exemplo": one client company's, as it is invoiced
        try:
            named = company_named(ctx, company)
        except HelpdeskError as err:
            return t(err.key, lang, **{k: esc(echo(str(v))) for k, v in err.params.items()})
        query.company_id, where = named.id, " — " + esc(named.name)
    title = t("slack.cmd.billable_title", lang, where=where)
    if found is not None:
        today = ctx.now.astimezone(ZoneInfo(ctx.policy.timezone)).date()
        month = listing_month.resolved(found[0], today)
        query.opened_since, query.opened_before = listing_month.bounds(month,
                                                                       ctx.policy.timezone)
        title = t("slack.cmd.billable_month_title", lang, where=where,
                  month=listing_month.title(month, lang))
    if page < 1:
        return t("slack.cmd.page_only", lang, word=word, extra=esc(echo(last)))
    found_page = queries.list_tickets(ctx, user.id or 0, query,
                                      min(page, MAX_PAGE_ASKED) - 1, LIST_SIZE)
    shown = lines(ctx, user, found_page.tickets, lang,
                  lambda k, _names: _charge(ctx, k, lang))
    typed = f"{word} {esc(echo(said))}" if said else word
    return _paged(title, shown, typed, page, found_page.total, lang)


def _charge(ctx: Ctx, ticket: Ticket, lang: str) -> str:
    """The ticket's origin outside the contract, the customer's answer and the quote."""
    answer = billing.charge_answer(ticket)
    line = t("conv.ticket.charge", lang, origin=billing.origin_label(ctx, ticket, lang),
             answer=t(f"conv.ticket.charge_{'pending_staff' if answer == 'pending' else answer}",
                      lang))
    if ticket.billing_quote:
        line += " " + t("conv.ticket.charge_quote", lang, quote=ticket.billing_quote)
    return line
