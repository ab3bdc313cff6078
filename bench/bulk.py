"""A fast generator of realistic help desk data, written straight into the tables.

Companies grow with the data (about TICKETS_PER_COMPANY tickets each, over MONTHS months), as a
help desk grows by taking on customers: a company's listings hold the same tickets at 10 000 as at
1 000 000, so a query that reads only its company's rows costs the same, and one that scans the
table does not. Statuses follow the tickets' age (old ones mostly closed). A fixed number of
tickets is due for auto-close (waiting for approval for more than 15 days), all in the first
batch. The full-text index and the ticket counts end as the database's triggers keep them
(SQLite: triggers set aside, each batch indexed and counted with one statement each; PostgreSQL:
the tsvector trigger fires per row on COPY, ticket_stats is rebuilt with one GROUP BY per batch
while its row trigger is disabled).
"""

from __future__ import annotations

import bisect
import contextlib
import marshal
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text

from bench.stats import clock
from bench.texts import assunto_descricao
from core.catalog import default_catalog
from storage.search import fold, stored_roots
from storage.sql.fulltext import FTS5_INDEX_FROM, FTS_TABLE

TICKETS_PER_COMPANY = 500
CUSTOMERS_PER_COMPANY = 5
AGENTS = 10
MONTHS = 36
DAY = 86400.0
SP_OFFSET = -3 * 3600  # São Paulo has kept UTC-3 all year since 2019
TEXT_POOL = 20_000
FTS_LOAD_HASHSIZE = 256 * 1024 * 1024
FTS_DEFAULT_HASHSIZE = 1024 * 1024
VERSIONS = tuple(f"2026.{m}" for m in range(1, 12))

COLUMNS = (
    "id", "period", "seq", "number", "company_id", "requester_id", "tipo", "item", "servico",
    "versao", "assunto", "descricao", "priority", "critical_reason", "status", "assignee_id",
    "opened_at", "updated_at", "assigned_at", "due_at", "awaiting_since", "reminders_sent",
    "due_warnings_sent", "first_response_flagged", "closed_at", "decision", "billable",
    "unreachable_telegram", "search_roots", "taken_at",
)
WIDTH = len(COLUMNS)
"""A generated ticket row is COLUMNS' values, then the index of its text in the pool."""
TIMES = frozenset({"opened_at", "updated_at", "assigned_at", "due_at", "awaiting_since",
                   "closed_at", "taken_at"})

OLD_W = (("encerrado", 85), ("rejeitado", 5), ("em_atendimento", 4), ("em_desenvolvimento", 3),
       ("repassada", 1), ("em_estimativa", 2))
MIDDLE_W = (("encerrado", 55), ("rejeitado", 5), ("em_atendimento", 18),
          ("em_desenvolvimento", 10), ("repassada", 5), ("em_estimativa", 7))
RECENT_W = (("novo", 25), ("em_estimativa", 8), ("repassada", 7), ("em_atendimento", 20),
          ("em_desenvolvimento", 5), ("aguardando_aprovacao", 20), ("encerrado", 13),
          ("rejeitado", 2))
FIRST = ("Ana", "Bruno", "Carla", "Daniel", "Eduarda", "Felipe", "Gabriela", "Henrique", "Isabela",
         "João", "Larissa", "Marcos", "Natália", "Otávio", "Paula", "Rafael", "Sofia", "Tiago")
LAST = ("Silva", "Souza", "Oliveira", "Santos", "Pereira", "Lima", "Carvalho", "Ribeiro",
        "Almeida", "Gomes", "Martins", "Rocha", "Barbosa", "Costa", "Ferreira", "Araújo")
TRADE = ("Mercado", "Supermercado", "Atacado", "Distribuidora", "Loja", "Farmácia", "Auto Peças",
         "Materiais de Construção", "Papelaria", "Comercial", "Empório", "Magazine")
PLACE = ("Central", "do Vale", "Paulista", "Serrana", "do Sul", "Litoral", "Norte", "Bandeirantes",
         "Esperança", "União", "São José", "Boa Vista", "Primavera", "Ipiranga")


def _cumulative(table: tuple[tuple[str, int], ...]) -> tuple[list[str], list[float]]:
    total = sum(w for _, w in table)
    acc, out = 0, []
    for _, w in table:
        acc += w
        out.append(acc / total)
    return [s for s, _ in table], out


