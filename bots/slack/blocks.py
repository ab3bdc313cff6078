"""Block Kit builders: pure functions from core data to Slack JSON (values carry ids only)."""

from __future__ import annotations

from typing import Any

from bots.slack.cards import CardData, OriginOption
from bots.slack.texts import mrkdwn_escape as esc  # noqa: F401 (re-exported)
from bots.slack.texts import tx
from core.conversation.replies import Reply
from core.i18n import label, when
from core.models import CriticalReason, Priority, Status, Ticket

Block = dict[str, Any]

TAKE, ASSIGN, ESTIMATE, PRIORITY, ORIGIN = "tk.take", "tk.assign", "tk.estimate", \
    "tk.priority", "tk.origin"
REJECT, DEV, DEV_RETURN, APPROVAL, NOTE = "tk.reject", "tk.dev", "tk.dev_return", \
    "tk.approval", "tk.note"
CHOICE = "cv.choice"
MODALS = {REJECT: "md.reject", DEV: "md.dev", DEV_RETURN: "md.dev_return",
          APPROVAL: "md.approval", NOTE: "md.note"}
INPUT_BLOCK, INPUT_ACTION = "input", "value"

HANDS_ON = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)
WORKABLE = (*HANDS_ON, Status.ESTIMATE, Status.IN_DEVELOPMENT)
DESCRICAO_PREVIEW = 500


def plain(text: str, limit: int = 75) -> Block:
    """A plain_text object cut to Slack's limit."""
    return {"type": "plain_text", "text": _cut(text, limit), "emoji": True}


def mrkdwn(text: str) -> Block:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": _cut(text, 3000)}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(name: str, value: str) -> Block:
    return mrkdwn(f"*{tx('slack.card.' + name)}*\n{value}")


def _covered(covered: bool) -> str:
    return tx("slack.card.covered" if covered else "slack.card.not_covered")


def origin_text(card: CardData) -> str:
    """The origin line: the one classified, else the one core suggests."""
    if card.origin is not None:
        return tx("slack.card.origin_set", label=card.origin.label,
                  covered=_covered(card.origin.covered))
    if card.suggested is not None:
        return tx("slack.card.origin_suggested", label=card.suggested.label,
                  covered=_covered(card.suggested.covered))
    return tx("slack.card.nobody")


def priority_text(ticket: Ticket) -> str:
    """Padrão, or Crítico with its reason."""
    text = label("priority", ticket.priority)
    if ticket.priority == Priority.CRITICAL and ticket.critical_reason:
        text = f"🚨 {text} — {label('critical_reason', ticket.critical_reason)}"
    return text


def card_summary(card: CardData) -> str:
    """The notification text of the card (what Slack shows where blocks are not rendered)."""
    t = card.ticket
    return f"Ticket {t.number} — {t.assunto} [{label('status', t.status)}]"


def ticket_card(card: CardData, tz: str = "America/Sao_Paulo", actions: bool = True,
                internal: bool = True) -> list[Block]:
    """The ticket's card: what it is, where it stands, and the agents' buttons."""
    t = card.ticket
    nobody = tx("slack.card.nobody")
    fields = [
        _field("empresa", esc(card.company) or nobody),
        _field("solicitante", esc(card.requester) or nobody),
        _field("classificacao", esc(f"{t.tipo} / {t.item} / {t.servico}")),
        _field("versao", esc(t.versao or nobody)),
        _field("prioridade", priority_text(t)),
        _field("status", f"*{label('status', t.status)}*"),
        _field("responsavel", esc(card.assignee or nobody)),
        _field("prazo", when(t.due_at, None, tz) if t.due_at else nobody),
    ]
    if internal:
        fields.append(_field("origem", esc(origin_text(card))))
    if t.rating is not None:
        fields.append(_field("avaliacao", label("rating", t.rating)))
    elif card.duplicate_of:
        fields.append(_field("status", tx("slack.card.duplicate_of", number=card.duplicate_of)))
    descricao = esc(_cut(t.descricao, DESCRICAO_PREVIEW))
    blocks: list[Block] = [
        {"type": "header", "text": plain(f"🎫 {t.number} — {t.assunto}", 150)},
        {"type": "section", "fields": fields},
        {"type": "section", "text": mrkdwn(f"*{tx('slack.card.descricao')}*\n{descricao}")},
    ]
    if card.attachments:
        files = esc(", ".join(card.attachments))
        blocks.append({"type": "context",
                       "elements": [mrkdwn(tx("slack.card.anexos", files=files))]})
    if actions:
        blocks.extend(action_blocks(card))
    return blocks


def customer_card(card: CardData, tz: str = "America/Sao_Paulo") -> list[Block]:
    """The card as a customer may see it: no buttons, no internal classification."""
    return ticket_card(card, tz, actions=False, internal=False)


def _button(text_key: str, action_id: str, ticket_id: int, style: str | None = None) -> Block:
    button: Block = {"type": "button", "text": plain(tx(text_key)), "action_id": action_id,
                     "value": str(ticket_id)}
    if style:
        button["style"] = style
    return button


def _option(text: str, value: str) -> Block:
    return {"text": plain(text), "value": value}


def _select(placeholder_key: str, action_id: str, options: list[Block]) -> Block:
    return {"type": "static_select", "action_id": action_id,
            "placeholder": plain(tx(placeholder_key)), "options": options[:100]}


def _origin_option(ticket_id: int, origin: OriginOption) -> Block:
    mark = "✅" if origin.covered else "💲"
    return _option(f"{mark} {origin.label}", f"{ticket_id}:{origin.id}")


