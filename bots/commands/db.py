"""`helpdesk db upgrade`: create or migrate the database schema."""

from __future__ import annotations

import typer

from bots.clikit import load_settings

db = typer.Typer(help="Banco de dados.", no_args_is_help=True)


@db.command("upgrade")
def upgrade() -> None:
    """Cria ou atualiza as tabelas do banco (DATABASE_URL) até a última versão."""
    from storage import migrate

    settings = load_settings()
    migrate.upgrade(settings.database_url)
    typer.echo("Banco de dados atualizado.")


def register(app: typer.Typer) -> None:
    """Add the `db` group."""
    app.add_typer(db, name="db")
