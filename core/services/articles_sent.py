"""A knowledge-base article sent to a customer as a trâmite (R7, R9): named by its slug or
words, its whole text, the title in bold (an agent's trâmite reads as Markdown)."""

from __future__ import annotations

import re

from core import kb
from core.errors import Conflict, InvalidInput, NotFound
from core.kb import Article
from core.models import Entry, EntryKind
from core.services import tramites
from core.services.access import load_user, require_staff, ticket_for
from core.services.context import Ctx
from core.services.intake import clean_text
from core.services.knowledge import load_articles

MARKER = re.compile(r"^\s*!(artigo|article)\b[:\s]*", re.IGNORECASE)
"""An agent's "!artigo nfe" (in a card's thread, or typed in the chat): send the article the
words after it name."""
WORDS_MAX = 200
"""What of the words is searched (a search box's worth; a pasted text is cut)."""
NAMED_MAX = 5
"""The most titles said when words name several articles."""
ALREADY_SENT = "error.article_already_sent"
"""The Conflict of an article a form would send again: it went on the ticket after the form
opened (the form sent twice, or a colleague's meanwhile): the customer gets it once."""
GONE = "error.article_gone"
"""An article picked in a form and removed from the base before it was sent."""


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


def article_by_slug(ctx: Ctx, slug: str) -> Article:
    """The article a form picked, by its slug; GONE when it was removed meanwhile."""
    found = next((a for a in load_articles(ctx.uow) if a.slug == slug), None)
    if found is None:
        raise NotFound(GONE, slug=slug[:60])
    return found


def latest_entry(ctx: Ctx, ticket_id: int) -> int:
    """The id of the ticket's latest entry (0: none): where a form opened now starts, for
    send_article's `after`."""
    return max((e.id or 0 for e in ctx.uow.entries.list(ticket_id, include_internal=True)),
               default=0)


def send_article(ctx: Ctx, actor_id: int, ticket_id: int, article: Article,
                 after: int | None = None) -> Entry:
    """An agent sends the article to the customer as a public trâmite of the ticket. `after`:
    the latest entry when the agent's form opened (latest_entry); the same article sent since
    is ALREADY_SENT, named with who sent it, and nothing goes."""
    actor = load_user(ctx, actor_id)
    require_staff(actor)
    text = as_text(article, ctx.policy.text_max)
    if after is not None:
        ticket = ticket_for(ctx, actor, ticket_id)  # locked: a second form waits for the first
        body = clean_text(text, ctx.policy.text_max, "tramite")
        again = [e for e in ctx.uow.entries.list(ticket_id, include_internal=False)
                 if e.kind == EntryKind.PUBLIC and (e.id or 0) > after and e.text == body]
        if again:
            author = ctx.uow.users.get(again[-1].author_id or 0)
            raise Conflict(ALREADY_SENT, number=ticket.number, title=article.title,
                           author=author.name if author else "?")
    return tramites.add_tramite(ctx, actor_id, ticket_id, text)
