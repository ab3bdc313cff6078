"""R8 search cut to a company or a requester (SQLite: the scope column of migration 0004)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool
from storage_world import T0, World

from core.ports import TicketQuery
from storage.engine import make_engine
from storage.migrate import downgrade, upgrade
from storage.sql import SqlStore


class Searches(World):
    """The storage tests' world, plus committed edits and searches."""

    def opened(self, company: int, requester: int, assunto: str, descricao: str = "") -> int:
        """Open and commit a ticket; its id."""
        ticket = self.open_committed(company=company, requester=requester, assunto=assunto,
                                     descricao=descricao)
        return int(ticket.id or 0)

    def change(self, ticket_id: int, **fields: Any) -> None:
        """Update some of a ticket's fields and commit."""
        with self.store() as uow:
            ticket = uow.tickets.get(ticket_id)
            for name, value in fields.items():
                setattr(ticket, name, value)
            uow.tickets.update(ticket)
            uow.commit()

    def search(self, text: str, **scope: Any) -> list[int]:
        """The ids a search finds (checking that count agrees)."""
        with self.store() as uow:
            q = TicketQuery(text=text, limit=50, **scope)
            found = [t.id for t in uow.tickets.list(q)]
            assert uow.tickets.count(q) == len(found)
            return sorted(found)


def test_r8_company_search_finds_only_its_tickets_and_follows_moves_and_edits(
    store: Any,
) -> None:
    desk = Searches(store)
    a1 = desk.opened(desk.a, desk.carla, "Nota fiscal rejeitada", "SEFAZ recusou")
    a2 = desk.opened(desk.a, desk.joao, "Nota fiscal de devolução")
    a3 = desk.opened(desk.a, desk.carla, "Pedido não confirma")
    b1 = desk.opened(desk.b, desk.rita, "Nota fiscal rejeitada", "SEFAZ recusou")
    assert desk.search("nota fisc", company_id=desk.a) == [a1, a2]
    assert desk.search("nota fisc", company_id=desk.b) == [b1]
    assert desk.search("nota fisc", requester_id=desk.carla) == [a1]
    assert desk.search("nota fisc", company_id=desk.a, requester_id=desk.joao) == [a2]
    assert desk.search("nota fisc") == [a1, a2, b1]
    assert desk.search("pedido", company_id=desk.b) == []
    # The scope is not text: its tokens are never found by what a user types.
    assert desk.search(f"c{desk.a}") == desk.search(f"r{desk.carla}") == []

    desk.change(b1, company_id=desk.a, requester_id=desk.joao)
    desk.change(a2, assunto="Pedido travado")
    assert desk.search("nota fisc", company_id=desk.a) == [a1, b1]
    assert desk.search("nota fisc", company_id=desk.b) == []
    assert desk.search("nota fisc", requester_id=desk.joao) == [b1]
    assert desk.search("sefaz", requester_id=desk.rita) == []
    assert desk.search("pedido", company_id=desk.a) == [a2, a3]
    assert desk.search("devolucao", company_id=desk.a) == []


def _people_then_downgrade(url: str, revision: str) -> Searches:
    """The storage tests' companies and people, written at head, the schema then taken back to
    revision (the current code writes columns an earlier schema lacks)."""
    upgrade(url)
    store = SqlStore(url)
    try:
        desk = Searches(store)
    finally:
        store.dispose()
    downgrade(url, revision)
    return desk


def _insert_old(url: str, seq: int, company: int, requester: int, assunto: str,
                descricao: str = "") -> int:
    """Insert a ticket as the code of an earlier revision did (only the columns it had)."""
    row = {"period": "202611", "seq": seq, "number": f"202611/{seq:04d}", "company_id": company,
           "requester_id": requester, "tipo": "varejo", "item": "suporte", "servico": "vendas",
           "assunto": assunto, "descricao": descricao, "priority": "padrao", "status": "novo",
           "opened_at": T0, "updated_at": T0, "reminders_sent": 0, "due_warnings_sent": 0,
           "first_response_flagged": False, "billable": False, "unreachable_telegram": False}
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            old = sa.Table("tickets", sa.MetaData(), autoload_with=conn)
            values = {k: v for k, v in row.items() if k in old.c}
            return int(conn.execute(old.insert().values(values).returning(old.c.id)).scalar_one())
    finally:
        engine.dispose()


def _fts_ids(url: str, match: str) -> list[int]:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
        rows = conn.execute("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?", (match,))
        return sorted(r[0] for r in rows)


