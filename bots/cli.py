"""The `helpdesk` command line.

Commands live in the modules of `bots/commands/`; each module defines
`register(app: typer.Typer) -> None` and is found at start-up, so adding a command (or a group
such as `helpdesk outbox ...`) needs no change here. Keep a command module's top-level imports
light: import telegram, slack or aiohttp inside the command function.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from bots.clikit import LocalizedGroup, cli_language, error_text
from core.errors import HelpdeskError
from core.i18n import t

app = typer.Typer(
    name="helpdesk",
    help="cli.help.app",
    cls=LocalizedGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_registered = False


def register_commands(target: typer.Typer) -> list[str]:
    """Register the commands of every module in bots.commands; return the ones that failed."""
    from bots import commands

    failed = []
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        name = f"{commands.__name__}.{info.name}"
        try:
            module = importlib.import_module(name)
            module.register(target)
        except Exception as exc:  # a broken plugin must not take the other commands down
            failed.append(name)
            typer.echo(t("cli.commands_unavailable", cli_language(), module=name,
                         reason=f"{type(exc).__name__}: {exc}"), err=True)
    return failed


def build_app() -> typer.Typer:
    """The `helpdesk` app with every command registered (once), e.g. for typer's CliRunner."""
    global _registered
    if not _registered:
        register_commands(app)
        _registered = True
    return app


def main(argv: list[str] | None = None) -> None:
    """Run the command line; expected errors become one line on stderr, never a traceback."""
    try:
        build_app()(args=argv, prog_name="helpdesk")
    except HelpdeskError as exc:
        lang = cli_language()
        typer.echo(t("cli.error", lang, message=error_text(exc, lang)), err=True)
        sys.exit(1)
    except Exception as exc:
        trouble = _database_trouble(exc)
        if trouble is None:
            raise
        lang = cli_language()
        typer.echo(t("cli.error", lang, message=t(trouble[0], lang, detail=trouble[1])),
                   err=True)
        sys.exit(1)


def _database_trouble(exc: Exception) -> tuple[str, str] | None:
    """The catalog key and detail of a database that cannot be reached or is not migrated."""
    try:
        from sqlalchemy.exc import OperationalError, ProgrammingError
    except ImportError:  # pragma: no cover
        return None
    newer = _newer_revision(exc)
    if newer is not None:
        return "cli.db_newer", newer
    text = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    if isinstance(exc, ProgrammingError) and "does not exist" in text:
        return "cli.db_outdated", text
    if isinstance(exc, OperationalError) and "no such table" in text:
        return "cli.db_outdated", text
    if isinstance(exc, OperationalError):
        return "cli.db_unusable", text
    return None


def _newer_revision(exc: Exception) -> str | None:
    """The revision Alembic could not find when the database records one this code does not
    have (a newer helpdesk migrated it); None for any other error."""
    from alembic.script.revision import ResolutionError
    from alembic.util import CommandError

    cause = exc.__cause__
    return cause.argument if isinstance(exc, CommandError) \
        and isinstance(cause, ResolutionError) else None


if __name__ == "__main__":
    main()
