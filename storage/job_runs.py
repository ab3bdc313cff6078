"""Each instance's latest run of each timed job, for `helpdesk jobs status`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.delivery_tables import job_runs
from storage.engine import turn

FORGET = timedelta(days=1)
"""A run older than this is removed with its instance's next one: the instance is gone."""


@dataclass(frozen=True)
class JobRun:
    """One instance's latest run of one job."""

    job: str
    worker: str
    ran_at: datetime
    outcome: str
    """done, skipped (another instance held the job's lock), recent (another instance did it
    lately; `detail` names it) or failed."""
    detail: str


class JobRuns:
    """The job_runs table over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, job: str, worker: str, at: datetime, outcome: str, detail: str) -> None:
        """Keep this run as the instance's latest of the job."""
        with turn(self.engine), self.engine.begin() as conn:
            record_in(conn, job, worker, at, outcome, detail)

    def latest(self, now: datetime) -> list[JobRun]:
        """The runs of the last day, by job, the latest first."""
        with turn(self.engine), self.engine.connect() as conn:
            rows = conn.execute(select(job_runs).where(job_runs.c.ran_at > now - FORGET)
                                .order_by(job_runs.c.job, job_runs.c.ran_at.desc())).all()
        return [JobRun(r.job, r.worker, r.ran_at, r.outcome, r.detail) for r in rows]


def record_in(conn: Connection, job: str, worker: str, at: datetime, outcome: str,
              detail: str) -> None:
    """JobRuns.record in the caller's transaction (the job's own, under its lock)."""
    values = {"job": job, "worker": worker[:200], "ran_at": at, "outcome": outcome,
              "detail": detail[:2000]}
    ins: Any = (postgresql.insert(job_runs) if conn.dialect.name == "postgresql"
                else sqlite.insert(job_runs)).values(**values)
    ins = ins.on_conflict_do_update(
        index_elements=[job_runs.c.job, job_runs.c.worker],
        set_={k: v for k, v in values.items() if k not in ("job", "worker")})
    conn.execute(ins)
    conn.execute(delete(job_runs).where(job_runs.c.ran_at < at - FORGET))


def done_since(conn: Connection, job: str, since: datetime) -> str | None:
    """The instance that last did the job after `since`, if any (in the caller's transaction)."""
    return conn.execute(select(job_runs.c.worker).where(
        job_runs.c.job == job, job_runs.c.outcome == "done", job_runs.c.ran_at > since)
        .order_by(job_runs.c.ran_at.desc()).limit(1)).scalar()
