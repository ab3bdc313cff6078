"""The benchmark's bulk generator: what it makes must not drift while its loader gets faster."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.bulk import COLUMNS, STATS_FROM_BATCH, Generator, batch_stats

GOLDEN = "658e6c0e46815b2e9246b503275a30e2ab3b31edd73bb15cf4d2d738cb72257c"
"""The digest of the rows below as the generator made them before its loader was reworked:
the growth figures compare sizes of the same data, run after run. taken_at (0032), filled
since, is left out of it: the rows are otherwise the same, and test_taken_at checks it."""
COL = {name: i for i, name in enumerate(COLUMNS)}


def test_the_generated_rows_are_the_ones_the_figures_were_measured_on() -> None:
    gen = Generator(now=datetime(2026, 12, 4, 14, 0, tzinfo=UTC), due=5)
    digest = hashlib.sha256()
    taken = COL["taken_at"]
    for n in (200, 1000):
        batch = gen.batch(n)
        tickets = [row[:taken] + row[taken + 1:] for row in batch.tickets]
        for rows in (batch.companies, batch.users, batch.links, tickets):
            digest.update(repr(rows).encode())
    digest.update(repr((gen.counters, gen.texts, gen.roots)).encode())
    assert digest.hexdigest() == GOLDEN


def test_taken_at_is_the_take_of_an_open_ticket_with_someone() -> None:
    """tickets.taken_at (0032) is when the responsible got the ticket, what Assumir o
    próximo's double-press guard reads by ix_tickets_taken_by; the generator left it empty,
    so at every size that index held nothing. An open ticket with someone has its one take's
    moment, as 0032 backfilled them; a closed, rejected or unassigned one none."""
    rows = Generator(now=datetime(2026, 12, 4, 14, 0, tzinfo=UTC), due=5).batch(3000).tickets
    assert len(COLUMNS) + 1 == len(rows[0])  # then the text's index in the pool
    held = [r for r in rows if r[COL["assignee_id"]] is not None
            and r[COL["status"]] not in ("encerrado", "rejeitado")]
    assert len(held) > 200
    assert all(r[COL["taken_at"]] == r[COL["assigned_at"]] is not None for r in held)
    assert all(r[COL["taken_at"]] is None for r in rows if r not in held)


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


def test_the_sqlite_load_leaves_the_database_as_the_desk_uses_it(tmp_path: Path) -> None:
    """The load sets the journal, the foreign keys and the sync aside; all come back, and the
    rows, their full-text index and the counts are there."""
    from bench.bulk import Phases, load_sqlite
    from storage.engine import make_engine
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'bulk.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        gen = Generator(now=datetime(2026, 12, 4, 14, 0, tzinfo=UTC), due=5)
        batch = gen.batch(1000)
        load_sqlite(engine, batch, Phases())
        with engine.connect() as conn:
            pragma = conn.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert pragma("PRAGMA foreign_key_check").all() == []
            assert pragma("SELECT count(*) FROM tickets").scalar() == 1000
            word = batch.tickets[0][10].split()[0]
            found = pragma("SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH ?",
                           (f'"{word}"',)).scalar()
            assert found >= 1
            assert pragma("SELECT sum(n) FROM ticket_stats WHERE requester_id = 0").scalar() == 1000
    finally:
        engine.dispose()


def test_a_batch_read_back_from_its_file_is_the_batch(tmp_path: Path) -> None:
    from bench.bulk import read_batch, write_batch

    batch = Generator(now=datetime(2026, 12, 4, 14, 0, tzinfo=UTC), due=5).batch(500)
    write_batch(batch, str(tmp_path / "rows"))
    back = read_batch(str(tmp_path / "rows"))
    assert back == batch
    assert [type(v) for v in back.tickets[0]] == [type(v) for v in batch.tickets[0]]


def test_every_database_loads_the_rows_it_would_have_generated_and_they_are_made_once() -> None:
    """Two databases' loads share one generation: each step's rows, and the generator after
    it, are what a generator of their own would have made."""
    import threading

    from bench.bulk import read_batch
    from bench.context import SCALES, Bench
    from bench.growth import Batches
    from bench.results import Report

    now = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    bench = Bench(SCALES["tiny"], Report({}, ""), ["sqlite", "postgres"])
    own = Generator(now=now, due=5)
    expected = [own.batch(200), own.batch(800)]
    seen: list[tuple[list[str], list[Any], Generator]] = []

    def database() -> None:
        with Batches.shared(bench, now, 5, [200, 800]) as batches:
            steps = [batches.step(i) for i in (0, 1)]
            seen.append(([p for p, _ in steps], [read_batch(p) for p, _ in steps], steps[1][1]))

    threads = [threading.Thread(target=database) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 2
    assert seen[0][0] == seen[1][0]  # the same files: generated once
    assert seen[0][1] == seen[1][1] == expected
    for _, _, after in seen:
        assert (after.counters, after.texts, after.ticket_id) == (own.counters, own.texts,
                                                                  own.ticket_id)
    assert seen[0][2] is not seen[1][2]  # each database its own generator
    assert not any(os.path.exists(p) for p in seen[0][0])  # gone after the last load
    assert bench.cache == {}
