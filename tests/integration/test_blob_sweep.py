"""FILES_DIR's housekeeping on a real folder and real databases: what a crash left goes, what a
row names (or may name in a moment, on another instance) stays."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fakes.delivery_world import open_ticket, seed
from sqlalchemy import select

from bots.blob_sweep import sweep_files
from bots.blobs import blob_path, store_bytes
from bots.runtime import Desk
from bots.scheduler import Scheduler
from core.services import tramites
from storage.blob_refs import BlobRefs
from storage.job_runs import JobRuns
from storage.outbox_sql import OutboxQueue
from storage.tables import attachments

DAY = 24 * 3600


def aged(path: Path | str, days: float) -> Path:
    """The file with its time moved `days` back, as if written then."""
    moment = time.time() - days * DAY
    os.utime(path, (moment, moment))
    return Path(path)


def crash_leftover(folder: Path, prefix: str, days: float) -> Path:
    """A temporary file as a crash leaves it: written, never renamed nor removed."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix)
    with os.fdopen(fd, "wb") as handle:
        handle.write(b"meio arquivo")
    return aged(name, days)


def test_the_housekeeping_removes_what_a_crash_left_in_files_dir(desk: Desk,
                                                                 tmp_path: Path) -> None:
    """Nothing cleaned FILES_DIR: a .part- or .reply- a crash left stayed for ever, and so did a
    reply's files moved in before its commit failed. The housekeeping removes temporary files
    over a day old and stored files over a week old that no attachment names; a file two
    trâmites share, a file being written, a file stored today stay; jobs status counts them."""
    files = tmp_path / "files"
    people = seed(desk)
    ticket = open_ticket(desk, people.carla)
    shared = store_bytes(files, "log.txt", b"o mesmo log")
    for text in ("Segue o log.", "O log de novo."):
        desk.call(tramites.add_tramite, people.carla, ticket.id, text, [shared])
    orphan = store_bytes(files, "resposta.pdf", b"a resposta cujo commit falhou")
    today = store_bytes(files, "hoje.pdf", b"guardado hoje, sem linha ainda")
    for stored in (shared, orphan):
        aged(blob_path(files, stored.sha256), 8)
    fan = blob_path(files, orphan.sha256).parent
    left = [crash_leftover(fan, ".part-", 2), crash_leftover(fan, ".reply-", 1.5)]
    writing = crash_leftover(fan, ".part-", 0.01)

    engine = desk.store.engine  # type: ignore[attr-defined]
    runs = JobRuns(engine)
    scheduler = Scheduler(desk, queue=OutboxQueue(engine), runs=runs, worker="vm1:10:aaaa",
                          files_dir=str(files))
    asyncio.run(scheduler.housekeeping())

    assert [p.exists() for p in left] == [False, False]
    assert writing.exists()
    assert not blob_path(files, orphan.sha256).exists()
    assert blob_path(files, shared.sha256).read_bytes() == b"o mesmo log"
    assert blob_path(files, today.sha256).exists()
    latest = {(r.job, r.worker): (r.outcome, r.detail) for r in runs.latest(datetime.now(UTC))}
    assert latest[("housekeeping", "vm1:10:aaaa")] == (
        "done", '{"files_temp_removed": 2, "files_unreferenced_removed": 1}')


class Meanwhile(BlobRefs):
    """The database's references, with another instance acting right after the sweep listed
    them (before it removes anything)."""

    def __init__(self, desk: Desk, act: object) -> None:
        super().__init__(desk.store.engine)  # type: ignore[attr-defined]
        self.act = act

    def referenced(self) -> set[str]:
        named = super().referenced()
        self.act()  # type: ignore[operator]
        return named


