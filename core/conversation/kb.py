"""The knowledge base in chat (R9): `kb TEXT` searches the team's articles, accent-insensitive."""

from __future__ import annotations

from core import kb as search_kb
from core.conversation import intake, intents, kb_words, page_words, ticket_view
from core.conversation.fmt import preview
from core.conversation.replies import Command, Expect
from core.conversation.turn import IDLE, Step, Turn, register
from core.errors import InvalidInput
from core.kb import Article
from core.markdown_text import escape_markdown, plain_text
from core.models import Attachment
from core.services.access import coordination_hint
from core.services.knowledge import load_articles

ARTICLE_IN_PROMPT = 3500
RESULTS = 5
ALL_PAGE = 10
SAID_SHOWN = 30
"""The words shown on the button that searches them: a button's label is short."""


CARRIED = ("typed", "files")
"""A problem typed before searching, kept for a ticket opened from the results (R3)."""


def begin(turn: Turn, text: str = "", typed: str = "",
          files: list[dict[str, object]] | None = None) -> None:
    """Search right away, or ask what to look for; a problem typed first (and its files)
    goes with a ticket opened from here."""
    turn.leave("kb")
    turn.section("kb").update({k: v for k, v in zip(CARRIED, (typed, files), strict=True) if v})
    if text.strip():
        search(turn, text)
    else:
        turn.go("kb.query")


def read(turn: Turn, slug: str, query: str, typed: str,
         files: list[dict[str, object]] | None = None) -> None:
    """Open the article suggested for a problem typed: back from it, the results of `query`;
    a ticket opened from there carries the problem (and its files)."""
    turn.leave("kb")
    turn.section("kb").update({"query": query, "page": 0, "open": slug, "typed": typed,
                               **({"files": files} if files else {})})
    turn.go("kb.article")


def ask_query(turn: Turn) -> None:
    """What to search for."""
    turn.ask("kb.query", turn.t("conv.kb.ask"), [(turn.t("conv.kb.all"), "all"),
                                                  (turn.t("conv.menu.back"), "menu")],
             Expect.TEXT)


def on_query_choice(turn: Turn, value: str) -> None:
    """List every article, or leave."""
    if value == "all":
        _show(turn, "")
    else:
        turn.go(IDLE)


def search(turn: Turn, text: str) -> None:
    """Rank the articles for the words typed."""
    query = " ".join(text.split())[:200]
    if not any(ch.isalnum() for ch in query):
        raise InvalidInput("error.no_words" if query else "error.empty", field="busca")
    search_kb.require_words(query)
    _show(turn, query)


def _show(turn: Turn, query: str) -> None:
    """The articles for a query (every one for none) from their first page."""
    carried = {k: v for k in CARRIED if (v := turn.section("kb").get(k))}
    turn.leave("kb")
    turn.section("kb").update({"query": query, "page": 0, **carried})
    turn.go("kb.results")


def _articles(turn: Turn) -> list[Article]:
    by_slug = {a.slug: a for a in load_articles(turn.ctx.uow)}
    return [by_slug[s] for s in turn.section("kb").get("slugs", []) if s in by_slug]


