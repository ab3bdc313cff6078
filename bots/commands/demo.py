"""`helpdesk demo`: a company, its people and a ticket in every tab, to try the product."""

from __future__ import annotations

import typer

from bots.clikit import container
from bots.demo import COMPANY, seed_demo


def demo() -> None:
    """Seed the demo data (idempotent) and say how to log in."""
    report = seed_demo(container().desk)
    typer.echo(f"Empresa de demonstração: {COMPANY}"
               + (" (criada)" if report.company_created else " (já existia)"))
    if report.users_created:
        typer.echo(f"Usuários criados: {len(report.users_created)}")
    if report.tickets_created:
        typer.echo(f"Tickets criados: {', '.join(report.tickets_created)}")
    else:
        typer.echo(f"Tickets: {report.tickets_existing} já existiam; nada foi criado.")
    typer.echo("\nEntre como (no chat do terminal):")
    width = max(len(p.email) for p in report.people)
    for p in report.people:
        typer.echo(f"  helpdesk chat --email {p.email.ljust(width)}  # {p.name}, {p.note}")
    typer.echo("\nVeja os tickets com: helpdesk tickets list")


def register(app: typer.Typer) -> None:
    """Add the `demo` command."""
    app.command("demo", help="cli.help.demo")(demo)
