"""The CSV export of a listing (R9): one row per ticket, the columns of the manual's list."""

from __future__ import annotations

import csv
import io

from core.conversation.fmt import at
from core.conversation.turn import Turn
from core.i18n import label
from core.models import Ticket

COLUMNS = ("number", "opened", "requester", "assunto", "due", "assignee", "status",
           "justificativa", "priority", "tipo", "item", "servico", "versao")


def tickets_csv(turn: Turn, tickets: list[Ticket]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM, as spreadsheets in Brazil open it."""
    names: dict[int, str] = {}

    def name(user_id: int | None) -> str:
        if not user_id:
            return ""
        if user_id not in names:
            user = turn.ctx.uow.users.get(user_id)
            names[user_id] = user.name if user else ""
        return names[user_id]

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([turn.t(f"conv.export.col.{col}") for col in COLUMNS])
    for ticket in tickets:
        writer.writerow([
            ticket.number, at(turn, ticket.opened_at), name(ticket.requester_id),
            safe_cell(ticket.assunto), at(turn, ticket.due_at) if ticket.due_at else "",
            name(ticket.assignee_id), label("status", ticket.status, turn.lang),
            safe_cell(ticket.justificativa or ""), label("priority", ticket.priority, turn.lang),
            ticket.tipo, ticket.item, ticket.servico, safe_cell(ticket.versao or ""),
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def safe_cell(value: str) -> str:
    """Keep a spreadsheet from running a typed text as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
