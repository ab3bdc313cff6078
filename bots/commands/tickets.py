"""`helpdesk tickets list|show|export|report`: the support team's view of every ticket (R6-R9)
and the coordinator's report (R13, R18-R23)."""

from __future__ import annotations

import csv
import re
import sys
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO
from zoneinfo import ZoneInfo

import typer
from pydantic import BaseModel

from bots.clikit import (
    cli_language,
    existing_container,
    fail,
    file_failed,
    local_time,
    status_label,
    table,
)
from bots.clinames import Words
from core.errors import InvalidInput, NotFound
from core.i18n import label, t
from core.models import Entry, EntryKind, Tab, Ticket
from core.money import quoted_amount
from core.ports import TicketQuery
from core.report_text import render
from core.services.access import number_example
from core.services.billing import charge_answer
from core.services.company_names import company_named
from core.services.context import Ctx
from core.services.handling import find_by_number
from core.services.intake import plain
from core.services.numbers import recent_by_sequence, short_number_not_found, typed_end
from core.services.queries import SEARCH_TOTAL_MAX
from core.services.reference import load_catalog, load_coverage
from core.services.report import DEFAULT_DAYS, MAX_DAYS, Report, build, build_month
from core.services.system_lines import system_text
from core.textmatch import fold

tickets = typer.Typer(help="cli.help.tickets", no_args_is_help=True)

COLUMNS = ("ticket", "opened", "from", "assunto", "due", "assignee", "status", "justificativa")
"""The listing's columns, each headed by cli.col.<name>; --faturaveis adds BILLABLE_COLUMNS."""
BILLABLE_COLUMNS = ("origin", "charge", "quote")
EXPORT_BATCH = 500


class Row(BaseModel):
    """A ticket with the names a listing shows."""

    ticket: Ticket
    company: str
    requester: str
    assignee: str


class Listing(BaseModel):
    """A page of rows and how many tickets match."""

    rows: list[Row]
    total: int
    origins: dict[str, str] = {}
    more: bool = False
    """A search that stopped counting: more than total tickets match."""


class ExportFormat(StrEnum):
    """File formats of `tickets export`."""

    CSV = "csv"


def _query(ctx: Ctx, tab: Tab, company: str | None, text: str | None,
           since_days: int | None, billable: bool = False,
           month: str | None = None) -> TicketQuery:
    company_id = company_named(ctx, company).id if company else None
    since = ctx.now - timedelta(days=since_days) if since_days else None
    query = TicketQuery(tab=tab, company_id=company_id, opened_since=since,
                        text=(text or "").strip() or None, billable=billable)
    if month:  # its days in the team's time zone, in place of --since-days (R8)
        from core.conversation import listing_month

        query.opened_since, query.opened_before = listing_month.bounds(month,
                                                                       ctx.policy.timezone)
    return query


def month_named(text: str | None) -> str | None:
    """--month as "YYYY-MM", read as the chat reads a month ("2026-11", "11/2026", "nov/2026",
    "novembro": the latest not to come, "mes-passado"); one line of error for anything else."""
    if text is None:
        return None
    raw = text.strip()
    if re.fullmatch(r"20\d\d-(?:0[1-9]|1[0-2])", raw):
        return raw
    from core.conversation import listing_month  # the engine's import: only when it is needed

    found = listing_month.named(fold(raw.replace("-", " ")), raw)
    if found is None or found[1]:
        fail("cli.month_invalid", text=repr(text))
    c = existing_container()
    today = c.desk.clock().astimezone(ZoneInfo(c.policy.timezone)).date()
    return listing_month.resolved(found[0], today)


def charge(ticket: Ticket, lang: str = "pt_BR") -> str:
    """A billable ticket's charge as the customer answered it (R23); "" when not billable."""
    if not ticket.billable:
        return ""
    return t(f"cli.charge.{charge_answer(ticket)}", lang)


def _rows(ctx: Ctx, found: list[Ticket]) -> list[Row]:
    names: dict[int, str] = {}
    companies: dict[int, str] = {}

    def name(uid: int | None) -> str:
        if uid is None:
            return ""
        if uid not in names:
            user = ctx.uow.users.get(uid)
            names[uid] = user.name if user else f"#{uid}"
        return names[uid]

    def company(cid: int) -> str:
        if cid not in companies:
            found_company = ctx.uow.companies.get(cid)
            companies[cid] = found_company.name if found_company else f"#{cid}"
        return companies[cid]

    return [Row(ticket=t, company=company(t.company_id), requester=name(t.requester_id),
                assignee=name(t.assignee_id)) for t in found]


