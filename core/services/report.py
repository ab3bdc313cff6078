"""The coordinator's report: how the desk did over a time window, figure by figure tied to
the manual's rules (R13, R18-R23), counted by storage (TicketRepository.report)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import Field

from core.errors import InvalidInput
from core.models import Decision, Model, Rating, Status
from core.months import bounds, resolved, title
from core.ports import ClosedCount, OriginCount, RatedComment
from core.services.access import load_user, require_staff
from core.services.context import Ctx
from core.services.rating import REPORTED
from core.services.reference import load_coverage
from core.services.report_times import Times, measure

DEFAULT_DAYS = 30
MAX_DAYS = 3660
"""The longest window asked (ten years): a longer one would pass the calendar's start."""
NOW_INCLUDED = timedelta(microseconds=1)
"""Past now by the clocks' resolution (storage keeps microseconds): a window [since, now +
NOW_INCLUDED) is everything up to now, now's own moment in, and nothing dated later."""
COMMENTS = 10
"""The most comments of Regular, Ruim and Péssimo ratings the report lists (the latest)."""
CLOSINGS = (Decision.APPROVED, Decision.APPROVED_WITH_RESTRICTIONS, Decision.AUTO_APPROVED)
"""How a ticket closes, in the order the report gives them (R19, R21)."""


class AgentLine(Model):
    """One responsible's tickets closed in the window and how their customers rated them."""

    agent_id: int | None
    name: str
    closed: int = 0
    ratings: dict[Rating, int] = Field(default_factory=dict)

    @property
    def unrated(self) -> int:
        """Closed and not rated (yet)."""
        return self.closed - sum(self.ratings.values())


class OriginLine(Model):
    """Tickets opened in the window of one origin (None: not classified yet, R22)."""

    origin: str | None
    label: str
    covered: bool | None
    tickets: int = 0
    billable: int = 0


class Report(Model):
    """Every figure of the report, over [since, until), of one company if named."""

    since: datetime
    until: datetime
    """The window's end: a month's, the next one's first moment (excluded); else now."""
    days: int
    month: str | None = None
    """The calendar month ("2026-11") the window is, if one was asked."""
    to_date: bool = False
    """The month is the current one: the window ends now."""
    company: str | None = None
    autoclose_days: int = 15
    """R21's days of silence, as the policy has them."""
    opened: int = 0
    closed: dict[Decision, int] = Field(default_factory=dict)
    """Closed in the window, by how: Aprovado, com restrições, automaticamente (R19, R21)."""
    rejected: int = 0
    """Rejected in the window as duplicates (R18)."""
    not_approved: int = 0
    """Times a customer answered Não aprovar in the window (R19)."""
    ratings: dict[Rating, int] = Field(default_factory=dict)
    """Ratings given in the window (R20)."""
    closed_unrated: int = 0
    """Of the tickets closed in the window, those not rated."""
    times: Times = Field(default_factory=Times)
    """First response and time to solution, in business time (R14)."""
    on_time: int = 0
    """Solutions sent in the window by their prazo de entrega (R13)."""
    late: int = 0
    origins: list[OriginLine] = Field(default_factory=list)
    agents: list[AgentLine] = Field(default_factory=list)
    comments: list[RatedComment] = Field(default_factory=list)
    """The latest comments of Regular, Ruim and Péssimo ratings given in the window, newest
    first, at most COMMENTS (R20): what the customers say went less than well."""

    @property
    def closed_total(self) -> int:
        """Tickets closed in the window (rejected ones apart)."""
        return sum(self.closed.values())

    @property
    def rated(self) -> int:
        """Ratings given in the window."""
        return sum(self.ratings.values())

    @property
    def sent(self) -> int:
        """Solutions sent in the window."""
        return self.on_time + self.late

    @property
    def empty(self) -> bool:
        """Nothing happened in the window: no ticket opened, taken, closed, answered or rated."""
        return not (self.opened or self.closed_total or self.rejected or self.not_approved
                    or self.rated or self.sent or self.times.taken)


def share(part: int, whole: int) -> int | None:
    """part as a whole percentage of whole; None when there is no whole to divide."""
    return round(100 * part / whole) if whole else None


