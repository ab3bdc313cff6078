"""A ticket card's buttons and selects, and what their values name: the action ids, the rows
of buttons a status offers, the refused note's button; values carry ids only."""

from __future__ import annotations

from bots.slack.cards import CardData, OriginOption
from bots.slack.text import Block, esc, mrkdwn, plain
from core.i18n import label, t
from core.models import CriticalReason, Priority, Status, Ticket
from core.services.handling import HANDS_ON

TAKE, ASSIGN, ESTIMATE, PRIORITY, ORIGIN = "tk.take", "tk.assign", "tk.estimate", \
    "tk.priority", "tk.origin"
REJECT, DEV, DEV_RETURN, APPROVAL, NOTE, QUOTE = "tk.reject", "tk.dev", "tk.dev_return", \
    "tk.approval", "tk.note", "tk.quote"
WORKAROUND = "tk.workaround"
ARTICLE = "tk.article"
"""Enviar artigo: a form to send a knowledge-base article (bots.slack.article_form)."""
OPEN = "ls.open"
TAKE_NEXT = "home.take_next"
"""A listing line's Abrir button: its value is the ticket's id."""
NOTE_SAVED = "tk.note_saved"
"""A refusal's button that opens *Nota interna* with the text kept: '<ticket>:<token>', the
token of the note kept in storage."""
NOTE_KEPT = "tk.note_kept"
"""NOTE_SAVED as posted before the notes were stored: '<ticket>:<text>'."""

WORKABLE = (*HANDS_ON, Status.ESTIMATE, Status.IN_DEVELOPMENT)
MAX_OPTIONS = 100
"""Slack's limit on a select's options: longer lists are searched as the agent types."""
MAX_ID = 2**31 - 1
"""The largest id a ticket or user row may have (a 32-bit integer column)."""


def button(text_key: str, action_id: str, ticket_id: int, lang: str | None,
            style: str | None = None, drawn: Status | None = None,
            holder: int | None = None) -> Block:
    """A card's button; `drawn`, the status the card shows (and `holder`, who it shows has
    the ticket, 0 for nobody), rides in its value so that a click on a card drawn before the
    ticket moved acts on nothing (card_clicks.TAKE, card_clicks.as_drawn)."""
    value = f"{ticket_id}:{drawn.value}" if drawn is not None else str(ticket_id)
    if drawn is not None and holder is not None:
        value += f":{holder}"
    button: Block = {"type": "button", "text": plain(t(text_key, lang)), "action_id": action_id,
                     "value": value}
    if style:
        button["style"] = style
    return button


def kept_note(ticket_id: int, number: str, refusal: str, typed: str, token: str,
              lang: str | None) -> list[Block]:
    """A refused form's text, kept as typed under the refusal, with a button that opens
    *Nota interna* with it (the note kept in storage under `token`, whatever its length)."""
    value = f"{ticket_id}:{token}"
    return [
        {"type": "section", "text": mrkdwn("⚠️ " + esc(refusal) + "\n"
                                           + t("slack.modal.dev_kept", lang, number=number))},
        {"type": "section", "text": plain(typed, 3000)},
        {"type": "actions", "block_id": f"card.0.{ticket_id}", "elements": [
            {"type": "button", "text": plain(t("slack.btn.note_kept", lang)),
             "action_id": NOTE_SAVED, "value": value, "style": "primary"}]},
    ]


def option(text: str, value: str) -> Block:
    """One option of a select."""
    return {"text": plain(text), "value": value}


def select(placeholder_key: str, action_id: str, options: list[Block], lang: str | None
           ) -> Block:
    """A select of options (searched as the agent types when Slack would take too many)."""
    if len(options) > MAX_OPTIONS:  # Slack refuses more: the agent types, we search
        return {"type": "external_select", "action_id": action_id, "min_query_length": 0,
                "placeholder": plain(t(placeholder_key, lang))}
    return {"type": "static_select", "action_id": action_id,
            "placeholder": plain(t(placeholder_key, lang)), "options": options}