def _pick(r: float, table: tuple[list[str], list[float]]) -> str:
    return table[0][bisect.bisect_right(table[1], r)]


OLD, MIDDLE, RECENT = (_cumulative(t) for t in (OLD_W, MIDDLE_W, RECENT_W))


def _services() -> list[tuple[str, str, str, bool]]:
    """(tipo, item, serviço labels, implementation?) of the packaged catalog, support first."""
    out = []
    catalog = default_catalog()
    for tipo in catalog.tipos:
        for item in tipo.itens:
            for servico in item.servicos:
                out.append((tipo.label, item.label, servico.label, bool(item.implementation)))
    return out


def utc_text(ts: float) -> str:
    """A UTC instant as SQLAlchemy stores it on SQLite (and PostgreSQL reads it in UTC)."""
    return datetime.utcfromtimestamp(ts).isoformat(" ", "microseconds")


@dataclass
class Batch:
    """Rows for the companies, users, links and tickets of one growth step."""

    companies: list[tuple[Any, ...]] = field(default_factory=list)
    users: list[tuple[Any, ...]] = field(default_factory=list)
    links: list[tuple[Any, ...]] = field(default_factory=list)
    tickets: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Generator:
    """Keeps ids and ticket counters across batches, so the database can grow in steps."""

    now: datetime
    due: int
    seed: int = 20261127
    company_id: int = 0
    user_id: int = 0
    ticket_id: int = 0
    counters: dict[str, int] = field(default_factory=dict)
    agents: list[int] = field(default_factory=list)
    probe_company: int = 0
    probe_customer: int = 0

    def __post_init__(self) -> None:
        self.rnd = random.Random(self.seed)
        self.services = _services()
        self.support = [s for s in self.services if not s[3]]
        self.implementation = [s for s in self.services if s[3]]
        self.texts: list[tuple[str, str]] = []
        self.roots: list[str | None] = []
        self._periods: dict[int, str] = {}

    def _user(self, batch: Batch, name: str, domain: str, role: str) -> int:
        self.user_id += 1
        uid = self.user_id
        email = f"{fold(name).replace(' ', '.')}.{uid}@{domain}"
        batch.users.append((uid, name, email, email, role, True, True))
        return uid

    def _people(self, batch: Batch, companies: int) -> list[list[int]]:
        if not self.agents:
            for _ in range(AGENTS):
                name = f"{self.rnd.choice(FIRST)} {self.rnd.choice(LAST)}"
                self.agents.append(self._user(batch, name, "suporte.example.com.br", "agent"))
        customers = []
        for _ in range(companies):
            self.company_id += 1
            cid = self.company_id
            name = f"{self.rnd.choice(TRADE)} {self.rnd.choice(PLACE)} {cid} Ltda"
            batch.companies.append((cid, name, fold(name)))
            domain = f"cliente{cid}.com.br"
            ids = []
            for _ in range(CUSTOMERS_PER_COMPANY):
                person = f"{self.rnd.choice(FIRST)} {self.rnd.choice(LAST)}"
                uid = self._user(batch, person, domain, "customer")
                batch.links.append((uid, cid, 0))
                ids.append(uid)
            customers.append(ids)
            if not self.probe_company:
                self.probe_company, self.probe_customer = cid, ids[0]
        return customers

    def batch(self, n: int) -> Batch:
        """n more tickets for n / TICKETS_PER_COMPANY new companies (due ones in the first)."""
        batch = Batch()
        first = self.ticket_id == 0
        per_company = max(1, min(n, TICKETS_PER_COMPANY))
        customers = self._people(batch, max(1, -(-n // per_company)))
        first_company = self.company_id - len(customers) + 1
        if len(self.texts) < min(n, TEXT_POOL):
            more = [assunto_descricao(self.rnd) for _ in range(min(n, TEXT_POOL))]
            self.texts += more
            self.roots += [stored_roots(*pair) for pair in more]
        now = self.now.timestamp()
        span = MONTHS * 30.4 * DAY
        opened = sorted(now - self.rnd.random() * span for _ in range(n))
        due = set(self.rnd.sample(range(n), min(self.due, n))) if first else set()
        r = self.rnd.random
        for i, at in enumerate(opened):
            cid = first_company + (i * 7919) % len(customers)
            requester = customers[cid - first_company][int(r() * CUSTOMERS_PER_COMPANY)]
            batch.tickets.append(self._ticket(at, now, cid, requester, i in due))
        return batch

    def _period(self, at: float) -> str:
        day = int((at + SP_OFFSET) // DAY)
        period = self._periods.get(day)
        if period is None:
            period = self._periods[day] = datetime.fromtimestamp(day * DAY, UTC).strftime("%Y%m")
        return period

    def _ticket(self, at: float, now: float, cid: int, requester: int, due: bool
                ) -> tuple[Any, ...]:
        r = self.rnd.random
        age = (now - at) / DAY
        if due:
            at = now - (16 + r() * 20) * DAY
            age = (now - at) / DAY
            status = "aguardando_aprovacao"
        else:
            status = _pick(r(), RECENT if age <= 15 else MIDDLE if age <= 60 else OLD)
        period = self._period(at)
        seq = self.counters[period] = self.counters.get(period, 0) + 1
        self.ticket_id += 1
        choices = self.implementation if status == "em_estimativa" else self.support
        tipo, item, servico, _ = choices[int(r() * len(choices))]
        text_id = int(r() * len(self.texts))
        assunto, descricao = self.texts[text_id]
        critical = r() < 0.05
        assignee = assigned = due_at = waiting = closed = decision = None
        reminders = warnings = 0
        updated = at
        if status not in ("novo", "em_estimativa"):
            assignee = self.agents[int(r() * len(self.agents))]
            assigned = at + r() * 0.5 * DAY
            due_at = assigned + (1 if critical else 5) * DAY
            updated = assigned
            warnings = 2 if due_at < now else 0
        if status == "aguardando_aprovacao":
            waiting = now - (16 + r() * 10) * DAY if due else at + r() * (now - at)
            waited = (now - waiting) / DAY
            reminders = 2 if waited >= 10 else 1 if waited >= 5 else 0
            updated = waiting
        elif status in ("encerrado", "rejeitado"):
            closed = min(now, at + (0.2 + r() * 20) * DAY)
            decision = "aprovado" if status == "encerrado" else None
            updated = closed
        # an open ticket's one take, as 0032 backfilled them (closed ones left without)
        taken = assigned if status not in ("encerrado", "rejeitado") else None
        t = utc_text
        return (
            self.ticket_id, period, seq, f"{period}/{seq:04d}", cid, requester, tipo, item,
            servico, VERSIONS[int(r() * len(VERSIONS))], assunto, descricao,
            "critico" if critical else "padrao", "area_parada" if critical else None, status,
            assignee, t(at), t(updated), assigned and t(assigned), due_at and t(due_at),
            waiting and t(waiting), reminders, warnings, status != "novo" or age > 1,
            closed and t(closed), decision, False, False, self.roots[text_id],
            taken and t(taken), text_id,
        )


# -- loading ---------------------------------------------------------------------------------

def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


def load_sqlite(engine: Engine, batch: Batch, phases: Phases, chunk: int = 50_000) -> None:
    """executemany in one transaction with the tickets' indexes and triggers set aside, then
    the same indexes and triggers recreated, the batch added to the FTS5 index and ticket_stats
    added up.

    The database is the benchmark's own and thrown away after the run: the load's connection
    does not wait for the disk (synchronous = OFF), writes its pages straight into the file
    rather than through the WAL and a checkpoint that copies them again (journal_mode = OFF,
    when no other connection holds the file) and does not look up the foreign keys of rows
    the generator made valid; it sets all three back before it returns.
    """
    first_id = batch.tickets[0][0] if batch.tickets else 0
    raw = engine.raw_connection()
    journal = ""
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA cache_size = -1000000")
        cur.execute("PRAGMA synchronous = OFF")
        cur.execute("PRAGMA foreign_keys = OFF")
        journal = cur.execute("PRAGMA journal_mode").fetchone()[0]
        cur.execute("PRAGMA journal_mode = OFF")
        cur.execute("BEGIN IMMEDIATE")
        saved = cur.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'tickets' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL").fetchall()
        for kind, name, _ in saved:
            cur.execute(f'DROP {kind.upper()} "{name}"')
        cur.executemany("INSERT INTO companies (id, name, name_key) VALUES (?, ?, ?)",
                        batch.companies)
        cur.executemany(
            "INSERT INTO users (id, name, email, email_key, role, trained, active) "
            f"VALUES ({_marks(7)})", batch.users)
        cur.executemany("INSERT INTO user_companies (user_id, company_id, position) "
                        "VALUES (?, ?, ?)", batch.links)
        stmt = f"INSERT INTO tickets ({', '.join(COLUMNS)}) VALUES ({_marks(WIDTH)})"
        for start in range(0, len(batch.tickets), chunk):
            cur.executemany(stmt, [row[:WIDTH] for row in batch.tickets[start:start + chunk]])
        phases.lap("insert")
        for _, _, sql in saved:
            cur.execute(sql)
        phases.lap("indexes")
        # FTS5 writes a segment whenever its pending terms pass `hashsize` (1 MB by default):
        # with 20 prefix indexes that is every few hundred tickets, and merging those segments
        # took over half the load. A large hash for the batch, then the default again.
        cur.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', ?)",
                    (FTS_LOAD_HASHSIZE,))
        cur.execute(FTS5_INDEX_FROM, (first_id,))
        cur.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', ?)",
                    (FTS_DEFAULT_HASHSIZE,))
        phases.lap("full-text index")
        cur.executemany(STATS_ADD.replace("%s", "?"), batch_stats(batch))
        cur.execute("COMMIT")
        phases.lap("commit")
    finally:
        for pragma in (f"journal_mode = {journal or 'WAL'}", "foreign_keys = ON",
                       "synchronous = NORMAL"):
            with contextlib.suppress(Exception):
                raw.cursor().execute(f"PRAGMA {pragma}").fetchall()
        raw.close()


def _marks(n: int) -> str:
    return ", ".join("?" * n)


STATS_FROM_BATCH = (
    "INSERT INTO ticket_stats (company_id, requester_id, status, n) SELECT * FROM ("
    "SELECT company_id, requester_id, status, count(*) FROM tickets WHERE id >= %s "
    "GROUP BY company_id, requester_id, status UNION ALL "
    "SELECT company_id, 0, status, count(*) FROM tickets WHERE id >= %s "
    "GROUP BY company_id, status) AS batch WHERE true "
    "ON CONFLICT (company_id, requester_id, status) DO UPDATE SET n = ticket_stats.n + excluded.n"
)
"""Add a batch's tickets (ids from %s on) to the counts per company, requester and status and
per company and status (requester 0), as the ticket_stats triggers keep them; check_stats()
compares the repository's summaries with the tickets afterwards."""
STATS_ADD = (
    "INSERT INTO ticket_stats (company_id, requester_id, status, n) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (company_id, requester_id, status) DO UPDATE SET n = ticket_stats.n + excluded.n"
)
_COMPANY, _REQUESTER, _STATUS = (COLUMNS.index(c) for c in ("company_id", "requester_id",
                                                             "status"))


def batch_stats(batch: Batch) -> list[tuple[int, int, str, int]]:
    """STATS_FROM_BATCH's rows, counted from the batch itself (SQLite's GROUP BY over a
    million fresh rows took a tenth of its load)."""
    counts = Counter((row[_COMPANY], row[_REQUESTER], row[_STATUS]) for row in batch.tickets)
    whole: Counter[tuple[int, int, str]] = Counter()
    for (company, _, status), n in counts.items():
        whole[company, 0, status] += n
    return [(*key, n) for key, n in (counts + whole).items()]

PG_SECONDARY_INDEXES = """
    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = 'tickets'::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""
SAMPLE = 300
_LEXEME = re.compile(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?")


def _shifted(vector: str, by: int) -> str:
    """A tsvector's text with every position moved by `by`, as `a || vector` does."""
    out = []
    for lexeme, positions in _LEXEME.findall(vector):
        moved = ",".join(
            f"{int(p.rstrip('ABCD')) + by}{p[-1] if p[-1] in 'ABCD' else ''}"
            for p in positions.split(",")) if positions else ""
        out.append(f"'{lexeme}':{moved}" if moved else f"'{lexeme}'")
    return " ".join(out)


def _text_vectors(cur: Any, texts: list[tuple[str, str]], roots: list[str | None]
                  ) -> list[str]:
    """The search vector tickets_search_trg() makes of each pooled text, after a 2-word number.

    A ticket's vector is its number's (two A-weighted words: period and sequence) followed by
    its assunto's and descrição's; these are computed here once per distinct text, by the
    trigger itself, and check_search() compares a sample of loaded tickets with the trigger.
    """
    cur.execute("CREATE TEMP TABLE bench_texts (id integer, number text, assunto text, "
                "descricao text, search_roots text, search tsvector) ON COMMIT DROP")
    cur.execute("CREATE TRIGGER bench_texts_search BEFORE INSERT ON bench_texts "
                "FOR EACH ROW EXECUTE FUNCTION tickets_search_trg()")
    with cur.copy("COPY bench_texts (id, number, assunto, descricao, search_roots) "
                  "FROM STDIN") as copy:
        for i, ((assunto, descricao), pooled_roots) in enumerate(zip(texts, roots, strict=True)):
            copy.write_row((i, "", assunto, descricao, pooled_roots))
    rows = cur.execute("SELECT id, search::text FROM bench_texts ORDER BY id").fetchall()
    return [_shifted(vector, 2) for _, vector in rows]


def check_search(cur: Any, first_id: int) -> None:
    """Recompute sampled tickets' search vectors with the real trigger; they must be equal."""
    cur.execute("CREATE TEMP TABLE bench_probe (id integer, number text, assunto text, "
                "descricao text, search_roots text, search tsvector) ON COMMIT DROP")
    cur.execute("CREATE TRIGGER bench_probe_search BEFORE INSERT ON bench_probe "
                "FOR EACH ROW EXECUTE FUNCTION tickets_search_trg()")
    cur.execute("INSERT INTO bench_probe (id, number, assunto, descricao, search_roots) "
                "SELECT id, number, assunto, descricao, search_roots FROM tickets WHERE id >= %s "
                "ORDER BY random() LIMIT %s", (first_id, SAMPLE))
    bad = cur.execute("SELECT count(*) FROM bench_probe p JOIN tickets t USING (id) "
                      "WHERE p.search IS DISTINCT FROM t.search").fetchone()[0]
    if bad:
        raise RuntimeError(f"bulk load: {bad} of {SAMPLE} search vectors differ from what "
                           "tickets_search_trg() makes; update bench/bulk.py")


def load_postgres(engine: Engine, batch: Batch, gen: Generator, phases: Phases) -> list[str]:
    """COPY in one transaction with the tickets' triggers off and secondary indexes dropped.

    Returns the dropped indexes' definitions, for rebuild_indexes() after the commit. The
    search vectors are written with the rows (see _text_vectors), the foreign keys are not
    checked (the generator writes only valid references), and ticket_stats gets the batch's
    counts with one GROUP BY.
    """
    raw = engine.raw_connection()
    first_id = batch.tickets[0][0] if batch.tickets else 0
    try:
        cur = raw.cursor()
        cur.execute("SET LOCAL TimeZone = 'UTC'")
        for table, cols, rows in (
            ("companies", "id, name, name_key", batch.companies),
            ("users", "id, name, email, email_key, role, trained, active", batch.users),
            ("user_companies", "user_id, company_id, position", batch.links),
        ):
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        vectors = _text_vectors(cur, gen.texts, gen.roots)
        phases.lap("text vectors")
        indexes = cur.execute(PG_SECONDARY_INDEXES).fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("ALTER TABLE tickets DISABLE TRIGGER ALL")
        with cur.copy(f"COPY tickets ({', '.join(COLUMNS)}, search) FROM STDIN") as copy:
            write = copy.write_row
            for row in batch.tickets:  # psycopg's C dumpers write the rows' text
                write((*row[:WIDTH], f"'{row[1]}':1A '{row[2]:04d}':2A {vectors[row[WIDTH]]}"))
        phases.lap("copy")
        cur.execute("ALTER TABLE tickets ENABLE TRIGGER ALL")
        cur.execute(STATS_FROM_BATCH, (first_id, first_id))
        check_search(cur, first_id)
        raw.commit()
        phases.lap("stats, check, commit")
        return [definition for _, definition in indexes]
    finally:
        raw.close()


def rebuild_indexes(engine: Engine, definitions: list[str]) -> None:
    """Create the dropped indexes on two connections at once (the GIN one takes longest)."""
    from concurrent.futures import ThreadPoolExecutor

    slow = [d for d in definitions if " gin " in d.lower()]
    rest = [d for d in definitions if d not in slow]

    def build(group: list[str]) -> None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET maintenance_work_mem = '512MB'"))
            for definition in group:
                conn.execute(text(definition))

    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(build, g) for g in (slow, rest) if g]:
            future.result()


def finish(engine: Engine, gen: Generator) -> None:
    """Counters, sequences and planner statistics after a load."""
    with engine.begin() as conn:
        for period, last in gen.counters.items():
            conn.execute(text("DELETE FROM ticket_counters WHERE period = :p"), {"p": period})
            conn.execute(text("INSERT INTO ticket_counters (period, last_seq) VALUES (:p, :n)"),
                         {"p": period, "n": last})
        if engine.dialect.name == "postgresql":
            for table in ("companies", "users", "tickets"):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
    if engine.dialect.name == "postgresql":
        # What autovacuum does soon after a large load: statistics and the visibility map.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def check_stats(engine: Engine, gen: Generator) -> None:
    """The repository's summaries of the probe company and customer match the tickets."""
    from core.models import Status
    from storage.sql import SqlStore

    with SqlStore(engine)() as uow:
        for company, requester in ((gen.probe_company, None),
                                   (gen.probe_company, gen.probe_customer)):
            where = "company_id = :c" + (" AND requester_id = :r" if requester else "")
            rows = uow.connection.execute(text(
                f"SELECT status, count(*) FROM tickets WHERE {where} GROUP BY status"),
                {"c": company, "r": requester}).all()
            truth = dict.fromkeys(Status, 0) | {Status(s): int(n) for s, n in rows}
            if uow.tickets.summary(company, requester) != truth:
                raise RuntimeError("bulk load: ticket_stats do not match the tickets; update "
                                   "bench/bulk.py to what the ticket_stats triggers keep")


class Phases(dict[str, float]):
    """Where a load's time went: seconds per named step, in order."""

    def __init__(self) -> None:
        super().__init__()
        self._last = clock()

    def lap(self, name: str) -> None:
        """The time since the previous lap (or the start) was spent on `name`."""
        now = clock()
        self[name] = self.get(name, 0.0) + now - self._last
        self._last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.items())


