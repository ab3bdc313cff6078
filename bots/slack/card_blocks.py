"""The ticket card's blocks: what the ticket is, where it stands, its buttons (the agents'
card) or none (the customer's); pure functions from core data to Slack JSON."""

from __future__ import annotations

from bots.slack.buttons import action_blocks
from bots.slack.cards import CardData
from bots.slack.text import MRKDWN, Block, clip, esc, file_list, mrkdwn, plain, verbatim
from core.conversation.fmt import prazo_note, priority_text
from core.i18n import label, normalize_language, t, then_line, when
from core.markdown_text import agent_text
from core.models import Status, Ticket
from core.services.billing import charge_answer

DESCRICAO_PREVIEW = 500


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
        _field("classificacao", esc(card.classification.get(normalize_language(lang))
                                    or f"{ticket.tipo} / {ticket.item} / {ticket.servico}"), lang),
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
    if ticket.rating is not None and ticket.rating_comment:  # the customer's words (R20)
        comment = verbatim(clip(ticket.rating_comment, DESCRICAO_PREVIEW))
        blocks.append({"type": "context", "elements": [
            mrkdwn(t("slack.card.rating_comment", lang, text=comment))]})
    if internal and ticket.unreachable_telegram:
        blocks.append({"type": "context",
                       "elements": [mrkdwn(t("slack.card.telegram_unreachable", lang,
                                          then=then_line(card.telegram_fallback, lang)))]})
    shown = card.attachments if internal else card.public_attachments
    if shown:
        files = file_list(shown, lang)
        blocks.append({"type": "context",
                       "elements": [mrkdwn(t("slack.card.anexos", lang, files=files))]})
    if actions:
        blocks.extend(action_blocks(card, lang))
    return blocks


def customer_card(card: CardData, tz: str = "America/Sao_Paulo", lang: str | None = None,
                  ) -> list[Block]:
    """The card as a customer may see it: no buttons, no internal classification."""
    return ticket_card(card, tz, actions=False, internal=False, lang=lang)