def test_r8_scoped_search_index_is_filled_by_the_migration_and_undone_by_downgrade(
    empty_db_url: str,
) -> None:
    url = empty_db_url
    desk = _people_then_downgrade(url, "0003_telegram")
    a1 = _insert_old(url, 1, desk.a, desk.carla, "Nota fiscal rejeitada")
    b1 = _insert_old(url, 2, desk.b, desk.rita, "Nota fiscal rejeitada")
    upgrade(url)
    desk.store = store = SqlStore(url)
    try:
        assert desk.search("nota fisc", company_id=desk.a) == [a1]
        assert desk.search("nota fisc", requester_id=desk.rita) == [b1]
    finally:
        store.dispose()
    downgrade(url, "0003_telegram")
    if url.startswith("sqlite"):
        assert _fts_ids(url, '"nota fisc"*') == [a1, b1]
    upgrade(url)
    desk.store = store = SqlStore(url)
    try:
        assert desk.search("nota fisc", company_id=desk.b) == [b1]
    finally:
        store.dispose()


def test_r8_word_roots_are_filled_by_the_migration_and_undone_by_downgrade(
    empty_db_url: str,
) -> None:
    """Tickets opened before migration 0010 find their words' other forms after it, and
    follow edits; a downgrade leaves the texts' index without roots, an upgrade fills it."""
    url = empty_db_url
    desk = _people_then_downgrade(url, "0009_link_failures")
    rejeitada = _insert_old(url, 1, desk.a, desk.carla, "Nota fiscal rejeitada")
    emissao = _insert_old(url, 2, desk.b, desk.rita, "Erro no caixa", "Falha na emissão")
    upgrade(url)
    desk.store = store = SqlStore(url)
    try:
        assert desk.search("rejeição") == [rejeitada]
        assert desk.search("rejeicao", requester_id=desk.carla) == [rejeitada]
        assert desk.search("emitir", company_id=desk.b) == [emissao]
        desk.change(emissao, descricao="Cupom cancelado")
        assert desk.search("emitir") == []
        assert desk.search("cancelamento") == [emissao]
    finally:
        store.dispose()
    downgrade(url, "0009_link_failures")
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if url.startswith("sqlite"):
                columns = conn.exec_driver_sql("PRAGMA table_info(tickets_fts)").all()
                assert [c[1] for c in columns] == ["number", "assunto", "descricao", "scope"]
            else:
                assert conn.exec_driver_sql(
                    "SELECT count(*) FROM tickets WHERE search::text LIKE '%%''~%%'"
                ).scalar_one() == 0
        assert "search_roots" not in [c["name"] for c in sa.inspect(engine).get_columns("tickets")]
    finally:
        engine.dispose()
    if url.startswith("sqlite"):
        assert _fts_ids(url, '"rejeitada"*') == [rejeitada]
    upgrade(url)
    desk.store = store = SqlStore(url)
    try:
        assert desk.search("cancelada") == [emissao]
        assert desk.search("rejeitado", company_id=desk.a) == [rejeitada]
    finally:
        store.dispose()


def test_r8_a_tabs_search_follows_status_changes_and_the_index_holds_no_status(
    empty_db_url: str,
) -> None:
    """A search in a tab finds the tickets in it now, after moves between tabs, edits and a
    deletion; on SQLite the full-text index's scope held each ticket's status after 0015 ("s"
    and the status without underscores) and holds none after 0016, which a downgrade to 0015
    puts back."""
    from core.models import Status, Tab

    url = empty_db_url
    desk = _people_then_downgrade(url, "0014_slack_opened_cards")
    old = _insert_old(url, 900, desk.a, desk.carla, "Nota fiscal rejeitada")
    upgrade(url, "0015_fts_status")
    if url.startswith("sqlite"):
        assert _fts_ids(url, 'scope : "snovo"') == [old]
    upgrade(url)
    desk.store = store = SqlStore(url)
    try:
        a = desk.opened(desk.a, desk.joao, "Nota de devolução")
        b = desk.opened(desk.b, desk.rita, "Nota fiscal travada")
        gone = desk.opened(desk.b, desk.rita, "Nota sem número")
        desk.change(a, status=Status.AWAITING_APPROVAL)
        desk.change(b, status=Status.IN_PROGRESS, assunto="Nota fiscal em análise")
        with desk.store() as uow:
            uow.connection.execute(sa.text("DELETE FROM tickets WHERE id = :id"), {"id": gone})
            uow.commit()
        tabs = {tab: desk.search("nota", tab=tab) for tab in Tab}
        assert tabs[Tab.NEW] == [old]
        assert tabs[Tab.AWAITING_APPROVAL] == [a]
        assert tabs[Tab.IN_PROGRESS] == [b]
        assert tabs[Tab.ALL] == [old, a, b]
        assert desk.search("nota", tab=Tab.AWAITING_APPROVAL, company_id=desk.a) == [a]
        assert desk.search("nota", tab=Tab.AWAITING_APPROVAL, company_id=desk.b) == []
        desk.change(a, status=Status.NEW)
        assert desk.search("nota", tab=Tab.NEW) == [old, a]
        assert desk.search("nota", tab=Tab.AWAITING_APPROVAL) == []
    finally:
        store.dispose()
    if url.startswith("sqlite"):
        assert _fts_ids(url, 'scope : "snovo"') == []
        assert _fts_ids(url, f'scope : "c{desk.a}"') == [old, a]
    downgrade(url, "0015_fts_status")
    if url.startswith("sqlite"):
        assert _fts_ids(url, 'scope : "snovo"') == [old, a]
        assert _fts_ids(url, 'scope : "sematendimento"') == [b]
    upgrade(url)
    if url.startswith("sqlite"):
        assert _fts_ids(url, 'scope : "snovo"') == []
        assert _fts_ids(url, f'scope : "c{desk.b}" AND nota') == [b]


