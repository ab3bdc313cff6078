"""`helpdesk demo`: a company, its people and a ticket in every tab, to try the product."""

from __future__ import annotations

import typer

from bots.clikit import cli_language, container
from bots.demo import COMPANY, seed_demo
from core.i18n import t


def demo() -> None:
    """Seed the demo data (idempotent) and say how to log in."""
    report = seed_demo(container().desk)
    lang = cli_language()
    typer.echo(t("cli.demo.company_created" if report.company_created
                 else "cli.demo.company_existed", lang, company=COMPANY))
    if report.users_created:
        typer.echo(t("cli.demo.users", lang, users=len(report.users_created)))
    if report.tickets_created:
        typer.echo(t("cli.demo.tickets", lang, numbers=", ".join(report.tickets_created)))
    else:
        typer.echo(t("cli.demo.tickets_existing", lang, existing=report.tickets_existing))
    typer.echo("\n" + t("cli.demo.log_in", lang))
    width = max(len(p.email) for p in report.people)
    for p in report.people:
        typer.echo(f"  helpdesk chat --email {p.email.ljust(width)}  # {p.name}, "
                   f"{t(p.note, lang)}")
    typer.echo("\n" + t("cli.demo.see", lang))


def register(app: typer.Typer) -> None:
    """Add the `demo` command."""
    app.command("demo", help="cli.help.demo", short_help="cli.help.demo.short")(demo)
