"""Tables of outbox delivery beyond storage.tables: rate-limit buckets and the live instances."""

from __future__ import annotations

from sqlalchemy import Column, Float, String, Table

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
