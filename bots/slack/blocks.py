"""Block Kit builders: pure functions from core data to Slack JSON (values carry ids only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bots.slack.cards import CardData, OriginOption
from bots.slack.limits import BLOCKS_TEXT, MAX_BLOCKS, SECTION_MAX, messages, text_size
from core.conversation.fmt import priority_text
from core.conversation.replies import Piece, Reply
from core.i18n import label, t, when
from core.markdown_cut import agent_split
from core.markdown_text import BULLET, Style, agent_blocks, agent_text, render
from core.models import CriticalReason, Priority, Status, Ticket
from core.services.billing import QUOTE_MAX, charge_answer

Block = dict[str, Any]

TAKE, ASSIGN, ESTIMATE, PRIORITY, ORIGIN = "tk.take", "tk.assign", "tk.estimate", \
    "tk.priority", "tk.origin"
REJECT, DEV, DEV_RETURN, APPROVAL, NOTE, QUOTE = "tk.reject", "tk.dev", "tk.dev_return", \
    "tk.approval", "tk.note", "tk.quote"
CHOICE = "cv.choice"
OPEN = "ls.open"
"""A listing line's Abrir button: its value is the ticket's id."""
MODALS = {REJECT: "md.reject", DEV: "md.dev", DEV_RETURN: "md.dev_return",
          APPROVAL: "md.approval", NOTE: "md.note", QUOTE: "md.quote"}
INPUT_BLOCK, INPUT_ACTION = "input", "value"
ORIGIN_BLOCK, QUOTE_BLOCK = "origin", "quote"

HANDS_ON = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)
WORKABLE = (*HANDS_ON, Status.ESTIMATE, Status.IN_DEVELOPMENT)
DESCRICAO_PREVIEW = 500
MAX_OPTIONS = 100
"""Slack's limit on a select's options: longer lists are searched as the agent types."""
MAX_ID = 2**31 - 1
"""The largest id a ticket or user row may have (a 32-bit integer column)."""


def esc(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ZW = "\u200b"
"""A zero-width space, put on both sides of a mark: whether Slack reads it as a space, a
letter or punctuation, a mark between two of them opens and closes nothing."""
MARKS = frozenset("*_~`")
QUOTE_START = re.compile(r"^(?=&gt;)", re.MULTILINE)


def verbatim(text: str) -> str:
    """Words someone typed (a customer's, the catalog's), shown as typed in mrkdwn: escaped,
    a zero-width space on both sides of each *, _, ~ and ` that could format ("*a*" would be
    bold: Slack has no backslash escape), and before a > that starts a line. A mark inside a
    word (ERR_NFE_1, 2*3) or between spaces formats nothing and is left alone, so what is
    copied is what was typed."""
    out: list[str] = []
    for i, char in enumerate(text):
        before, after = text[i - 1:i] or " ", text[i + 1:i + 2] or " "
        if char not in MARKS or (before.isalnum() and after.isalnum()) \
                or (before.isspace() and after.isspace()):
            out.append(char)
            continue
        out += [ZW, char, ZW] if out[-1:] != [ZW] else [char, ZW]
    return QUOTE_START.sub(ZW, esc("".join(out)))


def plain(text: str, limit: int = 75) -> Block:
    """A plain_text object cut to Slack's limit."""
    return {"type": "plain_text", "text": _cut(text, limit), "emoji": True}


def mrkdwn(text: str) -> Block:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": _cut(text, 3000)}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(name: str, value: str, lang: str | None) -> Block:
    return mrkdwn(f"*{t('slack.card.' + name, lang)}*\n{value}")


def _covered(covered: bool, lang: str | None) -> str:
    return t("slack.card.covered" if covered else "slack.card.not_covered", lang)


def origin_text(card: CardData, lang: str | None = None) -> str:
    """The origin line: the one classified, else the one core suggests."""
    if card.origin is not None:
        return t("slack.card.origin_set", lang, label=card.origin.label,
                 covered=_covered(card.origin.covered, lang))
    if card.suggested is not None:
        return t("slack.card.origin_suggested", lang, label=card.suggested.label,
                 covered=_covered(card.suggested.covered, lang))
    return t("slack.card.nobody", lang)


def billing_text(ticket: Ticket, lang: str | None = None) -> str:
    """The customer's answer to the charge of a billable ticket, and its quote (R23)."""
    return t(f"slack.card.billing_{charge_answer(ticket)}", lang) + quote_text(ticket, lang)


def quote_text(ticket: Ticket, lang: str | None = None) -> str:
    """The quote of a billable ticket on a line of its own, when one was given (R23)."""
    if not ticket.billing_quote:
        return ""
    return "\n" + esc(t("slack.card.quote", lang, quote=ticket.billing_quote))


def closed_as(ticket: Ticket, lang: str | None = None) -> str:
    """How a closed ticket closed (R19, R21): approved, with restrictions, or by itself."""
    if ticket.status != Status.CLOSED or ticket.decision is None:
        return ""
    return " · " + label("decision", ticket.decision, lang)


def card_summary(card: CardData, lang: str | None = None) -> str:
    """The notification text of the card (what Slack shows where blocks are not rendered)."""
    ticket = card.ticket
    return f"Ticket {ticket.number} — {verbatim(ticket.assunto)} " \
        f"[{label('status', ticket.status, lang)}]"


def ticket_card(card: CardData, tz: str = "America/Sao_Paulo", actions: bool = True,
                internal: bool = True, lang: str | None = None) -> list[Block]:
    """The ticket's card: what it is, where it stands, and the agents' buttons."""
    ticket = card.ticket
    nobody = t("slack.card.nobody", lang)
    fields = [
        _field("empresa", verbatim(card.company) or nobody, lang),
        _field("solicitante", verbatim(card.requester) or nobody, lang),
        _field("classificacao", esc(f"{ticket.tipo} / {ticket.item} / {ticket.servico}"), lang),
        _field("versao", verbatim(ticket.versao or nobody), lang),
        _field("prioridade", priority_text(ticket, lang), lang),
        _field("status", f"*{label('status', ticket.status, lang)}*" + closed_as(ticket, lang) + (
            f" ({agent_text(ticket.justificativa, MRKDWN)})" if ticket.justificativa else ""),
            lang),  # the justificativa: an agent's words, as in the thread (R6, R7)
        _field("responsavel", esc(card.assignee or nobody), lang),
        _field("prazo", when(ticket.due_at, lang, tz) if ticket.due_at else nobody, lang),
    ]
    if internal:
        origin = esc(origin_text(card, lang))
        if ticket.billable:
            origin += "\n" + billing_text(ticket, lang)
        fields.append(_field("origem", origin, lang))
    elif ticket.billable:  # the customer's own answer to the charge (R23), not the origin
        fields.append(_field("cobranca", t(f"slack.card.charge_{charge_answer(ticket)}", lang)
                             + quote_text(ticket, lang), lang))
    if ticket.rating is not None:
        fields.append(_field("avaliacao", label("rating", ticket.rating, lang), lang))
    elif card.duplicate_of:
        fields.append(_field("status", t("slack.card.duplicate_of", lang,
                                         number=card.duplicate_of), lang))
    descricao = verbatim(_cut(ticket.descricao, DESCRICAO_PREVIEW))  # the customer's words
    blocks: list[Block] = [
        {"type": "header", "text": plain(f"🎫 {ticket.number} — {ticket.assunto}", 150)},
        {"type": "section", "fields": fields},
        {"type": "section",
         "text": mrkdwn(f"*{t('slack.card.descricao', lang)}*\n{descricao}")},
    ]
    if ticket.status == Status.CLOSED and ticket.decision_comment:
        restriction = verbatim(_cut(ticket.decision_comment, DESCRICAO_PREVIEW))
        blocks.append({"type": "context", "elements": [
            mrkdwn(t("slack.card.restriction", lang, text=restriction))]})
    if internal and ticket.unreachable_telegram:
        blocks.append({"type": "context",
                       "elements": [mrkdwn(t("slack.card.telegram_unreachable", lang))]})
    shown = card.attachments if internal else card.public_attachments
    if shown:
        files = verbatim(", ".join(shown))
        blocks.append({"type": "context",
                       "elements": [mrkdwn(t("slack.card.anexos", lang, files=files))]})
    if actions:
        blocks.extend(action_blocks(card, lang))
    return blocks


def customer_card(card: CardData, tz: str = "America/Sao_Paulo", lang: str | None = None,
                  ) -> list[Block]:
    """The card as a customer may see it: no buttons, no internal classification."""
    return ticket_card(card, tz, actions=False, internal=False, lang=lang)


def _button(text_key: str, action_id: str, ticket_id: int, lang: str | None,
            style: str | None = None) -> Block:
    button: Block = {"type": "button", "text": plain(t(text_key, lang)), "action_id": action_id,
                     "value": str(ticket_id)}
    if style:
        button["style"] = style
    return button


def option(text: str, value: str) -> Block:
    """One option of a select."""
    return {"text": plain(text), "value": value}


def _select(placeholder_key: str, action_id: str, options: list[Block], lang: str | None
            ) -> Block:
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


def _origin_option(ticket_id: int, origin: OriginOption) -> Block:
    return option(origin_label(origin.label, origin.covered), f"{ticket_id}:{origin.id}")


def action_blocks(card: CardData, lang: str | None = None) -> list[Block]:
    """The buttons that make sense in the ticket's status; core re-checks every click."""
    status = card.ticket.status
    tid = card.ticket.id or 0
    first: list[Block] = []
    second: list[Block] = []
    if status in WORKABLE:
        if status not in (Status.IN_PROGRESS, Status.IN_DEVELOPMENT):
            first.append(_button("slack.btn.take", TAKE, tid, lang, "primary"))
        agents = [option(name, f"{tid}:{uid}") for uid, name in card.agents
                  if uid != card.ticket.assignee_id]  # the holder has it already
        if agents:
            first.append(_select("slack.btn.assign", ASSIGN, agents, lang))
        if status in HANDS_ON:
            first.append(_button("slack.btn.estimate", ESTIMATE, tid, lang))
            second.append(_button("slack.btn.dev", DEV, tid, lang))
        if status == Status.IN_DEVELOPMENT:
            second.append(_button("slack.btn.dev_return", DEV_RETURN, tid, lang))
        levels = [option(t("slack.btn.critical", lang,
                            reason=label("critical_reason", r, lang)), f"{tid}:{r.value}")
                  for r in CriticalReason]
        levels.append(option(t("slack.btn.standard", lang),
                              f"{tid}:{Priority.STANDARD.value}"))
        first.append(_select("slack.btn.priority", PRIORITY, levels, lang))
        second.append(_button("slack.btn.approval", APPROVAL, tid, lang, "primary"))
        second.append(_button("slack.btn.reject", REJECT, tid, lang, "danger"))
    if status != Status.REJECTED and card.origins:
        first.append(_select("slack.btn.origin", ORIGIN,
                             [_origin_option(tid, o) for o in card.origins], lang))
    if card.ticket.billable and card.ticket.is_open:
        second.append(_button("slack.btn.quote", QUOTE, tid, lang))
    second.append(_button("slack.btn.note", NOTE, tid, lang))
    return [{"type": "actions", "block_id": f"card.{i}.{tid}", "elements": row}
            for i, row in enumerate((first, second)) if row]


def text_modal(action: str, ticket_id: int, number: str, *, multiline: bool = True,
               optional: bool = False, channel: str | None = None,
               thread_ts: str | None = None, lang: str | None = None,
               origins: list[OriginOption] | None = None, origin: OriginOption | None = None,
               quote: str | None = None) -> Block:
    """A modal asking for one text about a ticket; private_metadata carries ids only.

    With origins, it also asks the ticket's origin (R22), `origin` chosen to start with, and
    the quote of a charge (R23), `quote` to start with."""
    name = MODALS[action].split(".", 1)[1]
    element: Block = {"type": "plain_text_input", "action_id": INPUT_ACTION,
                      "multiline": multiline}
    block: Block = {"type": "input", "block_id": INPUT_BLOCK, "optional": optional,
                    "label": plain(t(f"slack.modal.{name}.label", lang), 2000), "element": element}
    if action == REJECT:
        block["hint"] = plain(t("slack.modal.reject.hint", lang), 2000)
        element["placeholder"] = plain("AAAAMM/NNNN")
    if action == QUOTE:
        block["hint"] = plain(t("slack.modal.quote.hint", lang), 2000)
        element["max_length"] = QUOTE_MAX
        if quote:  # the quote given before, to change rather than retype
            element["initial_value"] = quote
    meta = "|".join([str(ticket_id), channel or "", thread_ts or ""])
    return {
        "type": "modal",
        "callback_id": MODALS[action],
        "private_metadata": meta,
        "title": plain(t(f"slack.modal.{name}.title", lang), 24),
        "submit": plain(t("slack.modal.submit", lang), 24),
        "close": plain(t("slack.modal.cancel", lang), 24),
        "blocks": [
            {"type": "context", "elements": [mrkdwn(f"Ticket *{number}*")]},
            block,
            *([origin_input(ticket_id, origins, origin, lang), quote_input(quote, lang)]
              if origins else []),
        ],
    }


def origin_input(ticket_id: int, origins: list[OriginOption], chosen: OriginOption | None,
                 lang: str | None = None) -> Block:
    """The modal's origin question: the contract table, the current or suggested one picked."""
    element = _select("slack.btn.origin", ORIGIN,
                      [_origin_option(ticket_id, o) for o in origins], lang)
    if chosen is not None:
        element["initial_option"] = _origin_option(ticket_id, chosen)
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
    parts = (meta or "").split("|")
    parts += [""] * (3 - len(parts))
    return as_id(parts[0]), parts[1] or None, parts[2] or None


def ticket_line(ticket: Ticket, company: str = "", tz: str = "America/Sao_Paulo",
                lang: str | None = None) -> str:
    """One ticket in a listing: number, status, assunto, company, prazo."""
    prazo = t("slack.cmd.line_prazo", lang, due=when(ticket.due_at, lang, tz)) \
        if ticket.due_at else ""
    return t("slack.cmd.line", lang,
             critical="🚨 " if ticket.priority == Priority.CRITICAL else "",
             number=ticket.number, status=label("status", ticket.status, lang),
             assunto=verbatim(ticket.assunto), empresa=verbatim(company), prazo=prazo)


def ticket_list(title: str, lines: list[tuple[int, str]], lang: str | None = None,
                total: int | None = None, more: bool = False) -> list[Block]:
    """A titled listing of (ticket id, line) pairs, each line with an Abrir button (20 lines
    take 22 of a message's 50 blocks); it says when `total` had more (`more`: a search that
    stopped counting at `total`)."""
    if not lines:
        return [{"type": "section", "text": mrkdwn(title)},
                {"type": "section", "text": mrkdwn(t("slack.cmd.empty", lang))}]
    blocks: list[Block] = [{"type": "section", "text": mrkdwn(title)}]
    blocks += [{"type": "section", "text": mrkdwn(f"• {line}"),
                "accessory": _button("slack.btn.open", OPEN, tid, lang)} for tid, line in lines]
    if total is not None and total > len(lines):
        said = t("slack.cmd.more_than" if more else "slack.cmd.more", lang, shown=len(lines),
                 total=total)
        blocks.append({"type": "section", "text": mrkdwn(said)})
    return blocks


def home_view(counts: dict[str, int], queue: list[tuple[int, str]],
              mine: list[tuple[int, str]], customer: bool = False, lang: str | None = None,
              totals: tuple[int, int] | None = None, overdue: int | None = None) -> Block:
    """The App Home tab: counts (for agents, the overdue too), own tickets, and (for agents)
    the queue and the other views of /ticket; `totals` are how many tickets the two listings
    were cut from."""
    mine_title = t("slack.home.mine_customer" if customer else "slack.home.mine", lang)
    mine_total, queue_total = totals or (None, None)
    header = t("slack.home.counts", lang, **counts)
    if overdue is not None:
        header += "   " + t("slack.home.overdue", lang, overdue=overdue)
    blocks: list[Block] = [
        {"type": "header", "text": plain(t("slack.home.title", lang), 150)},
        {"type": "section", "text": mrkdwn(header)},
        {"type": "divider"},
        *ticket_list(mine_title, mine, lang, mine_total),
    ]
    if not customer:
        blocks += [{"type": "divider"},
                   *ticket_list(t("slack.home.queue", lang), queue, lang, queue_total),
                   {"type": "context", "elements": [mrkdwn(t("slack.home.views", lang))]}]
    return {"type": "home", "blocks": blocks}


MAX_SECTIONS = 40
"""Slack allows 50 blocks a message; the rest are left for buttons."""
__all__ = ["BLOCKS_TEXT", "MAX_BLOCKS", "SECTION_MAX", "messages", "text_size"]


def sections(text: str) -> list[Block]:
    """Text as mrkdwn sections of at most 3 000 characters each, cut at line or word ends, so
    a long answer or article arrives whole (one section cut it at 3 000); as many as it takes
    (limits.messages puts them in as many messages)."""
    chunks: list[str] = []
    rest = text
    while len(rest) > SECTION_MAX:
        cut = rest.rfind("\n", 0, SECTION_MAX)
        if cut < SECTION_MAX // 2:
            cut = rest.rfind(" ", 0, SECTION_MAX)
        if cut <= 0:
            entity = rest.rfind("&", SECTION_MAX - 6, SECTION_MAX)  # keep "&amp;" whole
            cut = entity if entity > 0 else SECTION_MAX
        chunks.append(rest[:cut])
        rest = rest[cut:].lstrip("\n ")
    chunks.append(rest)
    return [{"type": "section", "text": mrkdwn(chunk)} for chunk in chunks]


def _link(words: str, href: str) -> str:
    if href.startswith(("http://", "https://", "mailto:")) and not set(href) & set("|<> "):
        return f"<{esc(href)}|{words}>"
    return words if words == esc(href) or not href else f"{words} ({esc(href)})"


MRKDWN = Style(escape=esc, bold=("*", "*"), italic=("_", "_"), code=("`", "`"),
               pre=("```\n", "\n```"), link=_link)
"""Markdown as Slack's mrkdwn (bold, italics, code, links)."""


MAX_TEXT = 3900
"""The most a message's text takes here (Slack advises 4 000 and cuts longer ones)."""
SPOT = "\ue000"
"""Where the words someone typed go in a catalog's text, before they are shown."""


def fit_words(text: str, words: str, show: Callable[[str], str], more: str,
              limit: int = MAX_TEXT) -> str:
    """`text` with `words` shown (by `show`) at SPOT; past `limit` the words are cut where no
    ``` block, *bold* or link is split and `more` says where they go on, the catalog's words
    after them (a files' line, what to answer) kept. Only a text still too long is cut bare."""
    shown = show(words)
    if len(text) - len(SPOT) + len(shown) > limit:
        tail = "\n…" + (f"\n{more}" if more else "")
        room = max(limit - len(text) + len(SPOT) - len(tail), SECTION_MAX // 10)
        head, _ = agent_split(words, show, room)
        shown = show(head) + tail
    return cut(text.replace(SPOT, shown, 1), limit)


def formatted(typed: str) -> str:
    """Words an agent typed, as Slack shows them (R7)."""
    return agent_text(typed, MRKDWN)


def more_line(key: str, params: dict[str, Any], language: str) -> str:
    """Where a cut notice's words go on: the ticket's whole history, in a chat with the bot."""
    number = params.get("number")
    if not number:
        return ""
    return t(key, language, number=esc(str(number)),
             choice=t("conv.ticket.whole_thread", language))


def cut(text: str, limit: int = MAX_TEXT) -> str:
    """A text at most `limit` long: past it, cut at a line's or word's end (never inside an
    "&amp;"), with "…"."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    end = max(head.rfind("\n"), head.rfind(" "))
    if end > limit // 2:
        head = head[:end]
    elif "&" in head[-6:]:
        head = head[:head.rfind("&")]
    return head + "…"


def quoted(typed: str) -> str:
    """Words an agent typed as a Slack quote, their marks as Slack shows them (R7): each line
    quoted, a ``` block left out of the quote to show as a block; <!channel> escaped."""
    out = []
    for kind, indent, words in agent_blocks(typed, MRKDWN):
        if kind == "pre":
            out.append(MRKDWN.pre[0] + words + MRKDWN.pre[1])
        else:
            out.append("> " + (f"{indent}{BULLET} {words}" if kind == "item" else words))
    return "\n".join(out)


def quoted_sections(typed: str, room: int = MAX_SECTIONS, budget: int = BLOCKS_TEXT,
                    more: str = "") -> list[Block]:
    """Words an agent typed, quoted, as sections of at most 3 000 characters each (at most
    `room` of them and `budget` characters in all; when that is too little, the last ends in
    "…" and `more`, where the rest is), cut between lines, a ``` block closed at a section's
    end and opened again in the next."""
    tail = "\n…" + (f"\n{more}" if more else "")
    texts: list[str] = []
    rest, used = typed, 0
    while rest and len(texts) < room:
        limit = min(SECTION_MAX, budget - used) - len(tail)
        if limit < SECTION_MAX // 10:  # too little left for a part of its own
            break
        head, rest = agent_split(rest, quoted, limit)
        texts.append(quoted(head))
        used += len(texts[-1])
    if rest:
        texts[-1:] = [(texts[-1] if texts else "") + tail]
    return [{"type": "section", "text": mrkdwn(text.lstrip("\n"))} for text in texts]


def _shown(piece: Piece) -> str:
    return formatted(piece.text) if piece.typed else verbatim(piece.text)


def _cut_runs(runs: list[Piece]) -> list[str]:
    """One trâmite's runs too long for a section, as section texts: an agent's words cut by
    agent_split (no ``` block, *bold* or link split), the others at a line's or word's end."""
    texts = [""]
    for run in runs:
        shown = _shown(run)
        if len(texts[-1] + shown) <= SECTION_MAX:
            texts[-1] += shown
        elif not run.typed:
            texts += [block["text"]["text"] for block in sections(shown.lstrip("\n"))]
        else:
            rest = run.text
            while rest:
                room = SECTION_MAX - len(texts[-1])
                if room < SECTION_MAX // 10:  # too little left here: a section of its own
                    texts.append("")
                    continue
                head, rest = agent_split(rest, formatted, room)
                texts[-1] += formatted(head)
                if rest:
                    texts.append("")
    return texts


def piece_sections(pieces: list[Piece]) -> list[Block]:
    """A message's runs as mrkdwn sections (the catalog's and customers' words escaped, an
    agent's marks as Slack shows them), cut where a trâmite starts (Piece.breaks) so that no
    ``` block or *bold* is split across two; a trâmite longer than a section is cut inside,
    where none of its marks or links is split (_cut_runs)."""
    trams: list[list[Piece]] = []
    for piece in pieces:
        if piece.breaks or not trams:
            trams.append([piece])
        else:
            trams[-1].append(piece)
    packed: list[str] = []
    for runs in trams:
        chunk = "".join(_shown(run) for run in runs)
        if packed and len(packed[-1] + chunk) <= SECTION_MAX:
            packed[-1] += chunk
        elif len(chunk) <= SECTION_MAX:
            packed.append(chunk)
        else:
            packed += _cut_runs(runs)
    texts = [text.strip() for text in packed if text.strip()]
    return [{"type": "section", "text": mrkdwn(text)} for text in texts or ["…"]]


def reply_blocks(reply: Reply) -> list[Block]:
    """One conversation reply: its text, and its choices as buttons carrying the choice id."""
    blocks: list[Block] = sections(render(reply.markdown, MRKDWN)) if reply.markdown else \
        piece_sections(reply.pieces) if reply.pieces else sections(verbatim(reply.text or "…"))
    buttons = [{"type": "button", "text": plain(c.label), "action_id": f"{CHOICE}.{i}",
                "value": c.id} for i, c in enumerate(reply.choices)]
    for start in range(0, len(buttons), 25):
        blocks.append({"type": "actions", "elements": buttons[start:start + 25]})
    return blocks


def text_blocks(text: str, more: str = "") -> list[Block]:
    """A plain message as mrkdwn sections, as many as one message takes: past that the last
    ends in "…" and `more`, where the rest is."""
    built = sections(text)
    kept = messages(built)[0]
    if len(kept) < len(built):
        tail = "\n…" + (f"\n{more}" if more else "")
        last = kept[-1]["text"]["text"]
        kept[-1] = {"type": "section", "text": mrkdwn(
            cut(last, SECTION_MAX - len(tail) + 1).removesuffix("…") + tail)}
    return kept
