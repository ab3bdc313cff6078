"""`helpdesk kb list|add|import|remove|search`: the knowledge base the support team keeps (R9)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated

import typer

from bots.clikit import cli_language, container, existing_container, fail, file_failed, table
from core import kb as search_kb
from core.i18n import t
from core.kb import Article
from core.services import knowledge
from core.services.context import Ctx

kb = typer.Typer(help="cli.help.kb",
                 no_args_is_help=True)


def slug_for(path: Path) -> str:
    """A slug from a file name: lower case, no accents, words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "artigo"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        file_failed("cli.read_failed", path, exc)


def _add(ctx: Ctx, items: list[tuple[str, str]]) -> list[Article]:
    return [knowledge.add_article(ctx.uow, slug, text) for slug, text in items]


@kb.command("list", help="cli.help.kb.list")
def list_articles() -> None:
    """Print the articles in use."""
    articles = existing_container().desk.call(lambda ctx: knowledge.load_articles(ctx.uow))
    lang = cli_language()
    typer.echo(table([t(f"cli.col.{c}", lang) for c in ("slug", "title", "tags")],
                     [(a.slug, a.title, ", ".join(a.tags)) for a in articles]))


@kb.command("add", help="cli.help.kb.add")
def add(
    file: Annotated[Path, typer.Argument(metavar="cli.metavar.markdown_file",
                                     help="cli.help.kb.add.file")],
    slug: Annotated[str | None, typer.Option(
        "--slug", metavar="SLUG", help="cli.help.kb.add.slug")] = None,
) -> None:
    """Save one article from a Markdown file."""
    [article] = container().desk.call(_add, [(slug or slug_for(file), _read(file))])
    typer.echo(t("cli.kb.saved", cli_language(), slug=article.slug, title=article.title))


@kb.command("import", help="cli.help.kb.import")
def import_dir(
    folder: Annotated[Path, typer.Argument(metavar="cli.metavar.folder",
                                       help="cli.help.kb.import.folder")],
) -> None:
    """Save every .md file of a folder in one transaction."""
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not files:
        fail("cli.no_markdown", folder=folder)
    saved = container().desk.call(_add, [(slug_for(f), _read(f)) for f in files])
    typer.echo(t("cli.kb.imported", cli_language(), saved=len(saved)))


@kb.command("remove", help="cli.help.kb.remove")
def remove(slug: Annotated[str, typer.Argument(
        metavar="SLUG", help="cli.help.kb.remove.slug")]) -> None:
    """Remove an article."""
    existing_container().desk.call(lambda ctx: knowledge.remove_article(ctx.uow, slug))
    typer.echo(t("cli.kb.removed", cli_language(), slug=slug))


@kb.command("search", help="cli.help.kb.search", short_help="cli.help.kb.search.short")
def search(words: Annotated[list[str], typer.Argument(metavar="cli.metavar.words",
                                                      help="cli.help.kb.search.words")]) -> None:
    """Search the articles as the bot does."""
    articles = existing_container().desk.call(lambda ctx: knowledge.load_articles(ctx.uow))
    found = search_kb.search(articles, " ".join(words), 10)
    lang = cli_language()
    headers = [t(f"cli.col.{c}", lang) for c in ("slug", "title")]
    typer.echo(table(headers, [(a.slug, a.title) for a in found]) if found
               else t("cli.kb.none_found", lang))


def register(app: typer.Typer) -> None:
    """Add the `kb` group."""
    app.add_typer(kb, name="kb")