def _fts_segments(url: str) -> list[tuple[int, bytes]]:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
        return conn.execute("SELECT id, block FROM tickets_fts_data ORDER BY id").fetchall()


def test_a_status_change_leaves_the_full_text_index_as_it_was(empty_db_url: str) -> None:
    """Closing or moving a ticket writes nothing to SQLite's full-text index (0016): each
    rewrite of a ticket's row there flushed a segment and merged, which made the auto-close
    sweep cost what the index holds (5.9 s at 1 000 000 tickets); its search still follows."""
    from core.models import Status, Tab

    url = empty_db_url
    desk = _people_then_downgrade(url, "0014_slack_opened_cards")
    upgrade(url)
    desk.store = store = SqlStore(url)
    try:
        a = desk.opened(desk.a, desk.joao, "Nota de devolução")
        before = _fts_segments(url) if url.startswith("sqlite") else []
        desk.change(a, status=Status.IN_PROGRESS)
        desk.change(a, status=Status.CLOSED)
        if url.startswith("sqlite"):
            assert _fts_segments(url) == before
        assert desk.search("nota", tab=Tab.CLOSED) == [a]
        assert desk.search("nota", tab=Tab.NEW) == []
    finally:
        store.dispose()


CORPUS = [
    ("Emissão de NF-e rejeitada", "Faturamento / Notas: rejeição 539 na nota fiscal 10125"),
    ("Nota fiscal de devolução", "Fiscalização pediu o XML da nota; configuração do certificado"),
    ("Configuração da impressora fiscal", "A impressora não imprime o cupom fiscal eletrônico"),
    ("Pedido não confirma", "Vendas / Pedidos: erro ao emitir o cupom no caixa 3"),
    ("Estoque divergente", "Balanço de estoque: a configuração do inventário mudou"),
    ("Relatório financeiro", "Financeiro / Contas a receber: títulos em aberto duplicados"),
]
"""Texts where a word and its longer relatives meet (fisc-al/-alização, config-uração…)."""

QUERIES = [
    "fiscal", "fiscaliz", "fiscalização", "fisc", "fis", "f", "nota fiscal", "nota fiscais",
    "configuracao", "configuração do", "configur", "impressora", "impressoras", "imprime",
    "emissao", "emissão nf-e", "nf-e", "nfe", "rejeicao 539", "cupom fiscal", "cupom fiscal el",
    "fiscal eletronico", "financeiro", "financeira", "contas receber", "a receber", "titulos",
    "títulos em aberto", "inventario", "inventários", "divergente", "balanco", "0001", "2",
    "202611/0003", "202611", "duplicados", "duplicadas", "certificado", "xml", "10125",
]


