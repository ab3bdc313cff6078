"""*Enviar artigo* on a ticket's card (R7, R9): a form with the articles the ticket's words
suggest first and every article to pick, a preview of what the customer receives; sending it
is `!artigo`'s (the same service, trâmite and notices). Values carry ids only."""

from __future__ import annotations

import json
from typing import Any

from bots.slack import buttons as b
from bots.slack.card_clicks import refuse_if_closed, run_once
from bots.slack.card_forms import Told
from bots.slack.people import agent
from bots.slack.sections import quoted_sections
from bots.slack.text import Block, clip, mrkdwn, plain, verbatim
from core import kb
from core.conversation.engine import error_text, language_of
from core.errors import Conflict, InvalidInput, NotFound
from core.i18n import t
from core.kb import Article
from core.models import Ticket
from core.services import articles_sent
from core.services.access import ticket_for
from core.services.context import Ctx
from core.services.knowledge import load_articles

CALLBACK = "md.article"
PICK = "ar.pick"
"""The form's select: a pick redraws the preview; in a base too long for one select, the
words typed in it search."""
BLOCK = "card.article."
"""The select's block_id, the ticket's id after it (as a card's rows: b.ticket_of_block)."""
SUGGESTED = 5
"""The most articles offered first, those the ticket's words point to (kb.related)."""
PREVIEW_SECTIONS = 4
PREVIEW_TEXT = 10_000
"""What of an article the preview shows (a modal holds 100 blocks; a long one is cut, saying
that the customer receives it whole)."""


def _ticket(ctx: Ctx, slack_id: str, tid: int) -> tuple[str, Ticket]:
    """The agent's language and the ticket, refused when closed (as `!artigo` in its thread)."""
    actor = agent(ctx, slack_id)
    ticket = ticket_for(ctx, actor, tid, to_change=False)
    refuse_if_closed(ctx, actor, ticket, "slack.refuse.article_closed")
    return language_of(ctx, actor), ticket


def _option(tid: int, article: Article) -> Block:
    return b.option(article.title, f"{tid}:{article.slug}")


def _group(label: str, options: list[Block]) -> Block:
    return {"label": plain(label), "options": options}


def _offer(tid: int, suggested: list[Article], articles: list[Article], lang: str,
           most: int = b.MAX_OPTIONS) -> dict[str, list[Block]]:
    """A select's options: the suggested first, in a group of their own, then the others by
    title; at most `most` in all."""
    first = [_option(tid, a) for a in suggested]
    rest = [_option(tid, a) for a in sorted(articles, key=lambda a: a.title.casefold())
            if a not in suggested][:max(most - len(first), 0)]
    if not first or not rest:
        return {"options": first + rest}
    return {"option_groups": [_group(t("slack.modal.article.suggested", lang), first),
                              _group(t("slack.modal.article.others", lang), rest)]}


def _picked(tid: int, value: str | None) -> str | None:
    """The slug a select's value names, when it is this ticket's."""
    head, _, slug = (value or "").partition(":")
    return slug if head == str(tid) and slug else None


