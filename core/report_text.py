"""The coordinator's report as text, for `helpdesk tickets report` and Slack's /ticket relatorio
alike: sections of lines and aligned tables, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.i18n import label, t
from core.models import Rating, format_number
from core.months import title
from core.services.report import CLOSINGS, Report, share
from core.services.report_times import Times

INDENT = "  "
COMMENT_SHOWN = 200
"""How much of a rating's comment the report quotes, on one line."""


def _when(at: datetime, tz: str, lang: str) -> str:
    return t("fmt.datetime", lang, dt=at.astimezone(ZoneInfo(tz)))


def _pct(part: int, whole: int) -> str:
    """" (50%)": part's share of whole; nothing when whole is 0 (no division, no "nan%")."""
    found = share(part, whole)
    return "" if found is None else f" ({found}%)"


def grid(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """Rows under their headers, columns aligned (numbers to the right), indented."""
    cells = [[str(c) for c in row] for row in rows]
    sizes = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(sizes[i]) if v.rstrip("%").isdigit() else v.ljust(sizes[i])
                 for i, v in enumerate(values)]
        return (INDENT + "  ".join(parts)).rstrip()

    return [line(headers), INDENT + "  ".join("-" * s for s in sizes), *map(line, cells)]


def render(r: Report, tz: str, lang: str = "pt_BR") -> str:
    """Every section of the report; an empty window says so alone."""
    # A month over ends at the next one's first moment: its own last minute is shown.
    last = r.until - timedelta(minutes=1) if r.month is not None and not r.to_date else r.until
    lines = [_title(r, lang),
             t("report.window", lang, since=_when(r.since, tz, lang),
               until=_when(last, tz, lang)),
             t("report.company", lang, company=r.company) if r.company
             else t("report.all_companies", lang)]
    if r.empty:
        return "\n".join([*lines, "", t("report.empty", lang)])
    for section in (_tickets, _times, _satisfaction, _prazo, _contract, _agents):
        lines += ["", *section(r, lang)]
        if section is _satisfaction:
            lines += _comments(r, tz, lang)
    return "\n".join(lines)


def _title(r: Report, lang: str) -> str:
    """"últimos 30 dias", or the month's name ("novembro de 2026 (até agora)")."""
    if r.month is None:
        return t("report.title", lang, count=r.days)
    return t("report.title_month_now" if r.to_date else "report.title_month", lang,
             month=title(r.month, lang))


def _tickets(r: Report, lang: str) -> list[str]:
    lines = [t("report.tickets", lang), INDENT + t("report.opened", lang, count=r.opened),
             INDENT + t("report.closed", lang, count=r.closed_total)]
    for how in CLOSINGS:
        n = r.closed.get(how, 0)
        lines.append(INDENT * 2 + t(f"report.closed_how.{how.value}", lang, days=r.autoclose_days)
                     + f": {n}{_pct(n, r.closed_total)}")
    lines.append(INDENT + t("report.rejected", lang, count=r.rejected))
    lines.append(INDENT + t("report.not_approved", lang, count=r.not_approved))
    return lines


def _times(r: Report, lang: str) -> list[str]:
    """First response and time to solution, in business time (R14)."""
    times = r.times
    lines = [t("report.times", lang)]
    if not times.taken:
        lines.append(INDENT + t("report.no_taken", lang))
    else:
        lines += [INDENT + t("report.first_response", lang, count=times.taken,
                             median=_spent(times, times.first_median, lang)),
                  INDENT * 2 + t("report.first_within", lang, count=times.within,
                                 limit=_spent(times, timedelta(minutes=times.limit_minutes), lang),
                                 critical=_spent(times, timedelta(
                                     minutes=times.critical_limit_minutes), lang))
                  + _pct(times.within, times.taken)]
    lines.append(INDENT + t("report.not_taken", lang, count=times.not_taken))
    if not times.solved:
        return [*lines, INDENT + t("report.no_solved", lang)]
    # the 90th percentile said only when it says more than the median (not of one ticket)
    key = "report.solution" if times.solution_p90 != times.solution_median \
        else "report.solution_median"
    return [*lines, INDENT + t(key, lang, count=times.solved,
                               median=_spent(times, times.solution_median, lang),
                               p90=_spent(times, times.solution_p90, lang))]


