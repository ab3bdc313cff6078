"""`helpdesk jobs run-once` (the timed sweeps once: R13, R14, R21, and FILES_DIR's housekeeping)
and `helpdesk jobs status`."""

from __future__ import annotations

import json
import logging
import socket
from datetime import UTC, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bots.bootstrap import Container
from bots.clikit import (
    cli_language,
    elapsed,
    existing_container,
    fail,
    local_time,
    table,
)
from core.i18n import t
from core.services.approval_clock import calendar_for
from core.services.sweeps import SweepReport, run_all

jobs = typer.Typer(help="cli.help.jobs", no_args_is_help=True)

REPORTED = ("reminded", "auto_closed", "due_soon", "overdue", "first_response_flagged",
            "invites_removed", "conversations_removed", "link_failures_removed")
"""The counts of a SweepReport, in the order printed; each is labelled by cli.jobs.<name>."""
BY_HAND = "cli:"
"""The prefix of the instance of a run made by `jobs run-once` (then the machine's name)."""
log = logging.getLogger(__name__)
AHEAD = timedelta(minutes=1)
"""A --now later than the clock by more than this is a moment to come: it needs --confirmar."""


def parse_moment(text: str, tz: str) -> datetime:
    """Parse ISO-8601; a moment without offset is read in the support timezone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        fail("cli.date_invalid", text=repr(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


def render_report(report: SweepReport, lang: str = "pt_BR") -> str:
    """The sweep report, one count per line."""
    if report.skipped:
        return t("cli.jobs.skipped", lang)
    return "\n".join(f"{t(f'cli.jobs.{name}', lang)}: {getattr(report, name)}"
                     for name in REPORTED)


@jobs.command("run-once", help="cli.help.jobs.run_once", short_help="cli.help.jobs.run_once.short")
def run_once(
    now: Annotated[str | None, typer.Option(
        "--now", metavar="ISO-8601",
        help="cli.help.jobs.run_once.now")
    ] = None,
    confirmed: Annotated[bool, typer.Option(
        "--confirmar", "--yes", help="cli.help.jobs.run_once.confirm")] = False,
) -> None:
    """Run every timed sweep once and print what it did."""
    c = existing_container()
    desk = c.desk
    if now:
        moment = parse_moment(now, c.policy.timezone)
        # The sweeps really act: tickets closed as of a moment to come cannot be reopened.
        if moment > desk.clock() + AHEAD and not confirmed:
            fail("cli.jobs.future_unconfirmed", when=local_time(moment, c.policy.timezone))
        desk = desk.at(moment)
    moment = desk.clock()
    try:
        report = desk.call(run_all)
    except Exception as exc:
        _record_by_hand(c, "failed", f"{type(exc).__name__}: {exc}")
        raise
    files = _sweep_files(c)
    touched = {k: v for k, v in report.model_dump().items() if v and k != "skipped"}
    touched |= {k: n for k, n in files.items() if n}
    if now:
        touched["as_of"] = local_time(moment, c.policy.timezone)
    _record_by_hand(c, "skipped" if report.skipped else "done", json.dumps(touched))
    lang = cli_language()
    typer.echo(t("cli.jobs.ran", lang, when=local_time(moment, c.policy.timezone)))
    calendar = calendar_for(c.policy.timezone)
    if not report.skipped and not calendar.is_open(moment):
        # Only the cleanup acted: reported as zeros, the rest looked like nothing was due.
        typer.echo(t("cli.jobs.desk_closed", lang,
                     opens=local_time(calendar.next_opening(moment), c.policy.timezone)))
    typer.echo(render_report(report, lang))
    for name, n in files.items():
        typer.echo(f"{t(f'cli.jobs.{name}', lang)}: {n}")


def _sweep_files(c: Container) -> dict[str, int]:
    """FILES_DIR's housekeeping (bots.blob_sweep), as of the clock (files' ages are real
    whatever --now says): what it removed, or nothing without a database to ask."""
    from bots.blob_sweep import sweep_files
    from storage.blob_refs import BlobRefs

    engine = getattr(c.store, "engine", None)
    if engine is None:
        return {}
    return sweep_files(c.settings.files_dir, BlobRefs(engine)).counts()


def _record_by_hand(c: Container, outcome: str, detail: str) -> None:
    """Keep the run for `jobs status` as this machine's run by hand; a failure to is only
    logged (the sweeps did run)."""
    from storage.job_runs import JobRuns

    engine = getattr(c.store, "engine", None)
    if engine is None:
        return
    try:
        JobRuns(engine).record("sweeps", f"{BY_HAND}{socket.gethostname()}", datetime.now(UTC),
                               outcome, detail)
    except Exception:
        log.exception("recording the run of `jobs run-once` failed")


@jobs.command("status", help="cli.help.jobs.status", short_help="cli.help.jobs.status.short")
def status() -> None:
    """Each instance's latest run of each timed job, and what it did."""
    from storage.job_runs import JobRuns

    c = existing_container()
    engine = getattr(c.store, "engine", None)
    if engine is None:
        fail("cli.outbox_needs_sql")
    now = datetime.now(UTC)
    runs = JobRuns(engine).latest(now)
    lang = cli_language()
    if not runs:
        typer.echo(t("cli.jobs.none_recorded", lang))
    else:
        typer.echo(t("cli.jobs.status_title", lang))
        rows = []
        for run in runs:
            said = t(f"cli.jobs.outcome.{run.outcome}", lang, instance=run.detail)
            if run.outcome == "failed":
                said = f"{said}: {run.detail}"
            elif run.outcome == "done":
                counts = json.loads(run.detail or "{}")
                done = "; ".join(f"{t(f'cli.jobs.{name}', lang)}: {n}"
                                 for name, n in counts.items() if name != "as_of") \
                    or t("cli.jobs.nothing_due", lang)
                said = f"{said}: {done}"
                if "as_of" in counts:
                    said += " " + t("cli.jobs.as_of", lang, when=counts["as_of"])
            worker = run.worker
            if worker.startswith(BY_HAND):
                worker = t("cli.jobs.by_hand", lang, host=worker.removeprefix(BY_HAND))
            rows.append([t(f"cli.jobs.job.{run.job}", lang), worker,
                         elapsed(max(0.0, (now - run.ran_at).total_seconds())), said])
        typer.echo(table([t(f"cli.jobs.col.{col}", lang)
                          for col in ("job", "instance", "ran", "outcome")], rows,
                         widths={3: 90}))
    calendar = calendar_for(c.policy.timezone)
    if not calendar.is_open(now):
        typer.echo(t("cli.jobs.desk_closed", lang,
                     opens=local_time(calendar.next_opening(now), c.policy.timezone)))


def register(app: typer.Typer) -> None:
    """Add the `jobs` group."""
    app.add_typer(jobs, name="jobs")
