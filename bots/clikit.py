"""What every `helpdesk` command shares: the container, error lines, tables and dates."""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import typer
from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperCommand, TyperGroup

from bots.bootstrap import Container, bootstrap
from bots.clinames import localize_names
from bots.cliwords import help_in, mistake_line
from bots.oserror import os_reason
from bots.settings import Settings
from bots.settings_refused import SettingsRefused, read_language
from core import i18n
from core.errors import HelpdeskError, NotFound
from core.i18n import t
from core.models import Status, User, example_number
from core.policy import Policy
from core.services.context import Ctx
from core.services.users import normalize_email
from storage.schema_head import head, recorded_revisions, sqlite_file_at_head, unknown


def fail(key: str, code: int = 1, /, language: str | None = None, **params: object) -> NoReturn:
    """Print the catalog's text for key as one line to stderr, in the LANGUAGE setting unless
    told another, and stop with a non-zero exit code."""
    lang = language or cli_language()
    typer.echo(t("cli.error", lang, message=t(key, lang, **params)), err=True)
    raise typer.Exit(code)


def file_failed(key: str, path: object, exc: OSError | UnicodeDecodeError) -> NoReturn:
    """`fail` for a file that could not be read or written, its reason in LANGUAGE (the
    system's own is English: "[Errno 2] No such file or directory")."""
    lang = cli_language()
    reason = t("cli.not_utf8", lang) if isinstance(exc, UnicodeDecodeError) \
        else os_reason(exc, lang)
    fail(key, language=lang, path=path, reason=reason)


def cli_language() -> str:
    """The LANGUAGE setting read alone, so a bad setting (LANGUAGE's own too) is told in it."""
    return read_language()


def error_text(exc: HelpdeskError, language: str = "pt_BR") -> str:
    """The user-facing text of a core error; a key the catalog lacks says its kind's text."""
    return _catalog_text(exc.key, language, exc.params) or t(type(exc).key, language)


def _catalog_text(key: str, language: str, params: dict) -> str | None:
    try:
        if not i18n.has(key, language):
            return None
        if "field" in params:
            params = {**params, "field_label": i18n.label("field", params["field"], language)}
        return i18n.t(key, language, **params)
    except (OSError, LookupError, ValueError):
        return None


FIRST_COMMANDS = ("run", "chat", "demo", "db", "company", "user", "catalog", "tickets", "jobs",
                  "outbox", "kb", "bench")
"""The order of `helpdesk --help`: what a newcomer runs first, then the administration, as the
README's CLI table; a command not named here comes last."""


