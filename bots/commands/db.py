"""`helpdesk db upgrade`: create or migrate the database schema."""

from __future__ import annotations

import typer

from bots.clikit import cli_language, load_settings
from core.i18n import t

db = typer.Typer(help="cli.help.db", no_args_is_help=True)


@db.command("upgrade", help="cli.help.db.upgrade", short_help="cli.help.db.upgrade.short")
def upgrade() -> None:
    """Migrate the database to the newest schema."""
    from storage import migrate

    settings = load_settings()
    migrate.upgrade(settings.database_url)
    typer.echo(t("cli.db.upgraded", cli_language()))


def register(app: typer.Typer) -> None:
    """Add the `db` group."""
    app.add_typer(db, name="db")
