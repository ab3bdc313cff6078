"""A knowledge-base article sent to a customer as a trâmite (R7, R9): named by its slug or
words, its whole text, the title in bold (an agent's trâmite reads as Markdown)."""

from __future__ import annotations

import re

from core import kb
from core.errors import InvalidInput, NotFound
from core.kb import Article
from core.models import Entry
from core.services import tramites
from core.services.access import load_user, require_staff
from core.services.context import Ctx
from core.services.knowledge import load_articles

MARKER = re.compile(r"^\s*!(artigo|article)\b[:\s]*", re.IGNORECASE)
"""An agent's "!artigo nfe" (in a card's thread, or typed in the chat): send the article the
words after it name."""
WORDS_MAX = 200
"""What of the words is searched (a search box's worth; a pasted text is cut)."""
NAMED_MAX = 5
"""The most titles said when words name several articles."""


def article_named(ctx: Ctx, words: str) -> Article:
    """The article a slug or words name: the slug, else the one article the words find;
    none, or several (their titles said), is refused."""
    wanted = " ".join(words.split())[:WORDS_MAX]
    articles = load_articles(ctx.uow)
    by_slug = next((a for a in articles if a.slug == wanted.lower()), None)
    if by_slug is not None:
        return by_slug
    found = kb.search(articles, wanted) if wanted else []
    if not found:
        raise NotFound("error.article_none", words=wanted)
    if len(found) > 1:
        titles = "; ".join(f"{a.title} ({a.slug})" for a in found[:NAMED_MAX])
        raise InvalidInput("error.article_several", words=wanted, titles=titles)
    return found[0]


def as_text(article: Article, limit: int) -> str:
    """The article as a trâmite: its title in bold, then its whole body (what fits)."""
    return f"**{article.title}**\n\n{article.body.strip()}"[:limit]


def send_article(ctx: Ctx, actor_id: int, ticket_id: int, article: Article) -> Entry:
    """An agent sends the article to the customer as a public trâmite of the ticket."""
    require_staff(load_user(ctx, actor_id))
    return tramites.add_tramite(ctx, actor_id, ticket_id,
                                as_text(article, ctx.policy.text_max))
