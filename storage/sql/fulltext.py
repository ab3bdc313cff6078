"""Ticket text search in SQL: an FTS5 MATCH on SQLite, a tsquery on PostgreSQL.

Both carry out storage.search's meaning; the index DDL lives in the initial migration.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    TextClause,
    bindparam,
    literal_column,
    select,
    table,
    text,
)

from core.models import format_number
from storage.search import Term
from storage.tables import tickets

TS_CONFIG = "pt_unaccent"
FTS_TABLE = "tickets_fts"


def _fts5_term(term: Term) -> str:
    phrase = '"{}"*'.format(" ".join(term.tokens))
    if term.seq is None:
        return phrase
    number = format_number(term.period or "", term.seq).replace("/", " ").strip()
    return f'({{assunto descricao}} : {phrase} OR number : "{number}")'


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: every word quoted as a phrase with a prefix last token."""
    return " AND ".join(_fts5_term(t) for t in terms)


def _ts_term(term: Term) -> str:
    # The number's lexemes weigh A, the assunto's and descrição's D.
    weight = "" if term.seq is None else "D"
    lexemes = [f"'{t}':{weight}" if weight else f"'{t}'" for t in term.tokens]
    lexemes[-1] = f"'{term.tokens[-1]}':*{weight}"
    phrase = " <-> ".join(lexemes)
    if term.seq is None:
        return phrase
    seq = format_number("", term.seq).lstrip("/")
    number = f"'{term.period}':A <-> '{seq}':A" if term.period else f"'{seq}':A"
    return f"({phrase} | {number})"


def tsquery(terms: list[Term]) -> str:
    """A tsquery: phrases with a prefix last lexeme; numbers match the A-weighted number."""
    return " & ".join(_ts_term(t) for t in terms)


def text_match(dialect: str, terms: list[Term]) -> ColumnElement[Any] | TextClause:
    """A WHERE clause on tickets that keeps those matching every term."""
    if dialect == "postgresql":
        return text(f"tickets.search @@ to_tsquery('{TS_CONFIG}', :tsq)").bindparams(
            tsq=tsquery(terms)
        )
    fts = table(FTS_TABLE, literal_column("rowid"))
    match: Select[Any] = (
        select(literal_column("rowid"))
        .select_from(fts)
        .where(literal_column(FTS_TABLE).op("MATCH")(bindparam("fts_q", fts5_query(terms))))
    )
    return tickets.c.id.in_(match)
