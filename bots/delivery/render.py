"""A notification's words: core's message catalog, or a plain pt-BR line when it has none."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

_FALLBACK = {
    "ticket.registered": ("Ticket registrado",
                          "Seu ticket {number} foi registrado: {assunto}."),
    "ticket.tramite": ("Novo trâmite", "Novo trâmite no ticket {number} ({author}):\n{text}"),
    "ticket.status": ("Ticket atualizado", "O ticket {number} foi atualizado: {event}."),
    "ticket.approval_requested": (
        "Solução aguardando sua aprovação",
        "O ticket {number} tem uma solução e aguarda sua aprovação:\n{solution}"),
    "ticket.approval_reminder": (
        "Lembrete: aprovação pendente",
        "O ticket {number} aguarda sua aprovação há {day} dias. Sem resposta, ele será "
        "encerrado como aprovado em {days_left} dias."),
    "ticket.auto_closed": ("Ticket encerrado",
                           "O ticket {number} foi encerrado como aprovado após {days} dias "
                           "sem resposta."),
    "ticket.billing_prompt": ("Autorização de cobrança",
                              "O atendimento do ticket {number} não é coberto pelo contrato "
                              "({origin}) e precisa da sua autorização."),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def fallback(kind: str, params: dict[str, Any]) -> tuple[str, str]:
    """A plain pt-BR subject and text for a notification kind."""
    subject, text = _FALLBACK.get(kind, ("Notificação do suporte",
                                         "Ticket {number}: {assunto} ({status})."))
    values = _Blank({k: v for k, v in params.items() if v is not None})
    return subject.format_map(values), text.format_map(values)


def render(kind: str, params: dict[str, Any], language: str | None = None) -> tuple[str, str]:
    """The (subject, text) of a notification in the person's language."""
    lang = language or params.get("language") or "pt_BR"
    try:
        from core.i18n import render_notification
    except ImportError:
        return fallback(kind, params)
    try:
        subject, text = render_notification(kind, params, lang)
    except (LookupError, ValueError, TypeError, OSError) as exc:
        log.warning("no catalog text for notification %s (%s); using the plain one", kind, exc)
        return fallback(kind, params)
    return subject, text
