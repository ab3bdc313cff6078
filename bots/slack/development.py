"""The development channel (R15): a ticket's post there, redrawn as the ticket moves on (its
thread's replies are internal notes: bots.slack.threads)."""

from __future__ import annotations

from bots.slack import blocks
from bots.slack.blocks import esc
from bots.slack.cards import CardData, card_data
from core.i18n import label, t
from core.models import Status
from core.services.context import Ctx
from storage.extras import SlackDevPost, SlackDevPostRepository


def post_body(data: CardData, actor: str, note: str | None, tz: str, lang: str
              ) -> tuple[str, list[blocks.Block]]:
    """The post's text and blocks: who sent the ticket and why, the card without buttons, and,
    once the ticket left development, where it stands now."""
    head = t("slack.thread.dev", lang, actor=esc(actor))
    if data.ticket.status != Status.IN_DEVELOPMENT:
        head += "\n" + t("slack.dev.out", lang, status=label("status", data.ticket.status, lang))
    body = [blocks.text_blocks(head)[0],
            *blocks.ticket_card(data, tz, actions=False, lang=lang)]
    if note:
        body.append(blocks.text_blocks(f"> {esc(note)}")[0])
    return blocks.card_summary(data, lang), body


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
