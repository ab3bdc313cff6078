"""The development channel (R15): a ticket's post there, redrawn as the ticket moves on (its
thread's replies are internal notes: bots.slack.threads)."""

from __future__ import annotations

from typing import Any

from bots.slack.card_blocks import card_summary, ticket_card
from bots.slack.cards import CardData, card_data
from bots.slack.limits import BLOCKS_TEXT, MAX_BLOCKS, text_size
from bots.slack.sections import quoted_sections, text_blocks
from bots.slack.text import SPOT, Block, esc, file_list, fit_words, formatted, more_line, verbatim
from core.i18n import label, t
from core.models import Status
from core.services.context import Ctx
from storage.extras import SlackDevPost, SlackDevPostRepository

LINES = frozenset({"dev.note", "dev.customer", "dev.returned"})
"""Outbox kinds that become a line in the ticket's latest development post's thread."""
CUSTOMER_SHOWN = 280
"""At most this much of what the customer wrote is repeated to the developers."""


def post_body(data: CardData, actor: str, note: str | None, tz: str, lang: str
              ) -> tuple[str, list[Block]]:
    """The post's text and blocks: who sent the ticket and why, the card without buttons, and,
    once the ticket left development, where it stands now."""
    head = t("slack.thread.dev", lang, actor=esc(actor))
    if data.ticket.status != Status.IN_DEVELOPMENT:
        head += "\n" + t("slack.dev.out", lang, status=label("status", data.ticket.status, lang))
    body = [text_blocks(head)[0],
            *ticket_card(data, tz, actions=False, lang=lang)]
    if note:  # in as many sections as one message takes (it showed only its first 3 000)
        more = more_line("slack.more.thread", {"number": data.ticket.number}, lang)
        body += quoted_sections(note, MAX_BLOCKS - len(body),
                                BLOCKS_TEXT - text_size(body), more)
    return card_summary(data, lang), body



def card_and_posts(ctx: Ctx, ticket_id: int) -> tuple[CardData, list[SlackDevPost]]:
    """What the ticket's card shows and its posts in the development channel, read in one
    transaction."""
    return card_data(ctx, ticket_id), _posts(ctx).for_ticket(ticket_id)


def record(ctx: Ctx, post: SlackDevPost) -> None:
    """Remember where the ticket was posted, to redraw it and to hear its thread."""
    _posts(ctx).add(post)


def post_at(ctx: Ctx, channel: str, ts: str) -> SlackDevPost | None:
    """The development post a thread belongs to, if it is one."""
    return _posts(ctx).by_ts(channel, ts)


def _posts(ctx: Ctx) -> SlackDevPostRepository:
    return ctx.uow.slack_dev_posts  # type: ignore[attr-defined, no-any-return]


def latest_post(ctx: Ctx, ticket_id: int) -> SlackDevPost | None:
    """The post of the ticket's latest trip to development, if it was posted."""
    posts = _posts(ctx).for_ticket(ticket_id)
    return posts[-1] if posts else None


def from_development(entry_id: object) -> str:
    """The key marking a note as written in a development thread (never copied back)."""
    return f"dev-entry:{entry_id}"


def line(kind: str, params: dict[str, Any], lang: str) -> str:
    """What the developers read in the post's thread: a note of the team, the customer's words
    in short, or the package the ticket went back with."""
    if kind == "dev.returned":
        return t("slack.dev.returned", lang, actor=esc(str(params.get("actor") or "")),
                 package=esc(str(params.get("package") or "")))
    author = esc(str(params.get("author") or ""))
    text = str(params.get("text") or "")
    files = params.get("files") or []
    files_line = "\n" + t("slack.thread.files", lang, files=file_list(files, lang)) \
        if files else ""
    if kind == "dev.customer":
        text = " ".join(text.split())
        if len(text) > CUSTOMER_SHOWN:
            text = text[:CUSTOMER_SHOWN - 1] + "…"
        said = t("slack.dev.customer", lang, author=author, text=verbatim(text))  # as typed
        return said + files_line
    # **bold**, [words](https://…) typed in a chat, as Slack shows them; <!channel> escaped
    said = t("slack.thread.note", lang, author=author, text=SPOT) + files_line
    return fit_words(said, text, formatted,
                     more_line("slack.more.thread", params, lang))
