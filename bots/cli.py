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


def _root() -> None:
    """The root group's own step: none. Being there, it keeps `helpdesk` a group of commands
    even when one command alone is registered (build_app)."""


app = typer.Typer(
    name="helpdesk",
    callback=_root,
    help="cli.help.app",
    cls=LocalizedGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_loaded: set[str] = set()
"""The modules of bots.commands registered on `app` so far."""


def command_modules() -> list[str]:
    """The names of the modules in bots.commands, in order."""
    from bots import commands

    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__)
                  if not m.name.startswith("_"))


def register_commands(target: typer.Typer, modules: list[str] | None = None) -> list[str]:
    """Register the commands of these modules of bots.commands (every one by default); return
    the ones that failed."""
    from bots import commands

    failed = []
    for module_name in command_modules() if modules is None else modules:
        name = f"{commands.__name__}.{module_name}"
        try:
            module = importlib.import_module(name)
            module.register(target)
        except Exception as exc:  # a broken plugin must not take the other commands down
            failed.append(name)
            typer.echo(t("cli.commands_unavailable", cli_language(), module=name,
                         reason=f"{type(exc).__name__}: {exc}"), err=True)
    return failed


def build_app(typed: str | None = None) -> typer.Typer:
    """The `helpdesk` app with every command registered (once), e.g. for typer's CliRunner.

    Given the command typed, the module of that name alone when it registers it: a `helpdesk
    user add` need not import what `tickets` or `chat` do (a third of its start)."""
    modules = command_modules()
    if typed in modules and typed not in _loaded:
        _load([typed])
    if typed is None or typed not in _registered_names(app):
        _load([m for m in modules if m not in _loaded])
    return app


def _load(modules: list[str]) -> None:
    _loaded.update(modules)
    register_commands(app, modules)


def _registered_names(target: typer.Typer) -> set[str | None]:
    """The names of the commands and groups registered on target so far."""
    return {c.name for c in target.registered_commands} | \
        {g.name for g in target.registered_groups}


def _typed_command(argv: list[str]) -> str | None:
    """The command named on the command line (`user` in `helpdesk user add ...`), if any."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; expected errors become one line on stderr, never a traceback."""
    try:
        typed = _typed_command(sys.argv[1:] if argv is None else argv)
        build_app(typed)(args=argv, prog_name="helpdesk")
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
