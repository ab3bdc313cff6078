"""The benchmark's bulk generator: what it makes must not drift while its loader gets faster."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from bench.bulk import STATS_FROM_BATCH, Generator, batch_stats

GOLDEN = "658e6c0e46815b2e9246b503275a30e2ab3b31edd73bb15cf4d2d738cb72257c"
"""The digest of the rows below as the generator made them before its loader was reworked:
the growth figures compare sizes of the same data, run after run."""


def test_the_generated_rows_are_the_ones_the_figures_were_measured_on() -> None:
    gen = Generator(now=datetime(2026, 12, 4, 14, 0, tzinfo=UTC), due=5)
    digest = hashlib.sha256()
    for n in (200, 1000):
        batch = gen.batch(n)
        for rows in (batch.companies, batch.users, batch.links, batch.tickets):
            digest.update(repr(rows).encode())
    digest.update(repr((gen.counters, gen.texts, gen.roots)).encode())
    assert digest.hexdigest() == GOLDEN


def test_batch_stats_count_what_the_group_by_counts() -> None:
    """batch_stats() is STATS_FROM_BATCH's GROUP BY done in Python: same rows."""
    import sqlite3

    gen = Generator(now=datetime(2026, 12, 4, 14, 0, tzinfo=UTC), due=5)
    batch = gen.batch(3000)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE tickets (id integer, company_id integer, requester_id integer, "
               "status text)")
    db.execute("CREATE TABLE ticket_stats (company_id integer, requester_id integer, "
               "status text, n integer, PRIMARY KEY (company_id, requester_id, status))")
    db.executemany("INSERT INTO tickets VALUES (?, ?, ?, ?)",
                   [(r[0], r[4], r[5], r[14]) for r in batch.tickets])
    db.execute(STATS_FROM_BATCH.replace("%s", "?"), (1, 1))
    assert sorted(db.execute("SELECT * FROM ticket_stats")) == sorted(batch_stats(batch))
    assert {r[1] for r in batch_stats(batch)} > {0}
