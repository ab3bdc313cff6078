"""outbox: how many of a row's attempts are known not to have reached the channel

A retried Slack row looks for the post an earlier attempt may have made (bots/slack/once.py).
An attempt the channel answered with a refusal (a 429, an error it returned) posted nothing:
counted in `unposted`, so the retry skips the lookup when every earlier attempt is so known.
`helpdesk outbox retry` keeps the knowledge that an attempt happened (attempts 1, unposted 0).

Revision ID: 0018_outbox_unposted
Revises: 0017_step_refused
Create Date: 2026-12-12 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_outbox_unposted"
down_revision: str | Sequence[str] | None = "0017_step_refused"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add outbox.unposted, 0 for every row."""
    op.add_column("outbox", sa.Column("unposted", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("unposted")