class LocalizedGroup(TyperGroup):
    """The root group, which resolves every help text in LANGUAGE before it runs."""

    def list_commands(self, ctx: Any) -> list[str]:
        known = {name: i for i, name in enumerate(FIRST_COMMANDS)}
        return sorted(super().list_commands(ctx), key=lambda n: known.get(n, len(known)))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # typer makes the click commands afresh on every run (`helpdesk`, or its CliRunner),
        # after the settings can be read: the only moment that knows LANGUAGE.
        language = cli_language()
        localize(self, language)
        standalone = kwargs.get("standalone_mode", True)
        kwargs["standalone_mode"] = False
        if not standalone:
            return super().main(*args, **kwargs)
        # What standalone mode does, but a mistake on the command line said in LANGUAGE:
        # typer's click says it in English, over three lines.
        try:
            result = super().main(*args, **kwargs)
        except click_errors.NoArgsIsHelpError as exc:  # nothing given: the help
            exc.show()
            sys.exit(exc.exit_code)
        except click_errors.UsageError as exc:
            typer.echo(mistake_line(exc, language), err=True)
            sys.exit(exc.exit_code)
        except click_errors.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(t("cli.usage.aborted", language), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def localize(command: TyperGroup | TyperCommand, language: str) -> None:
    """Resolve the help texts and metavars that are catalog keys, in this command and below."""
    command.help = _resolved(command.help, language)
    command.short_help = _resolved(command.short_help, language)
    for param in command.params:
        if hasattr(param, "help"):  # click's Argument has none; typer's has
            param.help = _resolved(param.help, language)
        param.metavar = _resolved(param.metavar, language)
        localize_names(param, language)
        if type(param) is TyperArgument:
            param.__class__ = _NamedArgument
    command.get_help = help_in(language, command.get_help)  # type: ignore[method-assign,assignment]
    for sub in getattr(command, "commands", {}).values():
        localize(sub, language)


class _NamedArgument(TyperArgument):
    """An argument shown by its name alone (`NOME`, not typer's `NOME <str>`, `PALAVRAS
    <list[str]>`): the Python type tells a reader nothing. A choice keeps its values."""

    def display_type_rich(self, ctx: Any) -> str | None:
        shown = super().display_type_rich(ctx)
        return shown if shown and "|" in shown else None


def _resolved(text: str | None, language: str) -> str | None:
    """A catalog key's text; an example number in it is this month's (the help is built now)."""
    if not (text and text.startswith("cli.") and i18n.has(text)):
        return text
    return t(text, language, example=example_number(datetime.now(UTC), Policy().timezone))


def load_settings() -> Settings:
    """Read the settings, turning a bad variable into one clear line."""
    try:
        return Settings()
    except SettingsRefused as exc:
        fail("cli.settings_invalid", 2, exc.language, name=exc.name, reason=exc.reason)


@functools.cache
def container() -> Container:
    """The process's container, with the database schema made current when that is cheap."""
    settings = load_settings()
    ensure_schema(settings)
    return bootstrap(settings)


def existing_container() -> Container:
    """The container of a command that reads what is stored: a SQLite file that is not there
    (the wrong folder, a mistyped DATABASE_URL) is said, never created empty."""
    settings = load_settings()
    file = _sqlite_file(settings.database_url) if settings.is_sqlite else None
    if file is not None and file.parent.is_dir() and not file.exists():  # else the folder's said
        fail("cli.sqlite_missing", file=str(file))
    return container()


def ensure_schema(settings: Settings) -> None:
    """Migrate a SQLite database in place; ask for `helpdesk db upgrade` on PostgreSQL."""
    if settings.is_sqlite:
        file = _sqlite_file(settings.database_url)
        if file is not None and not file.parent.is_dir():  # SQLite: 'unable to open database file'
            fail("cli.sqlite_folder_missing", folder=str(file.parent))
        if file is not None and sqlite_file_at_head(str(file)):
            return  # already current: Alembic (its import, its upgrade) would change nothing
        from storage import migrate

        migrate.upgrade(settings.database_url)
    elif not schema_is_current(settings.database_url):
        fail("cli.schema_outdated")


def _sqlite_file(url: str) -> Path | None:
    """A SQLite database's file (None in memory)."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).absolute()


def schema_is_current(url: str) -> bool:
    """Whether the database is at the newest migration."""
    from storage.engine import make_engine

    wanted = head()
    if wanted is None:  # the migration files' text did not tell: Alembic reads them
        from alembic.script import ScriptDirectory

        from storage.migrate import alembic_config

        heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    else:
        heads = {wanted}
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            recorded = recorded_revisions(conn)
    finally:
        engine.dispose()
    if newer := unknown(recorded):  # `helpdesk db upgrade` could not help: said so
        fail("cli.db_newer", detail=", ".join(sorted(newer)))
    return recorded == heads


def user_by_email(ctx: Ctx, email: str) -> User:
    """Find a user by e-mail or raise NotFound."""
    user = ctx.uow.users.by_email(normalize_email(email))
    if user is None:
        raise NotFound("error.user_not_found")
    return user


def local_time(value: datetime | None, tz: str = "America/Sao_Paulo",
               lang: str | None = None) -> str:
    """A moment in the support timezone as `lang` (LANGUAGE) writes it, 24/11/2026 10:00 or
    2026-11-24 10:00 (empty when None)."""
    if value is None:
        return ""
    return t("fmt.datetime", lang or cli_language(), dt=value.astimezone(ZoneInfo(tz)))


def status_label(status: Status, language: str = "pt_BR") -> str:
    """The status as the manual's listing shows it."""
    return i18n.label("status", status, language)


def elapsed(seconds: float) -> str:
    """A duration as an operator reads it: 42 s, 3 min 05 s, 2 h 10 min, 1 d 4 h."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]],
          widths: dict[int, int] | None = None) -> str:
    """Render rows as an aligned plain-text table; cells over their width end with '…'."""
    caps = widths or {}
    cells = [[_cut(str(c) if c is not None else "", caps.get(i)) for i, c in enumerate(row)]
             for row in rows]
    sizes = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(sizes[i]) for i, h in enumerate(headers)).rstrip(),
             "  ".join("-" * s for s in sizes)]
    lines += ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(r)).rstrip() for r in cells]
    return "\n".join(lines)


def _cut(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    if width is None or len(text) <= width:
        return text
    return text[: width - 1] + "…"