def _spent(times: Times, spent: timedelta | None, lang: str) -> str:
    """Business time as a person says it: "1 h 20 min úteis", "2 dias úteis e 3 h"."""
    spent = spent or timedelta(0)
    minutes = int(spent.total_seconds()) // 60
    if spent >= times.day_length:
        days = spent // times.day_length
        hours = (spent - days * times.day_length) // timedelta(hours=1)
        return t("report.time.days_hours" if hours else "report.time.days", lang, days=days,
                 hours=hours)
    if not minutes:
        return t("report.time.none", lang)
    hours, minutes = divmod(minutes, 60)
    key = "report.time.hours_minutes" if hours and minutes else \
        "report.time.hours" if hours else "report.time.minutes"
    return t(key, lang, hours=hours, minutes=minutes)


def _satisfaction(r: Report, lang: str) -> list[str]:
    lines = [t("report.satisfaction", lang)]
    if not r.rated:
        lines.append(INDENT + t("report.no_ratings", lang))
    else:
        lines += grid([t("report.col.rating", lang), t("report.col.ratings", lang), "%"],
                      [(label("rating", k, lang), n, f"{share(n, r.rated)}%")
                       for k, n in r.ratings.items()])
        lines.append(INDENT + t("report.rated_total", lang, count=r.rated))
    if r.closed_total:
        lines.append(INDENT + t("report.closed_unrated", lang, count=r.closed_unrated,
                                closed=r.closed_total))
    return lines


def _comments(r: Report, tz: str, lang: str) -> list[str]:
    """The latest comments of Regular, Ruim and Péssimo ratings, newest first (R20)."""
    if not r.comments:
        return []
    return [INDENT + t("report.comments", lang, count=len(r.comments)),
            *(INDENT * 2 + t("report.comment", lang, number=format_number(c.period, c.seq),
                             rating=label("rating", c.rating, lang),
                             when=_when(c.rated_at, tz, lang), comment=_quoted(c.comment))
              for c in r.comments)]


def _quoted(comment: str) -> str:
    """A comment on one line, cut past COMMENT_SHOWN characters (marked)."""
    flat = " ".join(comment.split())
    return flat if len(flat) <= COMMENT_SHOWN else flat[:COMMENT_SHOWN - 1].rstrip() + "…"


def _prazo(r: Report, lang: str) -> list[str]:
    lines = [t("report.prazo", lang)]
    if not r.sent:
        return [*lines, INDENT + t("report.no_solutions", lang)]
    return [*lines,
            INDENT + t("report.on_time", lang, count=r.on_time) + _pct(r.on_time, r.sent),
            INDENT + t("report.late", lang, count=r.late) + _pct(r.late, r.sent)]


def _contract(r: Report, lang: str) -> list[str]:
    lines = [t("report.contract", lang)]
    if not r.opened:
        return [*lines, INDENT + t("report.no_opened", lang)]

    def coverage(covered: bool | None) -> str:
        return "" if covered is None else t(
            "report.covered" if covered else "report.not_covered", lang)

    rows = [(o.label or t("report.unclassified", lang), o.tickets, coverage(o.covered),
             o.billable) for o in r.origins]
    lines += grid([t("report.col.origin", lang), t("report.col.tickets", lang),
                   t("report.col.coverage", lang), t("report.col.billable", lang)], rows)
    covered = sum(o.tickets for o in r.origins if o.covered)
    outside = sum(o.tickets for o in r.origins if o.covered is False)
    lines.append(INDENT + t("report.contract_total", lang, covered=covered, outside=outside,
                            billable=sum(o.billable for o in r.origins),
                            none=sum(o.tickets for o in r.origins if o.origin is None)))
    return lines


def _agents(r: Report, lang: str) -> list[str]:
    lines = [t("report.agents", lang)]
    if not r.agents:
        return [*lines, INDENT + t("report.no_closed", lang)]
    headers = [t("report.col.agent", lang), t("report.col.closed", lang),
               *(label("rating", k, lang) for k in Rating), t("report.col.unrated", lang)]
    rows = [(a.name or t("report.no_agent", lang), a.closed,
             *(a.ratings.get(k, 0) for k in Rating), a.unrated) for a in r.agents]
    return lines + grid(headers, rows)