@pytest.mark.parametrize("scoped_max", [20_000, 0], ids=["small-scope", "large-scope"])
def test_r8_search_finds_what_the_rule_says_for_short_and_long_words(
    store: Any, scoped_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every store agrees with storage.search's rule, in a company, a customer's tickets and
    across all tickets, whether a word's last token is within SQLite's indexed prefixes (1-4)
    or longer; on PostgreSQL both through the scope's rows and through the full-text index,
    on SQLite both through the matches alone and through the planner's choice (a large scope
    or many matches)."""
    from storage.search import parse, term_matches
    from storage.sql import tickets as sql_tickets

    monkeypatch.setattr(sql_tickets, "SCOPED_SEARCH_MAX", scoped_max)
    monkeypatch.setattr(sql_tickets, "FEW_MATCHES", scoped_max)

    desk = Searches(store)
    opened = {desk.opened(desk.a if i % 2 == 0 else desk.b,
                          desk.carla if i % 2 == 0 else desk.rita, assunto, descricao):
              (assunto, descricao) for i, (assunto, descricao) in enumerate(CORPUS)}
    with desk.store() as uow:
        tickets = {i: uow.tickets.get(i) for i in opened}
    for query in QUERIES:
        terms = parse(query)
        expected = sorted(i for i, t in tickets.items() if all(
            term_matches(term, t.period, t.seq, t.number, [t.assunto, t.descricao])
            for term in terms))
        assert desk.search(query) == expected, query
        in_a = sorted(i for i in expected if tickets[i].company_id == desk.a)
        assert desk.search(query, company_id=desk.a) == in_a, query
        ritas = sorted(i for i in expected if tickets[i].requester_id == desk.rita)
        assert desk.search(query, requester_id=desk.rita) == ritas, query
    assert desk.search("fiscal") != []  # the corpus does hold the words searched for
    assert desk.search("configuracao do") != []


@pytest.mark.postgres
def test_a_search_in_a_small_company_never_reads_every_companys_matches(
    new_db_url: Any,
) -> None:
    """PostgreSQL: a common word's full-text list spans every company (275 000 tickets for
    "nota" at 1 000 000); a company of a few hundred tickets is searched through its own
    rows, whatever the planner's statistics say. A search across all tickets uses the index."""
    from sqlalchemy import event

    store = SqlStore(new_db_url("postgres"))
    desk = Searches(store)
    for n in range(6):
        desk.opened(desk.a, desk.carla, f"Nota fiscal {n} rejeitada")
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.startswith("SELECT") and "to_tsquery" in statement:
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    assert len(desk.search("nota fiscal", company_id=desk.a)) == 6
    assert len(desk.search("nota fiscal")) == 6
    event.remove(store.engine, "before_cursor_execute", capture)
    scoped, everywhere = seen[0], seen[-1]
    with store.engine.connect() as conn:
        # With every other index of tickets gone and sequential scans discouraged, the only
        # index left is the full-text one: the scoped search must not take it.
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        others = conn.exec_driver_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'tickets' AND indexname NOT IN "
            "('ix_tickets_search', 'pk_tickets') AND indexdef LIKE 'CREATE INDEX%%'").scalars()
        for name in list(others):
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
        plans = ["\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params))
                 for sql, params in (scoped, everywhere)]
        conn.rollback()
    store.dispose()
    assert "ix_tickets_search" not in plans[0], plans[0]
    assert "ix_tickets_search" in plans[1], plans[1]


@pytest.mark.parametrize("scoped_max", [20_000, 0], ids=["small-scope", "large-scope"])
def test_r8_a_word_finds_its_other_forms_and_not_words_that_only_start_alike(
    store: Any, scoped_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The noun finds the participle and back ("rejeição" ~ "rejeitada", "emitir" ~
    "emissão", "cancelamento" ~ "cancelada"), a plural its singular, with or without accents,
    in the whole desk, a company and a customer's tickets; a word whose stem is only a short
    prefix of another ("notas", stem "not"; "contas", "cont") does not find it."""
    from storage.sql import tickets as sql_tickets

    monkeypatch.setattr(sql_tickets, "SCOPED_SEARCH_MAX", scoped_max)
    monkeypatch.setattr(sql_tickets, "FEW_MATCHES", scoped_max)
    desk = Searches(store)
    rejeitada = desk.opened(desk.a, desk.carla, "Nota fiscal rejeitada pela SEFAZ",
                            "A nota voltou com erro")
    emissao = desk.opened(desk.a, desk.joao, "Erro na emissão do cupom", "Caixa 3 travou")
    cancelada = desk.opened(desk.a, desk.carla, "Venda cancelada no caixa", "Cliente desistiu")
    notificacao = desk.opened(desk.b, desk.rita, "Notificação de contrato vencido",
                              "Chegou outra notificação")
    todas = desk.opened(desk.b, desk.rita, "Rejeição 539 ao emitir NF-e",
                        "Pedimos o cancelamento das notas")

    for word in ("rejeição", "rejeicao", "rejeitada", "REJEITADO", "rejeições"):
        assert desk.search(word) == [rejeitada, todas], word
    for word in ("emitir", "emissão", "emissao", "emitido", "emitiu"):
        assert desk.search(word) == [emissao, todas], word
    for word in ("cancelamento", "cancelada", "cancelar", "cancelou"):
        assert desk.search(word) == [cancelada, todas], word
    assert desk.search("notas") == desk.search("nota") == [rejeitada, todas]
    assert desk.search("notificações") == [notificacao]
    assert desk.search("contas") == []
    assert desk.search("cupom emitido") == [emissao]
    assert desk.search("rejeição cupom") == []
    assert desk.search("rejeição", company_id=desk.a) == [rejeitada]
    assert desk.search("emissão", requester_id=desk.rita) == [todas]
    assert desk.search("cancelada nf-e", company_id=desk.b) == [todas]
