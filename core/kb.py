"""The knowledge base (R9): Markdown articles with a YAML front matter, and a ranked search."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

import yaml
from pydantic import BaseModel, ConfigDict

from core import data
from core.errors import InvalidInput
from core.textmatch import stem, unhyphenate, words

TITLE_WEIGHT = 3
TAG_WEIGHT = 3
BODY_WEIGHT = 1

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
STOPWORDS = frozenset(
    {"a", "o", "as", "os", "e", "de", "da", "do", "das", "dos", "em", "no", "na", "nos", "nas"}
    | {"um", "uma", "uns", "umas", "para", "por", "com", "sem", "que", "como", "se", "ao", "aos"}
    | {"eu", "meu", "minha", "qual", "quais", "onde", "quando", "sobre"}
    # Words of any complaint or request, which would match every article.
    | {"nao", "esta", "estou", "estao", "ser", "ter", "tem", "tenho", "foi", "mais", "muito"}
    | {"ja", "ainda", "tambem", "isso", "esse", "essa", "este", "isto", "aqui", "mas", "ou"}
    | {"quero", "queria", "gostaria", "preciso", "favor", "ver", "fazer", "consigo", "hoje"}
    | {"ontem", "desde", "agora", "pelo", "pela", "seu", "sua", "meus", "minhas", "nosso"}
    | {"nossa", "ele", "ela", "voce", "so", "oi", "ola", "bom", "boa", "obrigado", "obrigada"}
)
ENGLISH_STOPWORDS = frozenset(
    {"the", "an", "is", "are", "was", "be", "it", "its", "this", "that", "these", "those"}
    | {"i", "me", "my", "we", "our", "you", "your", "to", "of", "in", "on", "at", "for"}
    | {"with", "and", "or", "not", "how", "what", "which", "where", "when", "why", "does"}
    | {"did", "can", "could", "want", "need", "please", "hi", "hello", "there", "here"}
)
"""An English chat's words of any query (a query's only: the other word lists read
Portuguese)."""
RELEVANT_SHARE = 0.3
"""An article scoring under this share of the best one is left out: it shares only words that
most articles have ("sistema", "ticket") with the query."""
WHOLE_WORD_MAX = 3
"""Terms this short match whole words only ("ver" must not find "versão")."""


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
        raise InvalidInput("error.article_tags_invalid", slug=slug)
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
            raise InvalidInput("error.article_front_matter_invalid", slug=slug) from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise InvalidInput("error.article_front_matter_invalid", slug=slug)
        meta = loaded or {}
        body = text[match.end() :]
    title = str(meta.get("title") or "").strip()
    if not title:
        heading = _HEADING.search(body)
        title = heading.group(1) if heading else slug
    return Article(slug=slug, title=title, tags=_tags(meta.get("tags"), slug), body=body.strip())


def has_text(article: Article) -> bool:
    """Whether the article says something besides headings (a title alone is no article)."""
    return bool(_HEADING.sub("", article.body).strip())


def _stems(text: str) -> set[str]:
    """Return the stemmed folded words of text, hyphenated ones also joined ("NF-e": nfe)."""
    return {stem(word) for word in words(text) + words(unhyphenate(text))}


def _hits(term: str, stems: set[str]) -> bool:
    """Say whether a query term is, or (unless short) starts, any of the words."""
    if len(term) <= WHOLE_WORD_MAX:
        return term in stems
    return any(stem.startswith(term) for stem in stems)


def query_terms(query: str) -> list[str]:
    """Return the distinct, folded, stemmed words of a query, stopwords left out."""
    terms: list[str] = []
    for word in words(query):
        term = stem(word)
        if word not in STOPWORDS and word not in ENGLISH_STOPWORDS and term not in terms:
            terms.append(term)
    return terms


def require_words(query: str) -> None:
    """Refuse a query of common words only ("o que é isso"): nothing in it tells the matter,
    so it would find every article."""
    if any(ch.isalnum() for ch in query) and not query_terms(query):
        raise InvalidInput("error.kb_common_words", words=" ".join(query.split())[:60])


def search(articles: Iterable[Article], query: str, limit: int | None = None) -> list[Article]:
    """Rank articles for a query, accent-insensitively; title and tag matches rank higher.

    A query word found in few articles weighs more than one found in most (inverse document
    frequency); articles scoring far below the best are left out. An empty query lists every
    article by title; one of common words only is refused (require_words).
    """
    pool = list(articles)
    require_words(query)
    terms = query_terms(query)
    if not terms:
        ranked = sorted(pool, key=lambda a: a.title.casefold())
        return ranked[:limit] if limit is not None else ranked
    gains = [[_gain(term, fields) for term in terms] for fields in map(_fields, pool)]
    found_in = [sum(1 for row in gains if row[i]) for i in range(len(terms))]
    rarity = [math.log(1 + len(pool) / n) if n else 0.0 for n in found_in]
    scored: list[tuple[float, int, str, Article]] = []
    for article, row in zip(pool, gains, strict=True):
        score = sum(gain * weight for gain, weight in zip(row, rarity, strict=True))
        if score:
            scored.append((-score, -sum(1 for g in row if g), article.title.casefold(), article))
    if not scored:
        return []
    best = min(row[0] for row in scored)
    scored = [row for row in scored if row[0] <= best * RELEVANT_SHARE]
    scored.sort(key=lambda row: row[:3])
    ranked = [row[3] for row in scored]
    return ranked[:limit] if limit is not None else ranked


def _fields(article: Article) -> tuple[tuple[int, set[str]], ...]:
    """An article's stemmed words by field, each with its weight (stemmed once per search)."""
    return (
        (TITLE_WEIGHT, _stems(article.title)),
        (TAG_WEIGHT, _stems(" ".join(article.tags))),
        (BODY_WEIGHT, _stems(article.body)),
    )


