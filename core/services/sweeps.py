"""Timed sweeps: idempotent, guarded by a named lock so N instances act once (R21, R13, R14)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from core.calendar import BusinessCalendar
from core.models import Decision, Priority, Status, Ticket
from core.services import billing, notify, users
from core.services.approval_clock import calendar_for, days_waited, reminder_days
from core.services.closing import _close
from core.services.context import Ctx
from core.services.handling import prazo_for

BATCH = 500


class SweepReport(BaseModel):
    """How many tickets each sweep touched."""

    reminded: int = 0
    auto_closed: int = 0
    due_soon: int = 0
    overdue: int = 0
    first_response_flagged: int = 0
    invites_removed: int = 0
    conversations_removed: int = 0
    link_failures_removed: int = 0
    skipped: bool = False


def auto_close(ctx: Ctx, report: SweepReport) -> None:
    """Remind on days 5 and 10, close as approved on day 15 of silence (R21), each at the first
    business minute on or after it is due, so no customer hears of it at night (R14)."""
    if not _desk_open(ctx):
        return
    cutoff = ctx.now - timedelta(days=ctx.policy.autoclose_days)
    for ticket in ctx.uow.tickets.awaiting_before(cutoff, BATCH):
        # A close held for the weekend lands on day 16 or 17: the notice says the real wait,
        # counted as the request counted the days left.
        days = days_waited(ctx, ticket)
        # Silence approves the solution (R21), never a charge the customer did not authorize
        # (R23): the customer, the card's thread and the responsible agent are told so.
        uncharged = ticket.billable and ticket.billing_authorized is None
        charge = {"uncharged": True, **billing.origin_params(ctx, ticket, "charge_origin")} \
            if uncharged else {}
        _close(ctx, None, ticket, Decision.AUTO_APPROVED, None, days=days, **charge)
        notify.to_requester(ctx, ticket, "ticket.auto_closed", days=days, **charge)
        if uncharged:
            notify.to_agent(ctx, ticket.assignee_id, ticket, "agent.auto_closed_uncharged",
                            **charge)
        report.auto_closed += 1
    reminders = sorted(ctx.policy.reminder_days, reverse=True)
    for index, day in zip(range(len(reminders), 0, -1), reminders, strict=True):
        cutoff = ctx.now - timedelta(days=day)
        for ticket in ctx.uow.tickets.awaiting_before(cutoff, BATCH, reminders_below=index):
            # Due together (no sweep for days), day 10's is the one sent: the days it says
            # are true and the index it records keeps day 5's from coming after it.
            ticket.reminders_sent = index
            ctx.uow.tickets.update(ticket)
            waited, left = reminder_days(ctx, ticket)
            notify.to_requester(ctx, ticket, "ticket.approval_reminder", day=waited,
                                days_left=left, since=_iso(ticket.awaiting_since))
            report.reminded += 1


def deadlines(ctx: Ctx, report: SweepReport) -> None:
    """Warn the thread and the responsible agent before the prazo (the setting's business minutes
    ahead, at most a quarter of the prazo's business time) and after it (R13), each at the first
    business minute on or after it is due, as the customers' reminders (R14)."""
    if not _desk_open(ctx):
        return
    for ticket in ctx.uow.tickets.due_before(ctx.now, BATCH, warnings_below=2):
        _warn_due(ctx, ticket, 2, "ticket.overdue")
        report.overdue += 1
    cal = calendar_for(ctx.policy.timezone)
    most = timedelta(minutes=ctx.policy.due_warning_business_minutes)
    # Every ticket's own window is at most the setting's: this cutoff selects a superset, read
    # unlocked (most of it is not due soon yet); the ticket warned is read again, locked. Those
    # skipped stay first in prazo order, so the next page starts after them, not at the top.
    cutoff, skipped = cal.add_business_time(ctx.now, most), 0
    while report.due_soon < BATCH:
        page = ctx.uow.tickets.due_before(cutoff, BATCH, warnings_below=1, lock=False,
                                          offset=skipped)
        for seen in page:
            locked = ctx.uow.tickets.get(seen.id or 0) if _due_soon(ctx, cal, seen, most) \
                else None
            if locked is not None and _due_soon(ctx, cal, locked, most):  # unchanged meanwhile
                _warn_due(ctx, locked, 1, "ticket.due_soon")
                report.due_soon += 1
            else:
                skipped += 1
        if len(page) < BATCH:
            break


def _due_soon(ctx: Ctx, cal: BusinessCalendar, ticket: Ticket, most: timedelta) -> bool:
    """Whether an open ticket's prazo is within its warning window, not yet told (R13)."""
    if ticket.due_at is None or ticket.due_warnings_sent >= 1 or not ticket.is_open \
            or ticket.status == Status.AWAITING_APPROVAL:
        return False
    window = min(most, _prazo_business_time(ctx, cal, ticket) / 4)
    return ticket.due_at <= cal.add_business_time(ctx.now, window)


def _prazo_business_time(ctx: Ctx, cal: BusinessCalendar, ticket: Ticket) -> timedelta:
    """The business time within the ticket's prazo (R13, R14): a day taken Friday at 17:00 is
    one business hour, not 8 h 30, so 'vence em breve' comes a quarter of that ahead (R12)."""
    due = ticket.due_at or ctx.now
    # From the due date back, not from the assignment: the days awaiting approval are no part
    # of the prazo (closing._prazo_waited).
    return cal.business_time_between(due - prazo_for(ctx, ticket), due)


def _warn_due(ctx: Ctx, ticket: Ticket, sent: int, kind: str) -> None:
    """Record the prazo warning sent and tell the triage thread and the responsible agent."""
    ticket.due_warnings_sent = sent
    ctx.uow.tickets.update(ticket)
    notify.to_triage(ctx, ticket, kind, due_at=_iso(ticket.due_at))
    notify.to_agent(ctx, ticket.assignee_id, ticket, kind, due_at=_iso(ticket.due_at))


def first_response(ctx: Ctx, report: SweepReport) -> None:
    """Flag in triage a ticket not taken within N business minutes (R14), Novo or Em estimativa
    nobody ever took (R16), at the first business minute on or after it is due, as the
    prazo warnings."""
    if not _desk_open(ctx):
        return
    # A critical ticket's shorter alarm first (R12), so it is flagged saying its own minutes.
    _flag_not_taken(ctx, report, ctx.policy.first_response_critical_business_minutes,
                    Priority.CRITICAL)
    _flag_not_taken(ctx, report, ctx.policy.first_response_business_minutes, None)


def _flag_not_taken(ctx: Ctx, report: SweepReport, minutes: int,
                    priority: Priority | None) -> None:
    cal = calendar_for(ctx.policy.timezone)
    limit = timedelta(minutes=minutes)
    # Business time is never more than wall time, so this cutoff selects a superset, oldest
    # first; an older ticket has had at least as much business time, so the first one still
    # within the limit ends the sweep (none after it can be late).
    for ticket in ctx.uow.tickets.new_before(ctx.now - limit, BATCH, priority):
        if cal.business_time_between(ticket.opened_at, ctx.now) < limit:
            break
        ticket.first_response_flagged = True
        ctx.uow.tickets.update(ticket)
        notify.to_triage(ctx, ticket, "ticket.first_response_overdue", minutes=minutes)
        report.first_response_flagged += 1


def cleanup(ctx: Ctx, report: SweepReport) -> None:
    """Drop expired invite codes, conversations silent for too long, and failed invite codes
    too old to lock anyone."""
    report.invites_removed = ctx.uow.invites.delete_expired(ctx.now)
    stale = ctx.now - timedelta(hours=ctx.policy.stale_conversation_hours) * 7
    report.conversations_removed = ctx.uow.conversations.delete_stale(stale)
    report.link_failures_removed = ctx.uow.link_failures.delete_before(
        ctx.now - users.link_window(ctx))


def run_all(ctx: Ctx) -> SweepReport:
    """Run every sweep once as of ctx.now; another instance holding the lock means skip."""
    report = SweepReport()
    if not ctx.uow.lock("helpdesk.sweeps"):
        report.skipped = True
        return report
    auto_close(ctx, report)
    deadlines(ctx, report)
    first_response(ctx, report)
    cleanup(ctx, report)
    return report


def _desk_open(ctx: Ctx) -> bool:
    """Whether the team is working now: what is due meanwhile waits for the next opening (R14)."""
    return calendar_for(ctx.policy.timezone).is_open(ctx.now)


def _iso(value: object) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else None
