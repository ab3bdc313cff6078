"""Reference data (catalog, knowledge base) kept by each instance for REFERENCE_CACHE_SECONDS."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from core.catalog import Catalog, default_catalog
from core.ports import UnitOfWork
from core.services.knowledge import add_article, load_articles
from core.services.reference import load_catalog, save_catalog
from storage.sql import SqlStore
from storage.sql.documents import DocumentCache

FULL = default_catalog()
SHORT = Catalog(tipos=[FULL.tipos[0].model_copy(update={"itens": FULL.tipos[0].itens[:1]})])
ALL = len(FULL.tipos[0].itens)


def offered(uow: UnitOfWork) -> int:
    """How many itens the intake offers under the first tipo."""
    return len(load_catalog(uow).tipos[0].itens)


def itens(store: SqlStore) -> int:
    """How many itens the intake of this instance offers now (under the first tipo)."""
    with store() as uow:
        return offered(uow)


def saved(store: SqlStore, catalog: Catalog) -> None:
    with store() as uow:
        save_catalog(uow, catalog)
        uow.commit()


@contextmanager
def instances(db_url: str, seconds: float, clock: Callable[[], float] = time.monotonic
              ) -> Iterator[tuple[SqlStore, SqlStore]]:
    """Two instances of the desk on one database, each with its own engine and cache."""
    a = SqlStore(db_url, reference_cache_seconds=seconds, clock=clock)
    b = SqlStore(db_url, reference_cache_seconds=seconds, clock=clock)
    try:
        yield a, b
    finally:
        a.dispose()
        b.dispose()


def document_reads(store: SqlStore) -> list[str]:
    """Every SELECT of the documents table the store sends from now on."""
    seen: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "documents" in statement:
            seen.append(statement)

    return seen


def test_a_catalog_saved_on_one_instance_reaches_another_within_the_cache_time(
    db_url: str,
) -> None:
    # The caches' clock moves only when the story says so: a busy machine taking a second
    # between two reads cannot expire b's copy early.
    now = [0.0]
    with instances(db_url, 1.0, clock=lambda: now[0]) as (a, b):
        assert itens(b) == ALL > 1
        saved(a, SHORT)
        assert itens(a) == 1, "the instance that saved it offers the new catalog at once"
        assert itens(b) == ALL, "the other one still offers what it read"
        now[0] += 1.05
        assert itens(b) == 1


def test_a_save_is_read_back_in_its_own_transaction_and_by_the_next_one(db_url: str) -> None:
    with instances(db_url, 60) as (a, _):
        assert itens(a) == ALL
        with a() as uow:
            save_catalog(uow, SHORT)
            assert offered(uow) == 1
            uow.commit()
            assert offered(uow) == 1
        assert itens(a) == 1
        with a() as uow:
            add_article(uow, "pdv-trava", "---\ntitle: PDV trava\ntags: [pdv]\n---\nReinicie.")
            assert [x.slug for x in load_articles(uow)][-1] == "pdv-trava"
            uow.commit()
        with a() as uow:
            assert "pdv-trava" in [x.slug for x in load_articles(uow)]


def test_a_rolled_back_save_is_seen_by_no_one(db_url: str) -> None:
    with instances(db_url, 60) as (a, b):
        assert itens(a) == itens(b) == ALL
        with a() as uow:
            save_catalog(uow, SHORT)
            assert offered(uow) == 1
            if not db_url.startswith("sqlite"):  # SQLite runs one transaction at a time
                assert itens(a) == ALL, "another chat of this instance reads no unsaved change"
            uow.rollback()
            assert offered(uow) == ALL
        with a() as uow:
            save_catalog(uow, SHORT)  # left without commit
        assert itens(a) == itens(b) == ALL
        with b() as uow:
            assert uow.documents.get("catalog") is None


def test_with_no_cache_time_every_transaction_reads_the_database(db_url: str) -> None:
    with instances(db_url, 0) as (a, b):
        reads = document_reads(b)
        assert itens(b) == ALL
        saved(a, SHORT)
        assert itens(b) == 1
        assert len(reads) == 2
    with instances(db_url, 5) as (_, b):
        reads = document_reads(b)
        assert [itens(b) for _ in range(3)] == [1, 1, 1]
        assert len(reads) == 1


def test_each_transaction_gets_its_own_copy_of_a_kept_document(db_url: str) -> None:
    with instances(db_url, 60) as (a, _):
        saved(a, SHORT)
        with a() as uow:
            first = uow.documents.get("catalog")
            assert first is not None
            first["tipos"].clear()
        assert itens(a) == 1


def test_a_read_under_way_when_the_store_saves_is_not_kept() -> None:
    """A read that began before a save committed (and may have found the old value) is not
    kept past that save: the store's next transaction reads the database."""
    now = [100.0]
    cache = DocumentCache(5, clock=lambda: now[0])
    started = cache.start_read()
    cache.forget(["catalog"])
    cache.fill("catalog", {"old": True}, started)
    assert cache.get("catalog") == (False, None)
    cache.fill("catalog", {"new": True}, cache.start_read())
    assert cache.get("catalog") == (True, '{"new": true}')
    now[0] = 104.9
    assert cache.get("catalog")[0] is True
    now[0] = 105.0
    assert cache.get("catalog") == (False, None)