def form(ctx: Ctx, slack_id: str, tid: int, channel: str | None, thread: str | None,
         picked: str | None = None, after: int | None = None) -> Block:
    """The form, in the agent's language: the articles to pick (the ticket's suggestions
    first), the one `picked` or else the best suggestion previewed. `after`, the ticket's
    latest entry when the form first opened, rides in private_metadata (send's `after`)."""
    lang, ticket = _ticket(ctx, slack_id, tid)
    articles = list(load_articles(ctx.uow))
    if not articles:
        raise NotFound("slack.refuse.no_articles")
    suggested = kb.related(articles, f"{ticket.assunto}\n{ticket.descricao}", SUGGESTED)
    slug = _picked(tid, picked)
    chosen = next((a for a in articles if a.slug == slug), None) if picked else \
        next(iter(suggested), None)
    element: Block = {"type": "static_select", "action_id": PICK,
                      "placeholder": plain(t("slack.modal.article.placeholder", lang)),
                      **_offer(tid, suggested, articles, lang)}
    hint = t("slack.modal.article.hint", lang)
    if len(articles) > b.MAX_OPTIONS:  # Slack's most: the agent types, we search
        element = {"type": "external_select", "action_id": PICK, "min_query_length": 0,
                   "placeholder": element["placeholder"]}
        hint = t("slack.modal.article.hint_search", lang, count=len(articles))
    if chosen is not None:
        element["initial_option"] = _option(tid, chosen)
    after = articles_sent.latest_entry(ctx, tid) if after is None else after
    notice = error_text(NotFound(articles_sent.GONE, slug=slug), lang) \
        if picked and chosen is None and slug else None
    return {
        "type": "modal", "callback_id": CALLBACK,
        "private_metadata": f"{tid}|{channel or ''}|{thread or ''}|"
                            + json.dumps({"after": after}),
        "title": plain(t("slack.modal.article.title", lang), 24),
        "submit": plain(t("slack.modal.submit", lang), 24),
        "close": plain(t("slack.modal.cancel", lang), 24),
        "blocks": [
            {"type": "context", "elements": [mrkdwn(
                f"Ticket *{ticket.number}* — {verbatim(clip(ticket.assunto, 200))}")]},
            {"type": "input", "block_id": f"{BLOCK}{tid}", "dispatch_action": True,
             "label": plain(t("slack.modal.article.label", lang), 2000),
             "hint": plain(hint, 2000), "element": element},
            *([{"type": "section", "text": mrkdwn("⚠️ " + notice)}] if notice else []),
            *preview(ctx, ticket, chosen, lang),
        ],
    }


def preview(ctx: Ctx, ticket: Ticket, article: Article | None, lang: str) -> list[Block]:
    """What the customer receives: the trâmite `!artigo` would add, as the card's thread
    quotes it (a long one cut, said so)."""
    if article is None:
        return [{"type": "context", "elements": [mrkdwn(t("slack.modal.article.pick", lang))]}]
    text = articles_sent.as_text(article, ctx.policy.text_max)
    return [{"type": "divider"},
            {"type": "section", "text": mrkdwn(t("slack.modal.article.preview", lang,
                                                 number=ticket.number))},
            *quoted_sections(text, PREVIEW_SECTIONS, PREVIEW_TEXT,
                             t("slack.modal.article.more", lang, size=len(text)))]


def choices(ctx: Ctx, slack_id: str, tid: int, typed: str) -> dict[str, list[Block]]:
    """A long base's options for the words typed in the select (none typed: the ticket's
    suggestions first, then by title), at most Slack's 100."""
    lang, ticket = _ticket(ctx, slack_id, tid)
    articles = list(load_articles(ctx.uow))
    words = " ".join(typed.split())[:articles_sent.WORDS_MAX]
    if words:
        return {"options": [_option(tid, a) for a in kb.search(articles, words)
                            [:b.MAX_OPTIONS]]}
    suggested = kb.related(articles, f"{ticket.assunto}\n{ticket.descricao}", SUGGESTED)
    return _offer(tid, suggested, articles, lang)


def picked_in(state: dict[str, Any]) -> tuple[str | None, int | None, str | None]:
    """The form's select as submitted: (its block_id, the ticket it was drawn for, the value
    picked); (None, None, None) when the form has none."""
    where = next((key for key in state if key.startswith(BLOCK)), None)
    if where is None:
        return None, None, None
    chosen = (state[where].get(PICK) or {}).get("selected_option") or {}
    return where, b.ticket_of_block(where), chosen.get("value")


def send(ctx: Ctx, key: str | None, slack_id: str, tid: int, drawn: int | None, value: str,
         after: int | None) -> Any:
    """Send the article picked, as `!artigo` does, at most once per submission; a form drawn
    for another ticket, a closed ticket, an article removed meanwhile are refused. The same
    article sent since the form opened (the form sent twice, a colleague's) is Told."""
    lang, ticket = _ticket(ctx, slack_id, tid)
    slug = _picked(tid, value)
    if drawn != tid or (value and slug is None):  # private_metadata names another ticket
        raise InvalidInput("slack.refuse.article_other", number=ticket.number)
    if slug is None:
        raise InvalidInput("slack.modal.article.choose")
    article = articles_sent.article_by_slug(ctx, slug)
    try:
        return run_once(ctx, key, slack_id, articles_sent.send_article, tid, article, after)
    except Conflict as err:
        if err.key != articles_sent.ALREADY_SENT:
            raise
        return Told(error_text(err, lang))