def _listing(ctx: Ctx, tab: Tab, company: str | None, text: str | None,
             since_days: int | None, limit: int, billable: bool = False,
             month: str | None = None) -> Listing:
    query = _query(ctx, tab, company, text, since_days, billable, month)
    found = ctx.uow.tickets.list(query.model_copy(update={"limit": limit}))
    origins = {o.id: o.shown(ctx.policy.language) for o in load_coverage(ctx.uow).origins} \
        if billable else {}
    at_most = max(SEARCH_TOTAL_MAX, limit) if query.text else None
    total = ctx.uow.tickets.count(query, at_most)
    more = at_most is not None and total > at_most
    return Listing(rows=_rows(ctx, found), total=at_most if more else total, origins=origins,
                   more=more)


TAB_WORDS = Words({Tab.NEW: ("novos", "new"), Tab.ESTIMATE: ("em_estimativa", "in_estimate"),
                   Tab.IN_PROGRESS: ("em_atendimento", "in_progress"),
                   Tab.AWAITING_APPROVAL: ("aguardando_aprovacao", "awaiting_approval"),
                   Tab.CLOSED: ("encerrados", "closed"), Tab.REJECTED: ("rejeitados", "rejected"),
                   Tab.ALL: ("todos", "all")})
"""The tabs as --tab takes them, in either language (the help lists LANGUAGE's)."""
TabOpt = Annotated[Tab, typer.Option("--tab", parser=TAB_WORDS, help="cli.help.tickets.tab")]
CompanyOpt = Annotated[str | None, typer.Option(
    "--company", metavar="cli.metavar.company", help="cli.help.tickets.company")]
SinceOpt = Annotated[int | None, typer.Option(
    "--since-days", min=1, metavar="N", help="cli.help.tickets.since_days")]
MonthOpt = Annotated[str | None, typer.Option(
    "--month", "--mes", metavar="cli.metavar.month", help="cli.help.tickets.month")]
BillableOpt = Annotated[bool, typer.Option(
    "--faturaveis", "--billable", help="cli.help.tickets.billable")]


@tickets.command("list", help="cli.help.tickets.list", short_help="cli.help.tickets.list.short")
def list_(
    tab: TabOpt = Tab.ALL,
    company: CompanyOpt = None,
    text: Annotated[str | None, typer.Option(
        "--text", metavar="cli.metavar.text", help="cli.help.tickets.list.text")] = None,
    since_days: SinceOpt = None,
    month: MonthOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, metavar="N",
                                       help="cli.help.tickets.list.limit")] = 50,
    billable: BillableOpt = False,
) -> None:
    """Print a page of the tickets, newest first."""
    c = existing_container()
    result = c.desk.call(_listing, tab, company, text, since_days, limit, billable,
                         month_named(month))
    lang = cli_language()
    if not result.rows:
        typer.echo(t("cli.tickets.none", lang))
        return
    tz = c.policy.timezone
    rows = [
        (r.ticket.number, local_time(r.ticket.opened_at, tz, lang), r.requester, r.ticket.assunto,
         local_time(r.ticket.due_at, tz, lang), r.assignee, status_label(r.ticket.status, lang),
         r.ticket.justificativa or "")
        + ((result.origins.get(r.ticket.origin or "", r.ticket.origin or ""),
            charge(r.ticket, lang), r.ticket.billing_quote or "") if billable else ())
        for r in result.rows
    ]
    headers = [t(f"cli.col.{name}", lang)
               for name in COLUMNS + (BILLABLE_COLUMNS if billable else ())]
    # plain(): rows stored before escape sequences were refused must not drive the terminal.
    typer.echo(plain(table(headers, rows, {2: 28, 3: 50, 5: 24, 7: 30, 8: 40})))
    typer.echo("\n" + t("cli.tickets.shown_more" if result.more else "cli.tickets.shown", lang,
                       shown=len(rows), found=result.total))


class Detail(BaseModel):
    """Everything `tickets show` prints."""

    row: Row
    entries: list[Entry]
    authors: dict[int, str]
    duplicate_of: str | None
    origins: dict[str, str] = {}
    classification: str = ""
    """Type / item / service in LANGUAGE (stored in pt-BR)."""


def _ticket_named(ctx: Ctx, number: str) -> Ticket:
    """The ticket by its whole number, or by its end as people say it ("0004", "4", "#4"):
    the one of the last months ending so. The team sees every ticket."""
    seq = typed_end(number)
    if seq is None:
        ticket = find_by_number(ctx, number)
        if ticket is None:
            raise NotFound("error.no_such_number", number=number.strip()[:40],
                           example=number_example(ctx, number))
        return ticket
    found = recent_by_sequence(ctx, seq)
    if not found:
        raise short_number_not_found(ctx, seq, staff=True)
    if len(found) > 1:
        raise InvalidInput("error.short_number_ambiguous", seq=f"{seq:04d}",
                           numbers=", ".join(k.number for k in found))
    return found[0]


