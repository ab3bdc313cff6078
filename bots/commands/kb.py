"""`helpdesk kb list|add|import|remove|search`: the knowledge base the support team keeps (R9)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated

import typer

from bots.clikit import container, fail, table
from core import kb as search_kb
from core.kb import Article
from core.services import knowledge
from core.services.context import Ctx

kb = typer.Typer(help="Base de conhecimento: artigos em Markdown com título e tags.",
                 no_args_is_help=True)


def slug_for(path: Path) -> str:
    """A slug from a file name: lower case, no accents, words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "artigo"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail("cli.read_failed", path=path, reason=exc)


def _add(ctx: Ctx, items: list[tuple[str, str]]) -> list[Article]:
    return [knowledge.add_article(ctx.uow, slug, text) for slug, text in items]


@kb.command("list")
def list_articles() -> None:
    """Lista os artigos (os salvos pela equipe ou os de exemplo)."""
    articles = container().desk.call(lambda ctx: knowledge.load_articles(ctx.uow))
    typer.echo(table(["slug", "título", "tags"],
                     [(a.slug, a.title, ", ".join(a.tags)) for a in articles]))


@kb.command("add")
def add(
    file: Annotated[Path, typer.Argument(metavar="ARQUIVO.md", help="Artigo em Markdown.")],
    slug: Annotated[str | None, typer.Option(
        "--slug", help="Identificador (padrão: o nome do arquivo).")] = None,
) -> None:
    """Adiciona (ou substitui) um artigo a partir de um arquivo Markdown."""
    [article] = container().desk.call(_add, [(slug or slug_for(file), _read(file))])
    typer.echo(f"Artigo salvo: {article.slug} — {article.title}")


@kb.command("import")
def import_dir(
    folder: Annotated[Path, typer.Argument(metavar="PASTA", help="Pasta com arquivos .md.")],
) -> None:
    """Importa todos os arquivos .md de uma pasta (numa só transação)."""
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not files:
        fail("cli.no_markdown", folder=folder)
    saved = container().desk.call(_add, [(slug_for(f), _read(f)) for f in files])
    typer.echo(f"Artigos importados: {len(saved)}")


@kb.command("remove")
def remove(slug: Annotated[str, typer.Argument(
        metavar="SLUG", help="Identificador do artigo, como em `helpdesk kb list`.")]) -> None:
    """Remove um artigo."""
    container().desk.call(lambda ctx: knowledge.remove_article(ctx.uow, slug))
    typer.echo(f"Artigo removido: {slug}")


@kb.command("search")
def search(words: Annotated[list[str], typer.Argument(metavar="PALAVRAS",
                                                      help="O que procurar.")]) -> None:
    """Procura como o bot procura (sem acentos, no título, tags e texto)."""
    articles = container().desk.call(lambda ctx: knowledge.load_articles(ctx.uow))
    found = search_kb.search(articles, " ".join(words), 10)
    typer.echo(table(["slug", "título"], [(a.slug, a.title) for a in found]) if found
               else "Nenhum artigo encontrado.")


def register(app: typer.Typer) -> None:
    """Add the `kb` group."""
    app.add_typer(kb, name="kb")
