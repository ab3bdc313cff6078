"""Ticket text search in SQL: an FTS5 MATCH on SQLite, a tsquery on PostgreSQL.

Both carry out storage.search's meaning; the index DDL lives in the migrations (SQLite's
scoped FTS5 table in 0004, the words' roots in 0010: FTS5's roots column, PostgreSQL's
lexemes '~<root>', which no token of a text can be; no status: 0015 put it in the scope and
0016 took it out, since rewriting a ticket's FTS5 row on each status change cost what the index
holds).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    TextClause,
    bindparam,
    column,
    literal_column,
    select,
    table,
    text,
    true,
)

from core.models import format_number
from storage.search import Term
from storage.tables import tickets

TS_CONFIG = "pt_unaccent"
FTS_TABLE = "tickets_fts"
FTS5_INDEX_FROM = (
    "INSERT INTO tickets_fts(rowid, number, assunto, descricao, scope, roots) "
    "SELECT id, number, assunto, descricao, 'c' || company_id || ' r' || requester_id, "
    "search_roots FROM tickets WHERE id >= ?"
)
"""Index the tickets from an id on as migration 0004's triggers do, for bulk loads that set
the triggers aside (the index is contentless: FTS5's 'rebuild' cannot read the tickets)."""


def fts5_scope(company_id: int | None, requester_id: int | None) -> str | None:
    """The scope token a SQLite search can be cut to: the requester's, else the company's."""
    if requester_id is not None:
        return f"r{requester_id}"
    if company_id is not None:
        return f"c{company_id}"
    return None


def _fts5_term(term: Term) -> str:
    phrase = " OR ".join('"{}"*'.format(" ".join(toks)) for toks in term.spellings)
    if len(term.spellings) > 1:
        phrase = f"({phrase})"
    if term.seq is None:
        words = f"{{number assunto descricao}} : {phrase}"
    else:
        number = format_number(term.period or "", term.seq).replace("/", " ").strip()
        words = f'{{assunto descricao}} : {phrase} OR number : "{number}"'
    if term.root is not None:
        words += f' OR roots : "{term.root}"'
    return f"({words})" if " OR " in words else words


def fts5_query(terms: list[Term], scope: str | None = None) -> str:
    """An FTS5 MATCH expression: every word quoted as a phrase with a prefix last token,
    ANDed with the scope token when there is one (FTS5 then skips through each doclist)."""
    words = [_fts5_term(t) for t in terms]
    return " AND ".join([f'scope : "{scope}"', *words] if scope else words)


def _ts_phrase(toks: tuple[str, ...], weight: str) -> str:
    lexemes = [f"'{t}':{weight}" if weight else f"'{t}'" for t in toks]
    lexemes[-1] = f"'{toks[-1]}':*{weight}"
    return " <-> ".join(lexemes)


def _ts_term(term: Term) -> str:
    # The number's lexemes weigh A, the assunto's and descrição's D.
    weight = "" if term.seq is None else "D"
    phrase = " | ".join(_ts_phrase(toks, weight) for toks in term.spellings)
    if len(term.spellings) > 1:
        phrase = f"({phrase})"
    if term.seq is None:
        return phrase
    seq = format_number("", term.seq).lstrip("/")
    number = f"'{term.period}':A <-> '{seq}':A" if term.period else f"'{seq}':A"
    return f"({phrase} | {number})"


def tsquery(terms: list[Term]) -> tuple[str, dict[str, str]]:
    """A tsquery expression and its parameters: each word's phrases (a prefix last lexeme;
    numbers match the A-weighted number), or its root's lexeme, cast as it is (to_tsquery
    would drop the "~")."""
    words, params = [], {}
    for n, term in enumerate(terms):
        params[f"tsq{n}"] = _ts_term(term)
        word = f"to_tsquery('{TS_CONFIG}', :tsq{n})"
        if term.root is not None:
            params[f"root{n}"] = f"'~{term.root}'"
            word = f"({word} || CAST(:root{n} AS tsquery))"
        words.append(word)
    return " && ".join(words), params


def text_match(
    dialect: str, terms: list[Term], scope: str | None = None, *, indexed: bool = True
) -> ColumnElement[Any] | TextClause:
    """A WHERE clause on tickets that keeps those matching every term; on SQLite the match
    is cut to scope (see fts5_scope), which the caller's own filters must imply.

    indexed=False (PostgreSQL) words the match so that no index can serve it: the planner
    then reads the rows the other filters select and checks each.
    """
    if dialect == "postgresql":
        tsq, params = tsquery(terms)
        clause = f"tickets.search @@ ({tsq})"
        # The words are written into the statement: as parameters, the generic plan that
        # PostgreSQL keeps for a statement run often (psycopg prepares it on its fifth run)
        # guessed 0.5 % of the tickets for any word, and for "nota" (a quarter of them) built
        # the index's bitmap of every match before the LIMIT: 140-250 ms at 1 000 000.
        words = [bindparam(k, v, String(), literal_execute=True) for k, v in params.items()]
        return text(clause if indexed else f"({clause}) IS TRUE").bindparams(*words)
    return tickets.c.id.in_(fts5_ids(terms, scope))


FTS = table(FTS_TABLE, column("rowid"))
"""SQLite's full-text index of the tickets: its rowid is the ticket's id."""


def _fts5_match(terms: list[Term], scope: str | None = None) -> ColumnElement[Any]:
    query = bindparam("fts_q", fts5_query(terms, scope), String())
    return literal_column(FTS_TABLE).op("MATCH")(query)


def fts5_ids(terms: list[Term], scope: str | None = None) -> Select[Any]:
    """SQLite: the ids of the tickets matching every term, cut to scope (in id order)."""
    return select(FTS.c.rowid).where(_fts5_match(terms, scope))


def fts5_newest(terms: list[Term], *columns: Any) -> Select[Any]:
    """SQLite: columns of the tickets matching every term, newest id first, read from the
    index's lists (which FTS5 walks backwards) and each ticket by its id."""
    return (
        select(*columns)
        .select_from(FTS.join(tickets, tickets.c.id == FTS.c.rowid))
        .where(_fts5_match(terms))
        .order_by(FTS.c.rowid.desc())
    )


def constant(value: Any, type_: Any = None) -> ColumnElement[Any]:
    """A value written into the statement: a cached (generic) plan knows it as a custom one
    does (as a parameter, a LIMIT is guessed to keep a tenth of the rows, a range a third)."""
    if isinstance(value, int) and type_ is None:
        return literal_column(str(int(value)), Integer())
    return bindparam(None, value, type_, literal_execute=True)


def pg_window(terms: list[Term], edge: int, up_to: int, *columns: Any) -> Select[Any]:
    """PostgreSQL: columns of up to up_to tickets with ids past edge matching every term,
    newest first. With the edge written in, the planner knows how few ids lie past it: a
    common word walks them newest first and stops early, a rare one ANDs its index list with
    theirs; either way no more than them (as a subquery's max id, guessed a third of the table
    away, the window ran the full-text index alone, or the primary key past it)."""
    match = text_match("postgresql", terms)
    stmt = select(*columns).where(tickets.c.id > constant(edge), match)
    return stmt.order_by(tickets.c.id.desc()).limit(constant(up_to))


def pg_older(terms: list[Term], edge: int, up_to: int, *columns: Any,
             ordered: bool = False) -> Select[Any]:
    """PostgreSQL: columns of up to up_to tickets with ids up to edge matching every term
    (newest first if ordered), through the full-text index alone.

    The id bound is worded so that no index serves it: a rare word's 38 matches at 1 000 000
    tickets were ANDed with a bitmap of the 995 000 older ids (55-65 ms) when the sampled
    statistics guessed it more matches. In order, the matches come from a materialized CTE,
    planned for all its rows (else the planner may walk the primary key, reading every older
    ticket for a word it thinks common). Its own statement, run only when the newer ids fall
    short: a plan holding it unrun, a seq scan guessed for a common word, cost enough to be
    compiled by JIT (+20-50 ms).
    """
    where = [text_match("postgresql", terms), (tickets.c.id <= constant(edge)).is_(true())]
    if not ordered:
        return select(*columns).where(*where).limit(constant(up_to))
    older = select(*columns).where(*where).cte("older_matches").prefix_with("MATERIALIZED")
    return select(*older.c).order_by(older.c.id.desc()).limit(constant(up_to))
