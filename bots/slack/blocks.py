"""Block Kit builders for tickets: the card and its buttons, listings and the App Home; pure
functions from core data to Slack JSON (values carry ids only)."""

from __future__ import annotations

from bots.slack.cards import CardData, OriginOption
from bots.slack.text import MRKDWN, Block, clip, esc, mrkdwn, plain, verbatim
from core.conversation.fmt import prazo_note, priority_text
from core.i18n import label, t, then_line, when
from core.markdown_text import agent_text
from core.models import CriticalReason, Priority, Status, Ticket
from core.services.billing import charge_answer
from core.services.handling import HANDS_ON

TAKE, ASSIGN, ESTIMATE, PRIORITY, ORIGIN = "tk.take", "tk.assign", "tk.estimate", \
    "tk.priority", "tk.origin"
REJECT, DEV, DEV_RETURN, APPROVAL, NOTE, QUOTE = "tk.reject", "tk.dev", "tk.dev_return", \
    "tk.approval", "tk.note", "tk.quote"
WORKAROUND = "tk.workaround"
OPEN = "ls.open"
"""A listing line's Abrir button: its value is the ticket's id."""
NOTE_SAVED = "tk.note_saved"
"""A refusal's button that opens *Nota interna* with the text kept: '<ticket>:<token>', the
token of the note kept in storage."""
NOTE_KEPT = "tk.note_kept"
"""NOTE_SAVED as posted before the notes were stored: '<ticket>:<text>'."""

WORKABLE = (*HANDS_ON, Status.ESTIMATE, Status.IN_DEVELOPMENT)
DESCRICAO_PREVIEW = 500
MAX_OPTIONS = 100
"""Slack's limit on a select's options: longer lists are searched as the agent types."""
MAX_ID = 2**31 - 1
"""The largest id a ticket or user row may have (a 32-bit integer column)."""


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
        _field("prazo", when(ticket.due_at, lang, tz) + esc(prazo_note(ticket, lang, tz))
               if ticket.due_at else nobody, lang),
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
    descricao = verbatim(clip(ticket.descricao, DESCRICAO_PREVIEW))  # the customer's words
    blocks: list[Block] = [
        {"type": "header", "text": plain(f"🎫 {ticket.number} — {ticket.assunto}", 150)},
        {"type": "section", "fields": fields},
        {"type": "section",
         "text": mrkdwn(f"*{t('slack.card.descricao', lang)}*\n{descricao}")},
    ]
    if ticket.status == Status.CLOSED and ticket.decision_comment:
        restriction = verbatim(clip(ticket.decision_comment, DESCRICAO_PREVIEW))
        blocks.append({"type": "context", "elements": [
            mrkdwn(t("slack.card.restriction", lang, text=restriction))]})
    if internal and ticket.unreachable_telegram:
        blocks.append({"type": "context",
                       "elements": [mrkdwn(t("slack.card.telegram_unreachable", lang,
                                          then=then_line(card.telegram_fallback, lang)))]})
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


def origin_option(ticket_id: int, origin: OriginOption) -> Block:
    """An origin as an option of the select, its value naming the ticket."""
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
            first.append(select("slack.btn.assign", ASSIGN, agents, lang))
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
        first.append(select("slack.btn.priority", PRIORITY, levels, lang))
        second.append(_button("slack.btn.approval", APPROVAL, tid, lang, "primary"))
        second.append(_button("slack.btn.workaround", WORKAROUND, tid, lang))
        second.append(_button("slack.btn.reject", REJECT, tid, lang, "danger"))
    if status != Status.REJECTED and card.origins:
        first.append(select("slack.btn.origin", ORIGIN,
                            [origin_option(tid, o) for o in card.origins], lang))
    if card.ticket.billable and card.ticket.is_open:
        second.append(_button("slack.btn.quote", QUOTE, tid, lang))
    second.append(_button("slack.btn.note", NOTE, tid, lang))
    return [{"type": "actions", "block_id": f"card.{i}.{tid}", "elements": row}
            for i, row in enumerate((first, second)) if row]


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
    """The App Home tab: counts (for agents, the overdue too; for customers, the closed too), own
    tickets, and (for agents) the queue and the other views of /ticket; `totals` are how many
    tickets the two listings were cut from."""
    mine_title = t("slack.home.mine_customer" if customer else "slack.home.mine", lang)
    mine_total, queue_total = totals or (None, None)
    header = t("slack.home.counts", lang, **counts)
    if overdue is not None:
        header += "   " + t("slack.home.overdue", lang, overdue=overdue)
    if customer:  # their first screen's map: open, in attendance and closed (R9)
        header += "   " + t("slack.home.closed", lang, **counts)
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