def build(ctx: Ctx, actor_id: int | None, days: int = DEFAULT_DAYS,
          company_id: int | None = None, lang: str = "pt_BR",
          window: tuple[datetime, datetime] | None = None) -> Report:
    """The report over the last `days` days, or over window [since, until) when given (one
    not over: up to now), of one company if given, origins named in lang; actor_id: the staff
    member who asks (None: the command line's operator)."""
    if actor_id is not None:
        require_staff(load_user(ctx, actor_id))
    if window is None and not 1 <= days <= MAX_DAYS:
        raise InvalidInput("error.report_days", most=MAX_DAYS)
    since, until = window or (ctx.now - timedelta(days=days), ctx.now)
    # A window not over ends now, now's own moment in: just past it at the clocks' resolution.
    end = until if window is not None and until <= ctx.now else ctx.now + NOW_INCLUDED
    until = min(until, ctx.now)
    if window is not None:
        days = max(1, -(-(until - since) // timedelta(days=1)))
    counts = ctx.uow.tickets.report(since, end, company_id)
    company = ctx.uow.companies.get(company_id) if company_id is not None else None
    report = Report(since=since, until=until, days=days,
                    company=company.name if company else None,
                    autoclose_days=ctx.policy.autoclose_days, opened=counts.opened,
                    not_approved=counts.not_approved, on_time=counts.solutions_on_time,
                    late=counts.solutions_late,
                    ratings={r: counts.ratings.get(r, 0) for r in Rating})
    for row in counts.closed:
        if row.status == Status.REJECTED:
            report.rejected += row.n
        elif row.decision is not None:
            report.closed[row.decision] = report.closed.get(row.decision, 0) + row.n
            report.closed_unrated += row.n if row.rating is None else 0
    report.times = measure(ctx, since, end, company_id)
    report.origins = _origins(ctx, counts.origins, lang)
    report.agents = _agents(ctx, counts.closed)
    report.comments = ctx.uow.tickets.rated_comments(since, end, company_id,
                                                     list(REPORTED), COMMENTS)
    return report


def build_month(ctx: Ctx, actor_id: int | None, said: str, company_id: int | None = None,
                lang: str = "pt_BR") -> Report:
    """The report of a calendar month in the team's time zone: "2026-11", or the chat's
    "this", "last", "11" (listing_month.named) as of today; the current month up to now."""
    if actor_id is not None:
        require_staff(load_user(ctx, actor_id))
    today = ctx.now.astimezone(ZoneInfo(ctx.policy.timezone)).date()
    month = resolved(said, today)
    since, end = bounds(month, ctx.policy.timezone)
    if since > ctx.now:
        raise InvalidInput("error.report_month_ahead", month=title(month, lang))
    found = build(ctx, actor_id, company_id=company_id, lang=lang, window=(since, end))
    return found.model_copy(update={"month": month, "to_date": end > ctx.now})


def _origins(ctx: Ctx, found: list[OriginCount], lang: str) -> list[OriginLine]:
    """One line per origin, in the contract table's order; unclassified last."""
    table = load_coverage(ctx.uow).origins
    lines: dict[str | None, OriginLine] = {
        o.id: OriginLine(origin=o.id, label=o.shown(lang), covered=o.covered) for o in table}
    order: list[str | None] = [o.id for o in table]
    for row in found:
        key = row.origin
        if key not in lines:  # not classified, or an origin the table no longer has
            lines[key] = OriginLine(origin=key, label=key or "", covered=row.covered)
            order.append(key)
        lines[key].tickets += row.n
        lines[key].billable += row.n if row.billable else 0
    kept = [lines[k] for k in order if lines[k].tickets]
    return sorted(kept, key=lambda line: line.origin is None)


def _agents(ctx: Ctx, closed: list[ClosedCount]) -> list[AgentLine]:
    """Each responsible's closed tickets and ratings, the most closed first."""
    agents: dict[int | None, AgentLine] = {}
    for row in closed:
        if row.status != Status.CLOSED:
            continue
        if row.assignee_id not in agents:
            user = ctx.uow.users.get(row.assignee_id) if row.assignee_id else None
            name = user.name if user else (f"#{row.assignee_id}" if row.assignee_id else "")
            agents[row.assignee_id] = AgentLine(agent_id=row.assignee_id, name=name)
        line = agents[row.assignee_id]
        line.closed += row.n
        if row.rating is not None:
            line.ratings[row.rating] = line.ratings.get(row.rating, 0) + row.n
    return sorted(agents.values(), key=lambda a: (-a.closed, a.agent_id is None,
                                                  a.name.casefold()))
