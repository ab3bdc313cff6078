"""The modals a card's buttons open, asking one text about a ticket (and, for a solution, its
origin and quote); private_metadata carries ids only."""

from __future__ import annotations

import json

from bots.slack.buttons import (
    APPROVAL,
    DEV,
    DEV_RETURN,
    NOTE,
    ORIGIN,
    QUOTE,
    REJECT,
    WORKAROUND,
    as_id,
    origin_option,
    select,
)
from bots.slack.cards import OriginOption
from bots.slack.text import Block, mrkdwn, plain
from core.i18n import t
from core.services.billing import QUOTE_MAX

MODALS = {REJECT: "md.reject", DEV: "md.dev", DEV_RETURN: "md.dev_return",
          APPROVAL: "md.approval", NOTE: "md.note", QUOTE: "md.quote",
          WORKAROUND: "md.workaround"}
INPUT_BLOCK, INPUT_ACTION = "input", "value"
ORIGIN_BLOCK, QUOTE_BLOCK = "origin", "quote"


def text_modal(action: str, ticket_id: int, number: str, *, multiline: bool = True,
               optional: bool = False, channel: str | None = None,
               thread_ts: str | None = None, lang: str | None = None,
               origins: list[OriginOption] | None = None, origin: OriginOption | None = None,
               quote: str | None = None, shown: tuple[str | None, str | None] | None = None,
               text: str | None = None, notice: str | None = None,
               example: str = "", kept: str | None = None, seen: int | None = None) -> Block:
    """A modal asking for one text about a ticket; private_metadata carries ids only.

    With origins, it also asks the ticket's origin (R22), `origin` chosen to start with, and
    the quote of a charge (R23), `quote` to start with. `shown`, the origin and quote it
    starts with, rides in private_metadata so that a form left so does not undo a colleague's
    change made meanwhile unseen (core.services.billing.check_as_shown). `text` starts the
    main input (what the agent had typed, on a form shown again); `notice` says why above it;
    `example`, a ticket number of this month, for Duplicado's hint; `kept`, the token of the
    refused note it offers (kept_in reads it back); `seen`, the workarounds sent when the
    workaround's form opened (seen_in reads it back)."""
    name = MODALS[action].split(".", 1)[1]
    element: Block = {"type": "plain_text_input", "action_id": INPUT_ACTION,
                      "multiline": multiline}
    block: Block = {"type": "input", "block_id": INPUT_BLOCK, "optional": optional,
                    "label": plain(t(f"slack.modal.{name}.label", lang), 2000), "element": element}
    if action == REJECT:
        block["hint"] = plain(t("slack.modal.reject.hint", lang, example=example), 2000)
        element["placeholder"] = plain("AAAAMM/NNNN")
    if action == WORKAROUND:
        block["hint"] = plain(t("slack.modal.workaround.hint", lang), 2000)
    if action == QUOTE:
        block["hint"] = plain(t("slack.modal.quote.hint", lang), 2000)
        element["max_length"] = QUOTE_MAX
        if quote:  # the quote given before, to change rather than retype
            element["initial_value"] = quote
    elif text:
        element["initial_value"] = text
    meta = "|".join([str(ticket_id), channel or "", thread_ts or ""])
    if shown is not None:
        meta += "|" + json.dumps(list(shown), ensure_ascii=False)
    elif kept is not None:
        meta += "|" + json.dumps({"kept": kept})
    elif seen is not None:
        meta += "|" + json.dumps({"seen": seen})
    return {
        "type": "modal",
        "callback_id": MODALS[action],
        "private_metadata": meta,
        "title": plain(t(f"slack.modal.{name}.title", lang), 24),
        "submit": plain(t("slack.modal.submit", lang), 24),
        "close": plain(t("slack.modal.cancel", lang), 24),
        "blocks": [
            {"type": "context", "elements": [mrkdwn(f"Ticket *{number}*")]},
            *([{"type": "section", "text": mrkdwn(notice)}] if notice else []),
            block,
            *([origin_input(ticket_id, origins, origin, lang), quote_input(quote, lang)]
              if origins else []),
        ],
    }


def origin_input(ticket_id: int, origins: list[OriginOption], chosen: OriginOption | None,
                 lang: str | None = None) -> Block:
    """The modal's origin question: the contract table, the current or suggested one picked."""
    element = select("slack.btn.origin", ORIGIN,
                     [origin_option(ticket_id, o) for o in origins], lang)
    if chosen is not None:
        element["initial_option"] = origin_option(ticket_id, chosen)
    # Its block_id names the ticket, as a card's row does, so a long table is searched alike.
    return {"type": "input", "block_id": f"card.{ORIGIN_BLOCK}.{ticket_id}",
            "label": plain(t("slack.modal.approval.origin", lang), 2000),
            "hint": plain(t("slack.modal.approval.origin_hint", lang), 2000),
            "element": element}


def quote_input(quote: str | None, lang: str | None = None) -> Block:
    """The solution modal's optional quote, for an origin outside the contract (R23)."""
    element: Block = {"type": "plain_text_input", "action_id": INPUT_ACTION,
                      "max_length": QUOTE_MAX}
    if quote:
        element["initial_value"] = quote
    return {"type": "input", "block_id": QUOTE_BLOCK, "optional": True,
            "label": plain(t("slack.modal.approval.quote", lang), 2000),
            "hint": plain(t("slack.modal.approval.quote_hint", lang), 2000), "element": element}


def parse_meta(meta: str) -> tuple[int | None, str | None, str | None]:
    """Read a modal's private_metadata back: ticket id (None when it names none), channel,
    thread ts."""
    parts = (meta or "").split("|", 3)[:3]
    parts += [""] * (3 - len(parts))
    return as_id(parts[0]), parts[1] or None, parts[2] or None


def _extra(meta: str, name: str) -> object:
    """One value private_metadata carries after the ids (None when it carries none)."""
    parts = (meta or "").split("|", 3)
    try:
        found = json.loads(parts[3]) if len(parts) == 4 else None
    except ValueError:
        return None
    return found.get(name) if isinstance(found, dict) else None


def kept_in(meta: str) -> str | None:
    """The token of the refused note a *Nota interna* form offers, from its private_metadata."""
    token = _extra(meta, "kept")
    return token if isinstance(token, str) else None


def seen_in(meta: str) -> int | None:
    """How many workarounds were sent when a workaround's form opened (None: unsaid)."""
    seen = _extra(meta, "seen")
    return seen if isinstance(seen, int) and not isinstance(seen, bool) and seen >= 0 else None


def after_in(meta: str) -> int | None:
    """The ticket's latest entry when an article's form opened (None: unsaid)."""
    after = _extra(meta, "after")
    return after if isinstance(after, int) and not isinstance(after, bool) and after >= 0 \
        else None


def shown_in(meta: str) -> tuple[str | None, str | None] | None:
    """The origin and quote a modal started with, from its private_metadata (None: unsaid)."""
    parts = (meta or "").split("|", 3)
    try:
        origin, quote = json.loads(parts[3]) if len(parts) == 4 else (None, None)
    except (ValueError, TypeError):
        return None
    if len(parts) < 4 or not all(x is None or isinstance(x, str) for x in (origin, quote)):
        return None
    return origin, quote
