"""entries: a solution's line keeps whether it went by its prazo (R13)

The report judged each solution sent ("approval_requested") by its ticket's prazo as it is
today; the prazo moves after the fact (a priority changed, a Não aprovar's wait, a workaround),
so a solution sent late could later count as on time, and a month's report changed when read
again. closing.request_approval now writes the judgement in the line ("approval_requested
prazo=on_time" / "prazo=late"); the lines already there get today's comparison, the best there
is. ix_entries_report_events is made again over the new texts (its condition is the report's).

Revision ID: 0030_solution_judged_when_sent
Revises: 0029_email_changes
Create Date: 2026-12-07 03:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_solution_judged_when_sent"
down_revision: str | Sequence[str] | None = "0029_email_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ON_TIME = "approval_requested prazo=on_time"
LATE = "approval_requested prazo=late"
EVENTS_WHERE = ("kind = 'sistema' AND (\"text\" IN ('approval_requested', "
                f"'{ON_TIME}', '{LATE}') OR "
                "\"text\" LIKE 'nao_aprovado %' OR \"text\" LIKE 'rated %')")
"""storage.tables.REPORT_EVENTS_WHERE as of this revision (a migration never reads the live
module)."""
OLD_WHERE = ("kind = 'sistema' AND (\"text\" = 'approval_requested' OR "
             "\"text\" LIKE 'nao_aprovado %' OR \"text\" LIKE 'rated %')")
"""0025's."""


def upgrade() -> None:
    """Judge the solution lines already written by their ticket's prazo of today; make
    ix_entries_report_events over the new texts."""
    op.execute(sa.text(
        "UPDATE entries SET \"text\" = CASE WHEN EXISTS (SELECT 1 FROM tickets"
        " WHERE tickets.id = entries.ticket_id AND entries.created_at <= tickets.due_at)"
        " THEN :on_time ELSE :late END"
        " WHERE kind = 'sistema' AND \"text\" = 'approval_requested'"
    ).bindparams(on_time=ON_TIME, late=LATE))
    _index(EVENTS_WHERE)


def downgrade() -> None:
    """The solution lines lose their judgement; 0025's index again."""
    op.execute(sa.text(
        "UPDATE entries SET \"text\" = 'approval_requested'"
        " WHERE kind = 'sistema' AND \"text\" IN (:on_time, :late)"
    ).bindparams(on_time=ON_TIME, late=LATE))
    _index(OLD_WHERE)


def _index(where: str) -> None:
    op.drop_index("ix_entries_report_events", table_name="entries")
    op.create_index("ix_entries_report_events", "entries", ["created_at"],
                    sqlite_where=sa.text(where), postgresql_where=sa.text(where))
