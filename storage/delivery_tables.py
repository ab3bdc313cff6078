"""Tables of outbox delivery beyond storage.tables: the shared rate-limit buckets."""

from __future__ import annotations

from sqlalchemy import Column, Float, String, Table

from storage.tables import metadata

rate_buckets = Table(
    "rate_buckets",
    metadata,
    Column("key", String(300), primary_key=True),
    # The theoretical arrival time (GCRA) in epoch seconds: nothing may go on this key before it.
    Column("tat", Float, nullable=False),
)
"""One row per rate-limited key: a whole channel ("channel:telegram") or one destination."""
