"""What Slack says of an outbox row: a notification's text, a card's line in its thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bots.delivery.render import render
from bots.slack.text import (
    SPOT,
    cut,
    esc,
    file_list,
    fit_words,
    formatted,
    more_line,
    quoted,
    verbatim,
)
from core.i18n import t, when
from core.markdown_cut import agent_split
from core.outbox import OutboxMessage

CARD_TYPED = {"justificativa": "text"}
"""The parameter of a card's line that an agent typed, by event (else its 'note')."""

WORDS = ("text", "solution", "note", "comment", "reason")
"""The parameters that carry what someone wrote at length (the ones a long notice cuts)."""


def slack_text(kind: str, params: dict[str, Any], language: str, typed: str = "",
               more: str = "slack.more.dm") -> str:
    """A notification's text for mrkdwn: what people wrote (a restriction, a reason, an
    assunto) escaped, so "<!channel>" or "<https://x|y>" in it is shown, never acted on; the
    parameter `typed` (words an agent typed) with its marks as Slack shows them (R7). Past a
    message's length the longest words are cut, where no ``` block or link is split, and
    the catalog's `more` says where to read them whole."""
    values = {k: _escaped(v) for k, v in params.items()}
    show: Callable[[str], str] = formatted
    if not isinstance(params.get(typed), str):  # else the longest words someone wrote
        said = [k for k in WORDS if isinstance(params.get(k), str)]
        typed, show = max(said, key=lambda k: len(params[k]), default=""), verbatim
    text = render(kind, {**values, typed: SPOT}, language)[1] \
        if typed and params[typed] else ""  # none typed (files alone): rendered as it is
    if text.count(SPOT) != 1:
        return cut(render(kind, values, language)[1])
    return fit_words(text, params[typed], show, more_line(more, params, language))


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return verbatim(value)
    return [_escaped(x) for x in value] if isinstance(value, list) else value


def card_line(params: dict[str, Any], language: str) -> str:
    """A card's event as a line in its thread (a solution sent for approval quoted below)."""
    event = str(params.get("event") or "")
    if event == "assigned" and params.get("actor") and params.get("actor") == params.get(
            "assignee"):
        text = t("slack.thread.taken", language, actor=esc(str(params["actor"])))
    else:
        text = slack_text("card", params, language, typed=CARD_TYPED.get(event, "note"),
                          more="slack.more.thread")
    solution = params.get("solution")  # the one sent, not what the customer wrote since
    if event in ("approval_requested", "workaround") and isinstance(solution, str) \
            and solution:
        head, rest = agent_split(solution, quoted, 2000)
        text += "\n" + quoted(head) + ("\n> …" if rest else "")
    return text


def thread_text(msg: OutboxMessage, language: str, tz: str) -> str | None:
    """A notification's line in the card's thread; None for one that has none."""
    p = msg.params
    if msg.kind in ("ticket.tramite", "ticket.internal_note"):
        key = ("slack.thread.note" if msg.kind == "ticket.internal_note"
               else "slack.thread.tramite_staff" if p.get("staff") else "slack.thread.tramite")
        text = t(key, language, author=esc(str(p.get("author", ""))), text=SPOT)
        files = p.get("files") or []
        if files:
            text += "\n" + t("slack.thread.files", language,
                             files=file_list(files, language))
        # a customer's words as typed, as on the ticket's page
        return fit_words(text, str(p.get("text") or ""),
                         verbatim if key == "slack.thread.tramite" else formatted,
                         more_line("slack.more.thread", p, language))
    if msg.kind == "ticket.due_soon":
        return t("slack.thread.due_soon", language,
                 due=when(p.get("due_at"), language, tz))
    if msg.kind == "ticket.overdue":
        return t("slack.thread.overdue", language,
                 due=when(p.get("due_at"), language, tz))
    if msg.kind == "ticket.first_response_overdue":
        return t("slack.thread.first_response", language)
    return slack_text(msg.kind, p, language, more="slack.more.thread")
