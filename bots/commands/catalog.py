"""`helpdesk catalog show|load`: the intake's tipo → item → serviço tree (R3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml
from pydantic import ValidationError

from bots.clikit import cli_language, container, fail, file_failed
from bots.settings_refused import settings_reason
from core.catalog import MAX_CHOICES, Catalog, crowded
from core.i18n import t
from core.services.context import Ctx
from core.services.reference import load_catalog, save_catalog

catalog = typer.Typer(help="cli.help.catalog", no_args_is_help=True)


def _load(ctx: Ctx) -> Catalog:
    return load_catalog(ctx.uow)


def _save(ctx: Ctx, value: Catalog) -> None:
    save_catalog(ctx.uow, value)


def render_tree(value: Catalog, lang: str = "pt_BR") -> str:
    """The catalog as an indented tree with ids and flags, in the language's labels."""
    lines = []
    for tipo in value.tipos:
        lines.append(f"{tipo.shown(lang)} [{tipo.id}]")
        for item in tipo.itens:
            flags = [t(f"cli.catalog.{n}", lang) for n, on in (
                ("implementation", item.implementation), ("billable", item.billable)) if on]
            suffix = f" ({', '.join(flags)})" if flags else ""
            lines.append(f"  {item.shown(lang)} [{item.id}]{suffix}")
            lines.extend(f"    - {s.shown(lang)} [{s.id}]" + (" (NF-e)" if s.nfe else "")
                         for s in item.servicos)
    return "\n".join(lines)


@catalog.command("show", help="cli.help.catalog.show")
def show(
    as_yaml: Annotated[bool, typer.Option(
        "--yaml", help="cli.help.catalog.show.yaml")] = False,
) -> None:
    """Print the catalog in use, as a tree or as YAML."""
    value = container().desk.call(_load)
    if as_yaml:
        typer.echo(yaml.safe_dump(value.model_dump(mode="json", exclude_defaults=True),
                                  allow_unicode=True, sort_keys=False), nl=False)
    else:
        typer.echo(render_tree(value, cli_language()))


def parse_file(path: Path) -> Catalog:
    """Read and validate a catalog YAML file, failing with one line."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        file_failed("cli.read_failed", path, exc)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark:
            fail("cli.yaml_invalid_at", path=path, line=mark.line + 1)
        fail("cli.yaml_invalid", path=path)
    try:
        value = Catalog.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        # Entries counted from 1, as the team counts the lines of a YAML list.
        where = ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in first["loc"])
        lang = cli_language()
        reason = t("cli.catalog.id_format", lang) \
            if first["type"] == "string_pattern_mismatch" else settings_reason(first, lang)
        fail("cli.catalog_invalid" if where else "cli.catalog_invalid_root", language=lang,
             where=where, reason=reason, errors=exc.error_count())
    too_many = crowded(value)
    if too_many is not None:
        fail("cli.catalog_crowded", where=too_many[0], choices=too_many[1], most=MAX_CHOICES)
    return value


@catalog.command("load", help="cli.help.catalog.load", short_help="cli.help.catalog.load.short")
def load(file: Annotated[Path, typer.Argument(
        metavar="cli.metavar.file", help="cli.help.catalog.load.file")]) -> None:
    """Validate and save a catalog file."""
    value = parse_file(file)
    container().desk.call(_save, value)
    itens = sum(len(t.itens) for t in value.tipos)
    servicos = sum(len(i.servicos) for t in value.tipos for i in t.itens)
    typer.echo(t("cli.catalog.loaded", cli_language(), tipos=len(value.tipos), itens=itens,
                 servicos=servicos))


def register(app: typer.Typer) -> None:
    """Add the `catalog` group."""
    app.add_typer(catalog, name="catalog")
