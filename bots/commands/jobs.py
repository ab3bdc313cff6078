"""`helpdesk jobs run-once`: run the timed sweeps once (R13, R14, R21)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bots.clikit import container, fail, local_time
from core.services.sweeps import SweepReport, run_all

jobs = typer.Typer(help="cli.help.jobs", no_args_is_help=True)

REPORT_LABELS = {
    "reminded": "Lembretes de aprovação enviados",
    "auto_closed": "Tickets encerrados automaticamente",
    "due_soon": "Avisos de prazo próximo",
    "overdue": "Avisos de prazo vencido",
    "first_response_flagged": "Tickets novos sem primeira resposta",
    "invites_removed": "Convites vencidos removidos",
    "conversations_removed": "Conversas abandonadas removidas",
    "link_failures_removed": "Tentativas de código de convite antigas removidas",
}


def parse_moment(text: str, tz: str) -> datetime:
    """Parse ISO-8601; a moment without offset is read in the support timezone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        fail("cli.date_invalid", text=repr(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


def render_report(report: SweepReport) -> str:
    """The sweep report, one count per line."""
    if report.skipped:
        return "Outra instância está executando as rotinas agora; nada foi feito."
    return "\n".join(f"{label}: {getattr(report, name)}" for name, label in REPORT_LABELS.items())


@jobs.command("run-once", help="cli.help.jobs.run_once")
def run_once(
    now: Annotated[str | None, typer.Option(
        "--now", metavar="ISO-8601",
        help="cli.help.jobs.run_once.now")
    ] = None,
) -> None:
    """Run every timed sweep once and print what it did."""
    c = container()
    desk = c.desk.at(parse_moment(now, c.policy.timezone)) if now else c.desk
    moment = desk.clock()
    report = desk.call(run_all)
    typer.echo(f"Rotinas executadas em {local_time(moment, c.policy.timezone)}.")
    typer.echo(render_report(report))


def register(app: typer.Typer) -> None:
    """Add the `jobs` group."""
    app.add_typer(jobs, name="jobs")
