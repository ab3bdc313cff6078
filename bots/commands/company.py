"""`helpdesk company add|list`: the client companies under contract."""

from __future__ import annotations

from typing import Annotated

import typer

from bots.clikit import cli_language, container, existing_container, table
from core.i18n import t
from core.models import Company
from core.services.context import Ctx
from core.services.users import add_company

company = typer.Typer(help="cli.help.company", no_args_is_help=True)


@company.command("add", help="cli.help.company.add")
def add(name: Annotated[str, typer.Argument(metavar="cli.metavar.name",
                                            help="cli.help.company.add.name")]) -> None:
    """Register a client company."""
    created = container().desk.call(add_company, name)
    typer.echo(t("cli.company.added", cli_language(), name=created.name, id=created.id))


def _companies(ctx: Ctx) -> list[tuple[Company, int]]:
    return [(c, len(ctx.uow.users.list(c.id))) for c in ctx.uow.companies.list()]


@company.command("list", help="cli.help.company.list")
def list_() -> None:
    """Print the companies with their user counts."""
    rows = existing_container().desk.call(_companies)
    lang = cli_language()
    if not rows:
        typer.echo(t("cli.company.none", lang))
        return
    headers = [t(f"cli.col.{name}", lang) for name in ("id", "company", "users")]
    typer.echo(table(headers, [(c.id, c.name, n) for c, n in rows]))


def register(app: typer.Typer) -> None:
    """Add the `company` group."""
    app.add_typer(company, name="company")
