"""job_runs: each instance's latest run of each timed job

With several instances the sweeps run on each scheduler, one of them acting at a time: an
operator could only tell from every instance's log whether they ran. `helpdesk jobs status`
reads this table.

Revision ID: 0020_job_runs
Revises: 0019_outbox_workers
Create Date: 2026-12-06 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_job_runs"
down_revision: str | Sequence[str] | None = "0019_outbox_workers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add job_runs."""
    op.create_table(
        "job_runs",
        sa.Column("job", sa.String(50), nullable=False),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("job", "worker", name="pk_job_runs"),
    )


def downgrade() -> None:
    """Drop job_runs."""
    op.drop_table("job_runs")