def write_batch(batch: Batch, path: str) -> None:
    """A batch in a file for loads in other processes. marshal keeps the tuples, the values'
    types and the strings the rows share: at 1 000 000 tickets it writes in ~1 s and reads in
    ~2, where pickle took 4 and 3 and generating takes ~17."""
    with open(path, "wb") as out:
        marshal.dump((batch.companies, batch.users, batch.links, batch.tickets), out)


def read_batch(path: str) -> Batch:
    """The batch write_batch() wrote."""
    with open(path, "rb") as src:
        return Batch(*marshal.loads(src.read()))  # load(src) reads each value with a call


def generate_to(gen: Generator, n: int, path: str) -> Generator:
    """In a process of its own: the next n tickets' batch written to path (write_batch).
    Returns the generator as it is after the batch."""
    write_batch(gen.batch(n), path)
    return gen


def grow(engine: Engine, gen: Generator, n: int | str) -> Phases:
    """Load n more tickets (with their companies and people), generated here, or the batch
    in the file n that generate_to() wrote with gen (which is then the generator as it is
    after that batch)."""
    phases = Phases()
    if isinstance(n, str):
        batch = read_batch(n)
        phases.lap("read")
    else:
        batch = gen.batch(n)
        phases.lap("generate")
    if engine.dialect.name == "postgresql":
        definitions = load_postgres(engine, batch, gen, phases)
        del batch
        rebuild_indexes(engine, definitions)
        phases.lap("indexes")
    else:
        load_sqlite(engine, batch, phases)
        del batch
    finish(engine, gen)
    phases.lap("analyze" if engine.dialect.name == "postgresql" else "counters")
    check_stats(engine, gen)
    phases.lap("check")
    return phases


def grow_at(url: str, gen: Generator, n: int | str) -> tuple[Generator, Phases]:
    """grow() in a process of its own: its Python work (generating, handing rows to the
    driver) neither waits for nor slows another database's load in the parent, whose threads
    share one interpreter lock (SQLite's executemany hands the lock over on every row).
    Returns the generator as it is after the batch, and the load's phases."""
    from storage.engine import make_engine

    engine = make_engine(url)
    try:
        return gen, grow(engine, gen, n)
    finally:
        engine.dispose()