def test_a_file_another_instance_stores_or_names_meanwhile_is_kept(desk: Desk,
                                                                   tmp_path: Path) -> None:
    """Two instances share FILES_DIR: one sweeping while the other receives the same file
    again (a customer sends the old log anew, its row not committed yet) or commits the row
    naming it (a mail server's retry) must not lose it; the references are asked again at
    the removal, and a file stored again is new again."""
    files = tmp_path / "files"
    people = seed(desk)
    ticket = open_ticket(desk, people.carla)
    again = store_bytes(files, "log.txt", b"o log antigo")
    named = store_bytes(files, "resposta.pdf", b"a resposta reentregue")
    for stored in (again, named):
        aged(blob_path(files, stored.sha256), 30)

    def other_instance() -> None:
        store_bytes(files, "log.txt", b"o log antigo")
        desk.call(tramites.add_tramite, people.carla, ticket.id, "Reenvio.", [named])

    swept = sweep_files(files, Meanwhile(desk, other_instance))
    assert swept.files_unreferenced_removed == 0
    assert blob_path(files, again.sha256).read_bytes() == b"o log antigo"
    assert blob_path(files, named.sha256).read_bytes() == b"a resposta reentregue"
    assert [p.name for p in files.rglob(".*")] == []
    # Its row never came: a week later it goes.
    aged(blob_path(files, again.sha256), 8)
    assert sweep_files(files, BlobRefs(desk.store.engine)  # type: ignore[attr-defined]
                       ).files_unreferenced_removed == 1
    assert not blob_path(files, again.sha256).exists()
    assert blob_path(files, named.sha256).exists()


def test_a_file_in_a_conversations_draft_is_kept(desk: Desk, tmp_path: Path) -> None:
    """A file sent while a ticket is being written is named by no attachment row yet, only
    by the conversation's draft: it stays, however old, while the draft holds it."""
    from core.conversation_state import ConversationState, terminal_key

    files = tmp_path / "files"
    people = seed(desk)
    held = store_bytes(files, "print.png", b"a tela do erro")
    aged(blob_path(files, held.sha256), 8)
    with desk.store() as uow:
        uow.conversations.save(ConversationState(
            key=terminal_key(people.carla), user_id=people.carla, flow="new_ticket",
            step="descricao", data={"attachments": [held.model_dump(mode="json")]},
            updated_at=datetime.now(UTC)))
        uow.commit()
    refs = BlobRefs(desk.store.engine)  # type: ignore[attr-defined]
    assert sweep_files(files, refs).files_unreferenced_removed == 0
    assert blob_path(files, held.sha256).exists()
    with desk.store() as uow:
        uow.conversations.delete(terminal_key(people.carla))
        uow.commit()
    assert sweep_files(files, refs).files_unreferenced_removed == 1


class NoRows:
    """A database naming no file."""

    def referenced(self) -> set[str]:
        return set()

    def is_referenced(self, sha256: str) -> bool:
        return False


def test_a_file_a_crashed_sweep_set_aside_is_put_back(tmp_path: Path) -> None:
    """A sweep that crashed between setting a file aside and removing or restoring it left
    it under .sweep-: the next one puts it back (then judges it as any other)."""
    files = tmp_path / "files"
    stored = store_bytes(files, "log.txt", b"o log")
    target = blob_path(files, stored.sha256)
    aside = target.with_name(f".sweep-{stored.sha256}-0a1b2c3d")
    target.rename(aside)
    aged(aside, 1)
    assert sweep_files(files, NoRows()).files_unreferenced_removed == 0
    assert aside.exists()  # set aside a moment ago: that sweep may still be at it
    swept = sweep_files(files, NoRows(), now=time.time() + 2 * 3600)
    assert swept.files_unreferenced_removed == 0
    assert (target.read_bytes(), aside.exists()) == (b"o log", False)


def test_a_stored_files_lookup_reads_its_rows_by_an_index(desk: Desk) -> None:
    """The sweep asks for each old file no row seemed to name whether one names it now (up to
    1 000 a run) and reads every name once a run: attachments.sha256 had no index, each ask
    read the whole table (85–170 ms at 500 000 attachments, 1 000 of them a minute or two)."""
    engine = desk.store.engine  # type: ignore[attr-defined]
    ask = select(attachments.c.id).where(attachments.c.sha256 == "a" * 64).limit(1)
    every = select(attachments.c.sha256).distinct()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plans = [" ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(q.compile(engine, compile_kwargs={
                    "literal_binds": True})))) for q in (ask, every)]
            assert "ix_attachments_sha256" in plans[0], plans  # SEARCH, not SCAN
            assert "COVERING INDEX ix_attachments_sha256" in plans[1], plans
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # an empty table: any index at all?
            plans = [" ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + str(q.compile(
                engine, compile_kwargs={"literal_binds": True})))) for q in (ask, every)]
            assert "Index Cond: ((sha256)::text =" in plans[0], plans
            assert "Index Only Scan using ix_attachments_sha256" in plans[1], plans