def as_id(text: str) -> int | None:
    """The row id a payload's text names; None for garbage or a number no row can have."""
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def ticket_of_block(block_id: str) -> int | None:
    """The ticket a card's row of buttons belongs to (its block_id is card.<row>.<ticket>)."""
    parts = (block_id or "").split(".")
    if len(parts) == 3 and parts[0] == "card":
        return as_id(parts[2])
    return None


def origin_label(label: str, covered: bool) -> str:
    """An origin as the select shows it: covered by the contract or billable."""
    return f"{'✅' if covered else '💲'} {label}"


def origin_option(ticket_id: int, origin: OriginOption, drawn: str = "") -> Block:
    """An origin as an option of the select, its value naming the ticket (and `drawn`, the
    ticket's status and origin as the card shows them: card_clicks._classify)."""
    return option(origin_label(origin.label, origin.covered),
                  f"{ticket_id}:{origin.id}{drawn}")


def drawn_origin(ticket: Ticket) -> str:
    """What an origin's option says of the ticket as drawn: ":<status>:<origin>"."""
    return f":{ticket.status.value}:{ticket.origin or ''}"


def action_blocks(card: CardData, lang: str | None = None) -> list[Block]:
    """The buttons that make sense in the ticket's status; core re-checks every click."""
    status = card.ticket.status
    tid = card.ticket.id or 0
    held = card.ticket.assignee_id or 0

    def form(text_key: str, action_id: str, style: str | None = None) -> Block:
        """A button that opens a form: refused on a card drawn before the ticket moved."""
        return button(text_key, action_id, tid, lang, style, status, held)

    first: list[Block] = []
    second: list[Block] = []
    if status in WORKABLE:
        if status not in (Status.IN_PROGRESS, Status.IN_DEVELOPMENT):
            first.append(button("slack.btn.take", TAKE, tid, lang, "primary", status))
        agents = [option(name, f"{tid}:{uid}:{held}:{status.value}")  # as drawn
                  for uid, name in card.agents
                  if uid != card.ticket.assignee_id]  # the holder has it already
        if agents:
            first.append(select("slack.btn.assign", ASSIGN, agents, lang))
        if status in HANDS_ON:
            first.append(button("slack.btn.estimate", ESTIMATE, tid, lang, drawn=status))
            second.append(form("slack.btn.dev", DEV))
        if status == Status.IN_DEVELOPMENT:
            second.append(form("slack.btn.dev_return", DEV_RETURN))
        now = card.ticket.critical_reason if card.ticket.priority == Priority.CRITICAL \
            else None  # the priority it has is not offered, as the holder is not above
        shown = f":{status.value}:{(now or Priority.STANDARD).value}"  # as drawn
        levels = [option(t("slack.btn.critical", lang,
                            reason=label("critical_reason", r, lang)), f"{tid}:{r.value}{shown}")
                  for r in CriticalReason if r != now]
        if card.ticket.priority != Priority.STANDARD:
            levels.append(option(t("slack.btn.standard", lang),
                                  f"{tid}:{Priority.STANDARD.value}{shown}"))
        first.append(select("slack.btn.priority", PRIORITY, levels, lang))
        second.append(form("slack.btn.approval", APPROVAL, "primary"))
        second.append(form("slack.btn.workaround", WORKAROUND))
        second.append(form("slack.btn.reject", REJECT, "danger"))
    if status != Status.REJECTED and card.origins:
        first.append(select("slack.btn.origin", ORIGIN,
                            [origin_option(tid, o, drawn_origin(card.ticket))
                             for o in card.origins], lang))
    if card.ticket.billable and card.ticket.is_open:
        second.append(form("slack.btn.quote", QUOTE))
    if card.ticket.is_open:  # a standard answer, from the knowledge base (R9)
        second.append(form("slack.btn.article", ARTICLE))
    second.append(button("slack.btn.note", NOTE, tid, lang))
    return [{"type": "actions", "block_id": f"card.{i}.{tid}", "elements": row}
            for i, row in enumerate((first, second)) if row]