def action_blocks(card: CardData) -> list[Block]:
    """The buttons that make sense in the ticket's status; core re-checks every click."""
    t = card.ticket
    tid = t.id or 0
    first: list[Block] = []
    second: list[Block] = []
    if t.status in WORKABLE:
        if t.status != Status.IN_PROGRESS:
            first.append(_button("slack.btn.take", TAKE, tid, "primary"))
        agents = [_option(name, f"{tid}:{uid}") for uid, name in card.agents]
        if agents:
            first.append(_select("slack.btn.assign", ASSIGN, agents))
        if t.status in HANDS_ON:
            first.append(_button("slack.btn.estimate", ESTIMATE, tid))
            second.append(_button("slack.btn.dev", DEV, tid))
        if t.status == Status.IN_DEVELOPMENT:
            second.append(_button("slack.btn.dev_return", DEV_RETURN, tid))
        levels = [_option(tx("slack.btn.critical", reason=label("critical_reason", r)),
                          f"{tid}:{r.value}") for r in CriticalReason]
        levels.append(_option(tx("slack.btn.standard"), f"{tid}:{Priority.STANDARD.value}"))
        first.append(_select("slack.btn.priority", PRIORITY, levels))
        second.append(_button("slack.btn.approval", APPROVAL, tid, "primary"))
        second.append(_button("slack.btn.reject", REJECT, tid, "danger"))
    if t.status != Status.REJECTED and card.origins:
        first.append(_select("slack.btn.origin", ORIGIN,
                             [_origin_option(tid, o) for o in card.origins]))
    second.append(_button("slack.btn.note", NOTE, tid))
    return [{"type": "actions", "block_id": f"card.{i}", "elements": row}
            for i, row in enumerate((first, second)) if row]


def text_modal(action: str, ticket_id: int, number: str, *, multiline: bool = True,
               optional: bool = False, channel: str | None = None,
               thread_ts: str | None = None) -> Block:
    """A modal asking for one text about a ticket; private_metadata carries ids only."""
    name = MODALS[action].split(".", 1)[1]
    element: Block = {"type": "plain_text_input", "action_id": INPUT_ACTION,
                      "multiline": multiline}
    block: Block = {"type": "input", "block_id": INPUT_BLOCK, "optional": optional,
                    "label": plain(tx(f"slack.modal.{name}.label"), 2000), "element": element}
    if action == REJECT:
        block["hint"] = plain(tx("slack.modal.reject.hint"), 2000)
        element["placeholder"] = plain("AAAAMM/NNNN")
    meta = "|".join([str(ticket_id), channel or "", thread_ts or ""])
    return {
        "type": "modal",
        "callback_id": MODALS[action],
        "private_metadata": meta,
        "title": plain(tx(f"slack.modal.{name}.title"), 24),
        "submit": plain(tx("slack.modal.submit"), 24),
        "close": plain(tx("slack.modal.cancel"), 24),
        "blocks": [
            {"type": "context", "elements": [mrkdwn(f"Ticket *{number}*")]},
            block,
        ],
    }


def parse_meta(meta: str) -> tuple[int, str | None, str | None]:
    """Read a modal's private_metadata back: ticket id, channel, thread ts."""
    parts = (meta or "").split("|")
    parts += [""] * (3 - len(parts))
    return int(parts[0]), parts[1] or None, parts[2] or None


def ticket_line(ticket: Ticket, company: str = "", tz: str = "America/Sao_Paulo") -> str:
    """One ticket in a listing: number, status, assunto, company, prazo."""
    prazo = tx("slack.cmd.line_prazo", due=when(ticket.due_at, None, tz)) if ticket.due_at else ""
    return tx("slack.cmd.line", critical="🚨 " if ticket.priority == Priority.CRITICAL else "",
              number=ticket.number, status=label("status", ticket.status),
              assunto=esc(ticket.assunto), empresa=esc(company), prazo=prazo)


def ticket_list(title: str, lines: list[str]) -> list[Block]:
    """A titled listing of tickets, one line each (Slack allows 50 blocks)."""
    body = "\n".join(f"• {line}" for line in lines) or tx("slack.cmd.empty")
    return [{"type": "section", "text": mrkdwn(title)},
            {"type": "section", "text": mrkdwn(body)}]


def home_view(counts: dict[str, int], queue: list[str], mine: list[str],
              customer: bool = False) -> Block:
    """The App Home tab: counts, own tickets, and (for agents) the queue."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(tx("slack.home.title"), 150)},
        {"type": "section", "text": mrkdwn(tx("slack.home.counts", **counts))},
        {"type": "divider"},
        *ticket_list(tx("slack.home.mine_customer" if customer else "slack.home.mine"), mine),
    ]
    if not customer:
        blocks += [{"type": "divider"}, *ticket_list(tx("slack.home.queue"), queue)]
    return {"type": "home", "blocks": blocks}


def reply_blocks(reply: Reply) -> list[Block]:
    """One conversation reply: its text, and its choices as buttons carrying the choice id."""
    blocks: list[Block] = [{"type": "section", "text": mrkdwn(esc(reply.text or "…"))}]
    buttons = [{"type": "button", "text": plain(c.label), "action_id": f"{CHOICE}.{i}",
                "value": c.id} for i, c in enumerate(reply.choices)]
    for start in range(0, len(buttons), 25):
        blocks.append({"type": "actions", "elements": buttons[start:start + 25]})
    return blocks


def text_blocks(text: str) -> list[Block]:
    """A plain message as one mrkdwn section."""
    return [{"type": "section", "text": mrkdwn(text)}]