def _gain(term: str, fields: tuple[tuple[int, set[str]], ...]) -> int:
    """How much one query term weighs in an article: title and tags count more than the body."""
    return sum(weight for weight, stems in fields if _hits(term, stems))


@lru_cache(maxsize=1)
def default_articles() -> tuple[Article, ...]:
    """Return the articles shipped in core/data/kb/*.md, ordered by slug."""
    return tuple(
        parse_article(data.read_text("kb", name), name.removesuffix(".md"))
        for name in data.list_names("kb", suffix=".md")
    )


GENERIC = frozenset({"ticket", "tickets", "chamado", "chamados", "erro", "erros", "problema",
                     "sistema", "suporte", "ajuda"})
"""Words of any support message: they point to no article of their own."""
SUGGEST_CHARS = 300
"""What of a message is read for a suggestion: its start says what it is about (a pasted log
is not matched word by word against every article)."""
SUGGEST_TERMS = 2
"""How many of a message's words an article's title must hold, a tag counting once however
many of its words the message has ("nota fiscal" alone points to no article about notas)."""


def suggestion(articles: Iterable[Article], text: str) -> Article | None:
    """The one article a message clearly points to, its title and tags holding SUGGEST_TERMS
    of the message's words, more than any other article's; else None (a hint beside the
    offer to open a ticket, not a search)."""
    terms = [t for t in query_terms(text[:SUGGEST_CHARS]) if t not in GENERIC]
    scored = sorted(((_named(article, terms), article) for article in articles),
                    key=lambda pair: -pair[0])
    if not scored or scored[0][0] < SUGGEST_TERMS or \
            (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _named(article: Article, terms: list[str]) -> int:
    """How many of the terms the article's title holds, plus how many of its tags hold the
    others."""
    title, tags = _stems(article.title), [_stems(tag) for tag in article.tags]
    in_title = [t for t in terms if _hits(t, title)]
    tagged = {i for t in terms if t not in in_title for i, tag in enumerate(tags)
              if _hits(t, tag)}
    return len(in_title) + len(tagged)


def related(articles: Iterable[Article], text: str, limit: int) -> list[Article]:
    """The articles a ticket's words point to, at most `limit`: the one they clearly name
    (suggestion) first, then those a search of their start finds, best first."""
    pool = list(articles)
    start = " ".join(w for w in words(text[:SUGGEST_CHARS]) if w not in GENERIC)
    first = suggestion(pool, text)
    found = [a for a in search(pool, start) if a != first] if query_terms(start) else []
    return [*([first] if first else []), *found][:limit]
