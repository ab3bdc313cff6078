"""The knowledge base (R9): Markdown articles with a YAML front matter, and a ranked search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import yaml
from pydantic import BaseModel, ConfigDict

from core import data
from core.errors import InvalidInput
from core.textmatch import words

INVALID_ARTICLE = "error.invalid_article"
TITLE_WEIGHT = 3
TAG_WEIGHT = 3
BODY_WEIGHT = 1

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_STOPWORDS = frozenset(
    {"a", "o", "as", "os", "e", "de", "da", "do", "das", "dos", "em", "no", "na", "nos", "nas"}
    | {"um", "uma", "uns", "umas", "para", "por", "com", "sem", "que", "como", "se", "ao", "aos"}
    | {"eu", "meu", "minha", "qual", "quais", "onde", "quando", "sobre"}
)


class Article(BaseModel):
    """One knowledge-base article."""

    model_config = ConfigDict(frozen=True)

    slug: str
    title: str
    tags: tuple[str, ...] = ()
    body: str


def _tags(raw: object, slug: str) -> tuple[str, ...]:
    """Accept tags as a YAML list or a comma-separated string."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list):
        raise InvalidInput(INVALID_ARTICLE, slug=slug, field="tags")
    return tuple(str(tag).strip() for tag in raw if str(tag).strip())


def parse_article(text: str, slug: str) -> Article:
    """Parse an article; the title comes from the front matter, else the first heading."""
    meta: dict[str, object] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise InvalidInput(INVALID_ARTICLE, slug=slug, field="front_matter") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise InvalidInput(INVALID_ARTICLE, slug=slug, field="front_matter")
        meta = loaded or {}
        body = text[match.end() :]
    title = str(meta.get("title") or "").strip()
    if not title:
        heading = _HEADING.search(body)
        title = heading.group(1) if heading else slug
    return Article(slug=slug, title=title, tags=_tags(meta.get("tags"), slug), body=body.strip())


def _stem(word: str) -> str:
    """Fold the commonest Portuguese plurals so 'notas' finds 'nota' and 'rejeições' 'rejeição'."""
    if len(word) > 4 and word.endswith(("oes", "aes")):
        return word[:-3] + "ao"
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def _stems(text: str) -> set[str]:
    """Return the stemmed folded words of text."""
    return {_stem(word) for word in words(text)}


def _hits(term: str, stems: set[str]) -> bool:
    """Say whether a query term starts any of the words."""
    return any(stem.startswith(term) for stem in stems)


def query_terms(query: str) -> list[str]:
    """Return the distinct, folded, stemmed words of a query, stopwords left out."""
    terms: list[str] = []
    for word in words(query):
        stem = _stem(word)
        if word not in _STOPWORDS and stem not in terms:
            terms.append(stem)
    return terms


def search(articles: Iterable[Article], query: str, limit: int | None = None) -> list[Article]:
    """Rank articles for a query, accent-insensitively; title and tag matches rank higher.

    Articles matching more query words come first, then by score, then by title. An empty
    query lists every article by title.
    """
    pool = list(articles)
    terms = query_terms(query)
    if not terms:
        ranked = sorted(pool, key=lambda a: a.title.casefold())
        return ranked[:limit] if limit is not None else ranked
    scored: list[tuple[int, int, str, Article]] = []
    for article in pool:
        fields = (
            (TITLE_WEIGHT, _stems(article.title)),
            (TAG_WEIGHT, _stems(" ".join(article.tags))),
            (BODY_WEIGHT, _stems(article.body)),
        )
        matched = score = 0
        for term in terms:
            gained = sum(weight for weight, stems in fields if _hits(term, stems))
            matched += gained > 0
            score += gained
        if matched:
            scored.append((-matched, -score, article.title.casefold(), article))
    scored.sort(key=lambda row: row[:3])
    ranked = [row[3] for row in scored]
    return ranked[:limit] if limit is not None else ranked


@lru_cache(maxsize=1)
def default_articles() -> tuple[Article, ...]:
    """Return the articles shipped in core/data/kb/*.md, ordered by slug."""
    return tuple(
        parse_article(data.read_text("kb", name), name.removesuffix(".md"))
        for name in data.list_names("kb", suffix=".md")
    )
