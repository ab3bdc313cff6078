"""The CSV exports of tickets (R9): the chat's of a listing, one row per ticket with the
columns of the manual's list, and `helpdesk tickets export` with every column. One list of
columns, each with two labels in the reader's language: a machine name (export.col.*, the CLI's,
one word a spreadsheet refers to) and a heading a person reads (export.heading.*, the chat's)."""

from __future__ import annotations

import csv
import io

from core.conversation.fmt import at
from core.conversation.turn import Turn
from core.i18n import label, t
from core.models import Ticket
from core.services.reference import load_catalog

EXPORT_COLUMNS = ("numero", "abertura", "empresa", "solicitante", "tipo", "item", "servico",
                  "versao", "assunto", "prioridade", "status", "responsavel", "prazo_entrega",
                  "justificativa", "encerramento", "decisao", "avaliacao", "comentario_avaliacao",
                  "origem", "faturavel", "cobranca", "orcamento", "valor_orcado")
"""Every column an export of tickets has (`helpdesk tickets export`); export.col.<id> names
each, these ids in pt-BR (one word each: a spreadsheet's reference), and export.heading.<id>
heads it for a person."""
COLUMNS = ("numero", "abertura", "solicitante", "assunto", "prazo_entrega", "responsavel",
           "status", "justificativa", "prioridade", "tipo", "item", "servico", "versao")
"""The chat's export: the listing's columns, in its order."""


def header(columns: tuple[str, ...], lang: str, *, readable: bool = False) -> list[str]:
    """The columns' machine names in a language, or with `readable` their headings."""
    labels = "export.heading" if readable else "export.col"
    return [t(f"{labels}.{column}", lang) for column in columns]


def delimiter(lang: str) -> str:
    """The separator a spreadsheet in the language splits a CSV at: `;` in pt-BR (whose
    decimal mark is the comma), `,` in English."""
    return "," if lang == "en" else ";"


def tickets_csv(turn: Turn, tickets: list[Ticket]) -> bytes:
    """UTF-8 with a BOM, separated as spreadsheets in the reader's language open it."""
    names: dict[int, str] = {}

    def name(user_id: int | None) -> str:
        if not user_id:
            return ""
        if user_id not in names:
            user = turn.ctx.uow.users.get(user_id)
            names[user_id] = user.name if user else ""
        return names[user_id]

    shown = load_catalog(turn.ctx.uow).shown_labels  # stored in pt-BR: as the page shows them
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter(turn.lang), lineterminator="\r\n")
    writer.writerow(header(COLUMNS, turn.lang, readable=True))
    for ticket in tickets:
        writer.writerow([
            ticket.number, at(turn, ticket.opened_at), name(ticket.requester_id),
            safe_cell(ticket.assunto), at(turn, ticket.due_at) if ticket.due_at else "",
            name(ticket.assignee_id), label("status", ticket.status, turn.lang),
            safe_cell(ticket.justificativa or ""), label("priority", ticket.priority, turn.lang),
            *shown(ticket.tipo, ticket.item, ticket.servico, turn.lang),
            safe_cell(ticket.versao or ""),
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def safe_cell(value: str) -> str:
    """Keep a spreadsheet from running a typed text as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