def _page(turn: Turn) -> tuple[str, list[Article], list[tuple[str, str]]]:
    """One page of the articles found (every one by title for no query): its text, its
    articles and its page buttons; the page's slugs are kept for the buttons of its titles."""
    sec = turn.section("kb")
    query = sec.get("query") or ""
    if not search_kb.query_terms(query):  # a message's common words, kept to come back to
        query = ""
    found = search_kb.search(load_articles(turn.ctx.uow), query)
    size = RESULTS if query else ALL_PAGE
    pages = max(1, -(-len(found) // size))
    page = min(max(0, int(sec.get("page") or 0)), pages - 1)
    shown = found[page * size:(page + 1) * size]
    sec.update({"page": page, "slugs": [a.slug for a in shown]})
    if not shown:
        untrained = "" if turn.user.trained or turn.user.is_staff else "_untrained"
        contact = coordination_hint(turn.ctx) if untrained else ""  # no ticket for them (R2)
        return (turn.t(f"conv.kb.none{untrained}", query=query, contact=contact) if query
                else turn.t(f"conv.kb.all_none{untrained}", contact=contact), [], [])
    # numbered from 1 on every page, as its buttons are (the terminal types those numbers)
    titles = "\n".join(f"{i}. {a.title}" for i, a in enumerate(shown, 1))
    if pages > 1:
        head = turn.t("conv.kb.found_page" if query else "conv.kb.all_page", count=len(found),
                      query=query, page=page + 1, pages=pages)
    else:
        head = turn.t("conv.kb.found" if query else "conv.kb.all_found", count=len(found),
                      query=query)
    moves = [(turn.t("conv.list.prev"), "prev")] if page else []
    moves += [(turn.t("conv.list.next"), "next")] if page + 1 < pages else []
    return f"{head}\n{titles}", shown, moves


def ask_results(turn: Turn) -> None:
    """The titles found, as buttons, a page at a time."""
    text, found, moves = _page(turn)
    choices = [(a.title, f"a:{i}") for i, a in enumerate(found)] + moves
    choices += [(turn.t("conv.kb.again"), "again"), *_new_ticket(turn),
                (turn.t("conv.menu.back"), "menu")]
    turn.ask("kb.results", text, choices)


def _new_ticket(turn: Turn) -> list[tuple[str, str]]:
    """"Abrir ticket" for whoever may open one: not for a customer still untrained (R2)."""
    return [(turn.t("conv.menu.new"), "new")] if turn.user.trained or turn.user.is_staff \
        else []


def on_results(turn: Turn, value: str) -> None:
    """Open an article, search again, open a ticket, or leave."""
    if value.startswith("a:") and value[2:].isdecimal():
        found = _articles(turn)
        index = int(value[2:])
        if index >= len(found):
            raise InvalidInput("conv.error.not_offered")
        turn.section("kb")["open"] = found[index].slug
        turn.go("kb.article")
    elif (to := page_words.turned(value, int(turn.section("kb").get("page") or 0))) is not None:
        turn.section("kb")["page"] = to
        turn.go("kb.results")
    elif value == "again":
        turn.go("kb.query")
    elif value == "new":
        sec = turn.section("kb")
        intake.begin(turn, descricao=sec.get("typed") or None, attachments=[
            Attachment.model_validate(f) for f in sec.get("files") or []])
    else:
        turn.go(IDLE)


def ask_article(turn: Turn) -> None:
    """One article, whole; a long one goes first in a message of its own (the channel splits
    it), so the question shown again after a mistake stays short."""
    slug = turn.section("kb").get("open")
    article = next((a for a in load_articles(turn.ctx.uow) if a.slug == slug), None)
    if article is None:
        raise InvalidInput("conv.kb.gone")
    text = f"{article.title}\n\n{plain_text(article.body)}"
    markdown: str | None = f"**{escape_markdown(article.title)}**\n\n{article.body}"
    if len(text) > ARTICLE_IN_PROMPT:
        turn.say_text(text, markdown)
        text, markdown = turn.t("conv.kb.read_above", title=article.title), None
    turn.ask("kb.article", text, [(turn.t("conv.kb.back"), "results"), *_new_ticket(turn),
                                  (turn.t("conv.menu.back"), "menu")], markdown=markdown)


def on_words(turn: Turn, text: str) -> None:
    """Words at the results or an article: "isso não resolveu" offers a ticket with the
    problem typed (the words themselves when they tell it); a ticket asked for ("status of 4")
    shows it; anything else is searched."""
    asked = intents.command(text, loose=False)
    if asked is not None and asked[0] == Command.TICKET:
        ticket_view.open_by_number(turn, asked[1])
        return
    if turn.user.is_staff or not kb_words.not_helped(text):
        search(turn, text)
        return
    sec = turn.section("kb")
    sec["said"] = " ".join(text.split())[:200]
    sec["from"] = "article" if turn.state.step == "kb.article" else "results"
    sec["asked"] = kb_words.wants_person(text)  # "quero falar com alguém": not a failure
    if kb_words.tells_more(text):  # the problem told: the descrição
        sec["typed"] = "\n".join(filter(None, [sec.get("typed"), text.strip()]))
    turn.go("kb.not_helped")


def ask_not_helped(turn: Turn) -> None:
    """A ticket for the team to look at the case (those not trained: whom to ask, R2), or the
    words searched after all, or back to what was read."""
    sec = turn.section("kb")
    said = "wants_person" if sec.get("asked") else "not_helped"
    if _new_ticket(turn):
        text = turn.t(f"conv.kb.{said}")
    else:
        text = turn.t(f"conv.kb.{said}_untrained", contact=coordination_hint(turn.ctx))
    back = "article" if sec.get("from") == "article" else "results"
    words = preview(sec.get("said") or "", SAID_SHOWN)
    turn.ask("kb.not_helped", text, [
        *_new_ticket(turn), (turn.t("conv.kb.search_words", words=words), "search"),
        (turn.t(f"conv.kb.back_{back}"), back), (turn.t("conv.menu.back"), "menu")])


def on_not_helped(turn: Turn, value: str) -> None:
    """Open the ticket, search the words, go back, or leave."""
    said = turn.section("kb").pop("said", "")
    if value == "search":
        search(turn, said or " ")
    elif value in ("article", "results"):
        turn.go(f"kb.{value}")
    else:
        on_results(turn, value)


def on_article(turn: Turn, value: str) -> None:
    """Back to the results, open a ticket, or leave."""
    if value == "results":
        turn.go("kb.results")
    else:
        on_results(turn, value)


register(
    Step("kb.query", ask_query, on_choice=on_query_choice, on_text=search, back="menu"),
    Step("kb.results", ask_results, on_choice=on_results, on_text=on_words, back="menu"),
    Step("kb.article", ask_article, on_choice=on_article, on_text=on_words, back="results"),
    Step("kb.not_helped", ask_not_helped, on_choice=on_not_helped, on_text=on_words),
)