def _detail(ctx: Ctx, number: str) -> Detail:
    ticket = _ticket_named(ctx, number)
    entries = ctx.uow.entries.list(ticket.id or 0, include_internal=True)
    authors = {}
    for uid in {e.author_id for e in entries if e.author_id is not None}:
        user = ctx.uow.users.get(uid)
        authors[uid] = user.name if user else f"#{uid}"
    original = ctx.uow.tickets.read(ticket.duplicate_of_id) if ticket.duplicate_of_id else None
    origins = {o.id: o.shown(ctx.policy.language) for o in load_coverage(ctx.uow).origins}
    shown = load_catalog(ctx.uow).shown_labels(ticket.tipo, ticket.item, ticket.servico,
                                               ctx.policy.language)
    return Detail(row=_rows(ctx, [ticket])[0], entries=entries, authors=authors,
                  duplicate_of=original.number if original else None, origins=origins,
                  classification=" / ".join(shown))


def render_detail(d: Detail, tz: str, lang: str = "pt_BR") -> str:
    """A ticket's header and every trâmite, internal notes and system lines marked."""
    k = d.row.ticket
    priority = label("priority", k.priority, lang)
    if k.critical_reason:
        priority += f" ({label('critical_reason', k.critical_reason, lang)})"
    fields = [
        ("company", d.row.company), ("from", d.row.requester),
        ("tipo_item_servico", d.classification or f"{k.tipo} / {k.item} / {k.servico}"),
        ("version", k.versao), ("priority", priority), ("status", status_label(k.status, lang)),
        ("assignee", d.row.assignee), ("justificativa", k.justificativa),
        ("opened", local_time(k.opened_at, tz, lang)), ("due", local_time(k.due_at, tz, lang)),
        ("closed", local_time(k.closed_at, tz, lang)),
        ("decision", label("decision", k.decision, lang) if k.decision else None),
        ("comment", k.decision_comment),
        ("rating", label("rating", k.rating, lang) if k.rating else None),
        ("rating_comment", k.rating_comment),
        ("origin", d.origins.get(k.origin, k.origin) if k.origin else None),
        ("billable", t("cli.tickets.billable_yes", lang, charge=charge(k, lang))
         if k.billable else None),
        ("quote", k.billing_quote),
        ("duplicate_of", d.duplicate_of),
    ]
    lines = [f"Ticket {k.number} — {k.assunto}", ""]
    lines += [f"{t(f'cli.col.{name}', lang)}: {value}" for name, value in fields if value]
    lines += ["", t("cli.tickets.description", lang),
              *(f"  {line}" for line in k.descricao.splitlines()), "",
              t("cli.tickets.entries", lang)]
    marks = {EntryKind.INTERNAL: f" [{t('cli.tickets.internal', lang)}]",
             EntryKind.SYSTEM: f" [{t('cli.tickets.system', lang)}]"}
    for e in d.entries:
        author = d.authors.get(e.author_id, "") if e.author_id else t("cli.tickets.system", lang)
        lines.append(f"  {local_time(e.created_at, tz, lang)}  {author}{marks.get(e.kind, '')}")
        text = (system_text(e, author if e.author_id else None, d.origins, lang) or e.text) \
            if e.kind == EntryKind.SYSTEM else e.text
        lines += [f"    {line}" for line in text.splitlines()]
        lines += [f"    {t('cli.tickets.attachment', lang, filename=a.filename, size=a.size)}"
                  for a in e.attachments]
    if not d.entries:
        lines.append("  " + t("cli.tickets.no_entries", lang))
    return "\n".join(lines)


@tickets.command("show", help="cli.help.tickets.show", short_help="cli.help.tickets.show.short")
def show(number: Annotated[str, typer.Argument(metavar="cli.metavar.number",
                                               help="cli.help.tickets.show.number")]) -> None:
    """Print one ticket with every trâmite."""
    c = existing_container()
    typer.echo(plain(render_detail(c.desk.call(_detail, number), c.policy.timezone,
                                   cli_language())))


