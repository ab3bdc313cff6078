"""Following tickets (R6, R8, R9): tabs, own or whole company, time window, search, pages, the
CSV export; the counts screen is following_summary's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.conversation import (
    companies,
    empty_month,
    following_words,
    intents,
    listing_month,
    listing_whose,
    page_words,
    same_problem,
)
from core.conversation import export as csv_export
from core.conversation.fmt import page_names, ticket_line
from core.conversation.following_text import described, filters, queue_order
from core.conversation.intents import OPEN
from core.conversation.replies import Command, Expect, FilePayload, Reply
from core.conversation.ticket_view import show
from core.conversation.turn import IDLE, Step, Turn, register
from core.errors import InvalidInput
from core.i18n import label, local_time
from core.models import OPEN_STATUSES, Tab, Ticket
from core.ports import TicketQuery
from core.services import queries

PAGE_SIZE = 5
EXPORT_LIMIT = 1000

def build_query(turn: Turn, f: dict[str, Any] | None = None) -> TicketQuery:
    """The listing (or other filters) as a query the user is allowed to run (R8)."""
    f = f or filters(turn)
    since = turn.ctx.now - timedelta(days=f["days"]) if f["days"] else None
    tab = Tab.ALL if f["tab"] == OPEN else Tab(f["tab"])
    query = queries.scoped_query(turn.user, tab=tab, whole_company=bool(f["whole"]),
                                 company_id=f["company_id"], since=since, text=f["text"])
    if f["tab"] == OPEN:  # Novos, Em estimativa, Em atendimento, Aguardando aprovação (R6)
        query.statuses = sorted(OPEN_STATUSES)
    if turn.user.is_staff and f["assigned"]:
        query.assignee_id = turn.user.id
    query.billable = bool(f.get("billable"))  # "faturáveis": outside the contract (R23)
    if turn.user.is_staff and f["requester_id"]:  # "tickets da Carla" (listing_whose)
        query.requester_id = f["requester_id"]
    if f.get("month"):  # "tickets de novembro": its days in the team's time zone
        query.opened_since, query.opened_before = listing_month.bounds(
            f["month"], turn.ctx.policy.timezone)
    query.queue_order = queue_order(turn, f)  # an agent's Novos: as the queue (R12)
    return query


def begin(turn: Turn, text: str = "") -> None:
    """List tickets from the default filters (a search or tab left from before would hide
    tickets); an argument names tabs ("encerrados", "empresa"), then searches (number, assunto,
    descrição). The open ones about something: its page if it is one (R8)."""
    turn.leave("list")
    f = filters(turn)
    f["page"] = 0
    named = following_words.filters_named(text)  # "meus encerrados", "em atendimento"
    if named is None:
        following_words.apply(turn, f, text)
    elif following_words.set_named(turn, f, named):
        f["whole"] = True
    if f["whole"] and len(turn.user.company_ids) > 1:  # "tickets da empresa": which one?
        turn.go("list.company")
        return
    if f["tab"] == OPEN and f["text"] and following_words.about_one(turn, f, build_query(turn)):
        return
    turn.go("list.view")


def ask_list(turn: Turn) -> None:
    """One page of the listing, its tickets as buttons, and the filters."""
    f = filters(turn)
    query = build_query(turn)
    page = queries.list_tickets(turn.ctx, turn.user.id or 0, query, f["page"], PAGE_SIZE)
    if page.tickets == [] and f["page"] > 0:
        f["page"] = max(0, page.pages - 1)
        page = queries.list_tickets(turn.ctx, turn.user.id or 0, query, f["page"], PAGE_SIZE)
    header = described(turn, "conv.list.header_more" if page.more else "conv.list.header",
                       total=page.total, page=page.page + 1, pages=page.pages)
    wider = None if page.total else following_words.wider(turn, f, build_query)
    names = page_names(turn.ctx, turn.user, page.tickets)  # one read of each kind
    lines = [ticket_line(turn, ticket, names) for ticket in page.tickets]
    choices = [(ticket.number, f"t:{ticket.id}") for ticket in page.tickets]
    if not page.tickets:  # where else it is, a ticket to open, an article to read
        lines, choices = following_words.none_found(turn, f, wider)
    if not page.total and f["month"]:  # an empty month: every period, the nearest with some
        near, ways = empty_month.ways_out(turn, f, build_query)
        lines, choices = lines + near, choices + ways
    if page.page > 0:
        choices.append((turn.t("conv.list.prev"), "prev"))
    if page.page + 1 < page.pages:
        choices.append((turn.t("conv.list.next"), "next"))
    if turn.user.is_staff:
        choices.append((turn.t("conv.list.everyone" if f["assigned"] else
                               "conv.list.assigned_to_me"), "scope"))
    else:
        choices.append((turn.t("conv.list.only_mine" if f["whole"] else
                               "conv.list.whole_company"), "scope"))
    if wider:  # a number or word that is in another tab, period or the company's tickets
        choices += wider[1]
    if f["billable"]:
        choices.append((turn.t("conv.list.billable_off"), "billable_off"))
    if listing_whose.searching(turn, f):  # one click back from a search that found nothing
        choices.append((turn.t("conv.list.clear_search"), "clear"))
    choices += [(turn.t("conv.list.tab"), "tab"), (turn.t("conv.list.days"), "days"),
                (turn.t("conv.list.search"), "search")]
    if page.total:  # nothing to export from an empty listing
        choices.append((turn.t("conv.list.export"), "csv"))
    choices.append((turn.t("conv.menu.back"), "menu"))
    turn.ask("list.view", header + "\n\n" + "\n".join(lines), choices)


def on_list(turn: Turn, value: str) -> None:
    """Open a ticket, turn a page, change a filter, export, or leave."""
    f = filters(turn)
    if value.startswith("t:") and value[2:].isdecimal():
        show(turn, int(value[2:]))
    elif (to := page_words.turned(value, f["page"])) is not None:
        f["page"] = to
        turn.go("list.view")
    elif value == "scope":
        _toggle_scope(turn, f)
    elif value in ("tab", "days", "search"):
        turn.go(f"list.{value}")
    elif value == "clear":
        on_search_choice(turn, value)
    elif value.partition(":")[0] in ("widen", "open", "article", "as_tramite"):  # found none
        following_words.on_none(turn, f, build_query, value)
    elif value == "billable_off":
        f["billable"], f["page"] = False, 0
        turn.go("list.view")
    elif value.startswith("month:"):
        empty_month.on_choice(turn, f, value)
    elif value == "csv":
        export(turn)
    else:
        turn.go(IDLE)


def _toggle_scope(turn: Turn, f: dict[str, Any]) -> None:
    """Own tickets ↔ the whole company's; people in several companies pick one (R8).
    Staff: the tickets assigned to them ↔ every ticket."""
    f["page"] = 0
    if turn.user.is_staff:
        f["assigned"] = not f["assigned"]
        turn.go("list.view")
    elif f["whole"]:
        f["whole"], f["company_id"] = False, None
        turn.go("list.view")
    elif len(turn.user.company_ids) == 1:
        f["whole"] = True
        turn.go("list.view")
    else:
        turn.go("list.company")


def on_list_text(turn: Turn, text: str) -> None:
    """Typing while a listing is shown searches it; its filters named ("encerrados", "últimos 7
    dias") set them; "procurar boleto" searches it too; a listing asked in words ("meus chamados
    abertos") is opened as asked, and an agent's "fila" the queue, a worklist its own."""
    if following_words.worklist(turn, text) or same_problem.at_listing(turn, text):
        return  # "atrasados": an agent's worklist; "mesmo problema": of which ticket?
    if (named := following_words.filters_named(text)) is not None:
        f = filters(turn)
        if following_words.set_named(turn, f, named) and not f["whole"]:
            _toggle_scope(turn, f)  # the whole company: which one, for people in several
        else:
            turn.go("list.view")
        return
    asked = intents.command(text)
    if asked is not None and asked[0] == Command.TICKETS \
            and intents.command(text, loose=False) is None \
            and asked[1].split()[:1] != [OPEN]:  # "alguma novidade?": the open ones, as asked
        _search(turn, asked[1]) if asked[1] else turn.go("list.search")  # "buscar boleto"
        return
    if asked is not None and asked[0] == Command.TICKETS:
        begin(turn, asked[1])
        return
    if asked is not None and asked[0] == Command.QUEUE and turn.user.is_staff:
        turn.section("queue")["page"] = 0  # an agent's "fila": the queue from its head, as
        turn.go("queue.view")  # the menu's Fila (core.conversation.staff_queue.begin)
        return
    _search(turn, text)


def _search(turn: Turn, text: str) -> None:
    value = " ".join(intents.canonical_numbers(following_words.without_command(text or ""))
                     .split())[:200]  # "2026110002", "#2": as the search reads numbers
    if not any(ch.isalnum() for ch in value):
        raise InvalidInput("error.no_words" if value else "error.empty", field="busca")
    f = filters(turn)
    listing_whose.set_search(turn, f, value)
    f["page"] = 0
    turn.go("list.view")


def ask_tab(turn: Turn) -> None:
    """The manual's tabs (R6)."""
    tabs = [OPEN, *(tab.value for tab in Tab)]  # the open ones first: what people follow
    turn.ask("list.tab", turn.t("conv.list.ask_tab"),
             [(label("tab", tab, turn.lang), tab) for tab in tabs])


def on_tab(turn: Turn, value: str) -> None:
    """Show that tab ("voltar" typed: the listing as it was)."""
    f = filters(turn)
    if value != "keep":
        f["tab"], f["page"] = (OPEN if value == OPEN else Tab(value).value), 0
    turn.go("list.view")


def ask_company(turn: Turn) -> None:
    """Which of the user's companies to list."""
    companies.ask_company(turn, "list.company", turn.t("conv.list.ask_company"),
                          [(turn.t("conv.list.only_mine"), "mine")])


def on_company_name(turn: Turn, typed: str) -> None:
    """A typed company name (people in too many companies for buttons)."""
    companies.on_company_name(turn, typed, "list.company", turn.t("conv.list.ask_company"),
                              on_company, [(turn.t("conv.list.only_mine"), "mine")])


def on_company(turn: Turn, value: str) -> None:
    """List the whole chosen company, re-checking membership."""
    f = filters(turn)
    if value.isdecimal() and int(value) in turn.user.company_ids:
        f["whole"], f["company_id"] = True, int(value)
    else:
        f["whole"], f["company_id"] = False, None
    turn.go("list.view")


def ask_search(turn: Turn) -> None:
    """Search by number, assunto or descrição (R8)."""
    choices = [(turn.t("conv.list.clear_search"), "clear")] \
        if listing_whose.searching(turn, filters(turn)) else []
    turn.ask("list.search", turn.t("conv.list.ask_search"), choices, Expect.TEXT)


def on_search_choice(turn: Turn, value: str) -> None:
    """Clear the search; "voltar" typed keeps it as it was."""
    f = filters(turn)
    if value != "keep":
        listing_whose.set_search(turn, f, None)
        f["page"] = 0
    turn.go("list.view")


def export(turn: Turn) -> None:
    """The current listing as a CSV file (R9), then back where the user was."""
    query = build_query(turn)
    tickets: list[Ticket] = []
    page = 0
    while len(tickets) < EXPORT_LIMIT:
        chunk = queries.list_tickets(turn.ctx, turn.user.id or 0, query, page, queries.MAX_PAGE)
        tickets.extend(chunk.tickets)
        page += 1
        if page >= chunk.pages:
            break
    if not tickets:  # a file of headings only says nothing the listing did not
        turn.say_text(described(turn, "conv.export.none"))
        turn.go("list.view" if turn.state.step == "list.view" else IDLE)
        return
    content = csv_export.tickets_csv(turn, tickets[:EXPORT_LIMIT])
    local = local_time(turn.ctx.now, turn.ctx.policy.timezone) or turn.ctx.now
    name = f"tickets-{local:%Y%m%d-%H%M}.csv"
    done = described(turn, "conv.export.done", count=len(tickets[:EXPORT_LIMIT]))
    turn.replies.append(Reply(text=done,
                              file=FilePayload(filename=name, content=content, mime="text/csv")))
    turn.go("list.view" if turn.state.step == "list.view" else IDLE)


register(
    Step("list.view", ask_list, on_choice=on_list, on_text=on_list_text, back="menu",
         own_words=following_words.names_filters),
    Step("list.tab", ask_tab, on_choice=on_tab, back="keep"),
    Step("list.company", ask_company, on_choice=on_company, on_text=on_company_name),
    Step("list.search", ask_search, on_choice=on_search_choice, on_text=_search, back="keep"),
)
