"""Tables of `helpdesk run` beyond storage.tables: rate-limit buckets, the live instances and
their timed jobs."""

from __future__ import annotations

from sqlalchemy import Column, Float, String, Table, Text

from storage.tables import metadata
from storage.types import UtcDateTime

rate_buckets = Table(
    "rate_buckets",
    metadata,
    Column("key", String(300), primary_key=True),
    # The theoretical arrival time (GCRA) in epoch seconds: nothing may go on this key before it.
    Column("tat", Float, nullable=False),
)
"""One row per rate-limited key: a whole channel ("channel:telegram") or one destination."""

outbox_workers = Table(
    "outbox_workers",
    metadata,
    Column("worker", String(200), primary_key=True),
    # The channels it has a sender for, comma-separated ("email,slack,telegram").
    Column("channels", String(200), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("seen_at", UtcDateTime, nullable=False),
    # Set by a clean stop; a killed instance only stops beating.
    Column("stopped_at", UtcDateTime),
)
"""One row per dispatcher (one per `helpdesk run`), its heartbeat: a channel's rows fail only
when no instance seen lately can send them."""

job_runs = Table(
    "job_runs",
    metadata,
    Column("job", String(50), primary_key=True),
    Column("worker", String(200), primary_key=True),
    Column("ran_at", UtcDateTime, nullable=False),
    # done, skipped (another instance held the job's lock) or failed
    Column("outcome", String(20), nullable=False),
    # What it did ("invites_removed=3"), or the error of a failed run.
    Column("detail", Text, nullable=False),
)
"""Each instance's latest run of each timed job (`helpdesk jobs status`)."""