def _export_rows(ctx: Ctx, query: TicketQuery, tz: str, lang: str) -> list[list[str]]:
    from core.conversation.export import safe_cell

    out = []
    offset = 0
    origins = {o.id: o.shown(lang) for o in load_coverage(ctx.uow).origins}
    shown = load_catalog(ctx.uow).shown_labels  # stored in pt-BR: as the ticket shows them
    while True:
        page = ctx.uow.tickets.list(query.model_copy(update={"limit": EXPORT_BATCH,
                                                             "offset": offset}))
        for r in _rows(ctx, page):
            k = r.ticket
            out.append([k.number, local_time(k.opened_at, tz, lang), r.company, r.requester,
                        *shown(k.tipo, k.item, k.servico, lang),
                        safe_cell(k.versao or ""), safe_cell(k.assunto),
                        label("priority", k.priority, lang), status_label(k.status, lang),
                        r.assignee, local_time(k.due_at, tz, lang),
                        safe_cell(k.justificativa or ""),
                        local_time(k.closed_at, tz, lang),
                        label("decision", k.decision, lang) if k.decision else "",
                        label("rating", k.rating, lang) if k.rating else "",
                        safe_cell(k.rating_comment or ""),
                        origins.get(k.origin, k.origin) if k.origin else "",
                        t("cli.yes" if k.billable else "cli.no", lang), charge(k, lang),
                        safe_cell(k.billing_quote or ""), _amount_cell(k.billing_quote, lang)])
        if len(page) < EXPORT_BATCH:
            return out
        offset += EXPORT_BATCH


def _amount_cell(quote: str | None, lang: str) -> str:
    """The quote's total in reais as a spreadsheet in the language reads a number ("2880,00",
    in English "2880.00"); blank if none."""
    amount = quoted_amount(quote or "")
    if amount is None:
        return ""
    return f"{amount:.2f}" if lang == "en" else f"{amount:.2f}".replace(".", ",")


def _export(ctx: Ctx, tab: Tab, company: str | None, since_days: int | None,
            tz: str, billable: bool = False, lang: str = "pt_BR",
            month: str | None = None) -> list[list[str]]:
    return _export_rows(ctx, _query(ctx, tab, company, None, since_days, billable, month), tz,
                        lang)


def write_csv(rows: list[list[str]], out: TextIO, lang: str = "pt_BR") -> None:
    """Write the export as the chat's: a BOM, then lines separated as a spreadsheet in `lang`
    splits them (`;` for pt-BR Excel, `,` in English; R9), under the column names of `lang`
    (the chat's export names its columns from the same set)."""
    from core.conversation.export import EXPORT_COLUMNS, delimiter, header

    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter(lang), lineterminator="\r\n")
    writer.writerow(header(EXPORT_COLUMNS, lang))
    writer.writerows(rows)


@tickets.command("export", help="cli.help.tickets.export")
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="cli.help.tickets.export.format")
                   ] = ExportFormat.CSV,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="cli.metavar.file", help="cli.help.tickets.export.output",
    )] = None,
    tab: TabOpt = Tab.ALL,
    company: CompanyOpt = None,
    since_days: SinceOpt = None,
    month: MonthOpt = None,
    billable: BillableOpt = False,
) -> None:
    """Write the tickets as CSV, newest first."""
    c = existing_container()
    lang = cli_language()
    rows = c.desk.call(_export, tab, company, since_days, c.policy.timezone, billable, lang,
                       month_named(month))
    if output is None:
        write_csv(rows, sys.stdout, lang)
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as handle:
            write_csv(rows, handle, lang)
    except OSError as exc:
        file_failed("cli.write_failed", output, exc)
    typer.echo(t("cli.tickets.exported", lang, exported=len(rows), output=output))


def _report(ctx: Ctx, days: int, company: str | None, lang: str, month: str | None = None
            ) -> Report:
    company_id = company_named(ctx, company).id if company is not None else None
    if month:  # its days in the team's time zone, in place of --since-days (R23)
        return build_month(ctx, None, month, company_id, lang)
    return build(ctx, None, days, company_id, lang)


@tickets.command("report", help="cli.help.tickets.report",
                 short_help="cli.help.tickets.report.short")
def report(
    since_days: Annotated[int, typer.Option(
        "--since-days", min=1, max=MAX_DAYS, metavar="N",
        help="cli.help.tickets.report.since_days")] = DEFAULT_DAYS,
    company: Annotated[str | None, typer.Option(
        "--company", metavar="cli.metavar.company", help="cli.help.tickets.report.company")
    ] = None,
    month: Annotated[str | None, typer.Option(
        "--month", "--mes", metavar="cli.metavar.month", help="cli.help.tickets.report.month")
    ] = None,
) -> None:
    """Print the coordinator's report over the last N days or a month (R13, R18-R23)."""
    c = existing_container()
    lang = cli_language()
    found = c.desk.call(_report, since_days, company, lang, month_named(month))
    typer.echo(plain(render(found, c.policy.timezone, lang)))


def register(app: typer.Typer) -> None:
    """Add the `tickets` group."""
    app.add_typer(tickets, name="tickets")
