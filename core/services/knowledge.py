"""The knowledge base the support team keeps (R9): saved articles, or the packaged ones."""

from __future__ import annotations

import re

from core.errors import InvalidInput, NotFound
from core.kb import Article, default_articles, has_text, parse_article
from core.ports import UnitOfWork

KB_DOC = "kb"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def load_articles(uow: UnitOfWork) -> tuple[Article, ...]:
    """The articles the team saved, or the packaged defaults until the first change."""
    doc = uow.documents.get(KB_DOC)
    if doc is None:
        return default_articles()
    return tuple(Article.model_validate(a) for a in doc.get("articles", []))


def _save(uow: UnitOfWork, articles: list[Article]) -> None:
    ordered = sorted(articles, key=lambda a: a.slug)
    uow.documents.put(KB_DOC, {"articles": [a.model_dump(mode="json") for a in ordered]})


def add_article(uow: UnitOfWork, slug: str, text: str) -> Article:
    """Add or replace an article from its Markdown (front matter with title and tags)."""
    slug = slug.strip().lower()
    if not _SLUG.match(slug):
        raise InvalidInput("error.article_slug_invalid", slug=slug)
    article = parse_article(text, slug)
    if not has_text(article):
        raise InvalidInput("error.article_empty", slug=slug)
    others = [a for a in load_articles(uow) if a.slug != slug]
    _save(uow, [*others, article])
    return article


def remove_article(uow: UnitOfWork, slug: str) -> None:
    """Remove an article by slug."""
    articles = list(load_articles(uow))
    kept = [a for a in articles if a.slug != slug]
    if len(kept) == len(articles):
        raise NotFound("error.article_not_found", slug=slug)
    _save(uow, kept)
