"""The chat bursts' CPU per update by group of processes, the database's among them."""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import closing

import psycopg
from sqlalchemy.engine import make_url

from bench.cpu import CpuMeter
from bench.dbs import backends

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n" \
       "print('done', flush=True)\ntime.sleep(60)"


def test_a_process_found_at_stop_counts_whole_and_one_gone_is_left_out() -> None:
    """A group found when the meter starts and stops: a process that started meanwhile counts
    all its CPU; one that ended meanwhile does not drop the whole group."""
    found: list[int] = []
    meter = CpuMeter({"found": lambda: list(found), "fixed": []})
    gone = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    found.append(gone.pid)
    meter.start()
    gone.kill()
    gone.wait()
    burner = subprocess.Popen([sys.executable, "-c", BURN], stdout=subprocess.PIPE, text=True)
    try:
        assert burner.stdout is not None
        assert burner.stdout.readline() == "done\n"
        found.append(burner.pid)
        used = meter.stop()
    finally:
        burner.kill()
        burner.communicate()
    assert used["fixed"] == 0.0
    assert 0.25 <= used["found"] < 2.0


def test_the_database_group_is_the_server_processes_serving_the_runs_connections(
        db_url: str) -> None:
    """On PostgreSQL the backends of the bench's database are measured, those that connect
    during the run too; on SQLite there is no such group."""
    find = backends(db_url)
    if make_url(db_url).get_backend_name() == "sqlite":
        assert find is None
        return
    assert find is not None
    meter = CpuMeter({"database": find})
    meter.start()
    plain = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with closing(psycopg.connect(plain, autocommit=True)) as conn:
        started = time.process_time()
        conn.execute("SELECT sum(i) FROM generate_series(1, 3000000) AS i").fetchone()
        ours = time.process_time() - started
        used = meter.stop()
    assert used["database"] >= 0.1  # the server's work, not ours:
    assert ours < 0.05
