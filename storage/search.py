"""What a ticket text search means, shared by every store so they cannot drift.

A query is split on whitespace into words; a ticket matches when every word matches.
A word matches when its tokens appear, in order and adjacent, in the number, the assunto or
the descrição, the last token as a prefix ("emiss" finds "Emissão", "nf-e" finds "NF-e").
Tokens are runs of letters and digits, compared without case and accents.
A word of letters alone also matches a word of the assunto or descrição with the same root
(see root()), so a noun finds its participle and back: "rejeição" finds "rejeitada",
"emitir" "emissão", "cancelamento" "cancelada", "notas" "nota". Roots are whole: a word
whose stem is only the start of another does not find it ("nota", stem "not", does not find
"notificação"; "contas" not "contrato"), and stop words ("para", "entre") have none.
A word that looks like a ticket number matches that number: "202611/0042" (or "202611/42")
the ticket 202611/0042, "42" or "0042" the tickets with sequence 42; in the text it is looked
for only in the assunto and descrição (so "2" does not find every "2026..." number). Other
words also match the number as text: "202611" finds the tickets of November 2026.
The fiscal documents' abbreviations are found however they are written: "nfe" finds "NF-e"
and "nf-e" finds "NFe" (likewise NFC-e, CT-e, MDF-e, NFS-e: consonants, then "e").
The SQL stores keep each ticket's roots in tickets.search_roots, indexed (migration 0010):
a change to root() needs a migration that computes them again.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from core.textmatch import ascii_digits

_TOKEN = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"^(?:(\d{6})/(\d{1,6})|(\d{1,4}))$")


def fold(text: str) -> str:
    """Lower-case and strip accents, for accent-insensitive comparison."""
    nfkd = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Split text into folded tokens of letters and digits."""
    return _TOKEN.findall(fold(text))


_STOP_WORDS = """
    a à ao aos aquela aquelas aquele aqueles aquilo as às até com como da das de dela delas
    dele deles depois do dos e ela elas ele eles em entre era eram éramos essa essas esse
    esses esta está estamos estão estas estava estavam estávamos este esteja estejam
    estejamos estes esteve estive estivemos estiver estivera estiveram estivéramos estiverem
    estivermos estivesse estivessem estivéssemos estou eu foi fomos for fora foram fôramos
    forem formos fosse fossem fôssemos fui há haja hajam hajamos hão havemos hei houve
    houvemos houver houvera houverá houveram houvéramos houverão houverei houverem
    houveremos houveria houveriam houveríamos houvermos houvesse houvessem houvéssemos isso
    isto já lhe lhes mais mas me mesmo meu meus minha minhas muito na não nas nem no nos nós
    nossa nossas nosso nossos num numa o os ou para pela pelas pelo pelos por qual quando
    que quem são se seja sejam sejamos sem será serão serei seremos seria seriam seríamos
    seu seus só somos sou sua suas também te tem tém temos tenha tenham tenhamos tenho terá
    terão terei teremos teria teriam teríamos teu teus teve tinha tinham tínhamos tive
    tivemos tiver tivera tiveram tivéramos tiverem tivermos tivesse tivessem tivéssemos tu
    tua tuas um uma você vocês vos
"""
STOP_WORDS = frozenset(fold(w) for w in _STOP_WORDS.split())
"""Snowball's Portuguese stop words: they have no root, or "para" would find "parado" and
"entre" "entrada"."""

_STEMMING = threading.Lock()  # a stemmer holds the word it works on: one word at a time
_ACCENTED = (("cao", "ção"), ("ao", "ão"), ("encia", "ência"), ("ancia", "ância"),
             ("avel", "ável"), ("ivel", "ível"))
"""Endings the stemmer knows only with their accents, put back on words typed without."""
_IRREGULAR = (("miss", "mit"), ("press", "prim"), ("clus", "clu"), ("cis", "cid"),
              ("eic", "eit"), ("olu", "olv"), ("pens", "pend"))
"""Stems of nouns that their verbs spell otherwise, as the verbs': emissão ~ emitir,
impressão ~ imprimir, inclusão ~ incluir, decisão ~ decidir, rejeição ~ rejeitar,
devolução ~ devolver, suspensão ~ suspender."""
SHORTEST_STEM = 4
"""A shorter stem joins unrelated words ("cas": casa, caso; "val": vale, válido): the word
itself, in the singular, is the root instead ("notas" ~ "nota")."""


def _singular(word: str) -> str:
    if len(word) < 4 or not word.endswith("s") or word.endswith("ss"):
        return word
    if word.endswith(("oes", "aes")):
        return word[:-3] + "ao"
    if len(word) >= 5 and word.endswith(("ais", "eis")):
        return word[:-2] + "l"
    if len(word) >= 5 and word.endswith(("res", "zes")):
        return word[:-2]
    return word[:-1]


def _replace_end(word: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for end, new in pairs:
        if word.endswith(end) and len(word) > len(end):
            return word[: -len(end)] + new
    return word


@functools.cache
def _stemmer() -> Any:
    """Snowball's Portuguese stemmer, imported on the first word: its package imports its 30
    languages' (a tenth of a `helpdesk company list`'s start, which stems nothing)."""
    # The pure-Python class, not snowballstemmer.stemmer(): with PyStemmer installed that would
    # be its C build, whose Snowball version may stem some words otherwise than the stored roots.
    from snowballstemmer.portuguese_stemmer import PortugueseStemmer

    return PortugueseStemmer()


@functools.lru_cache(maxsize=65_536)
def root(token: str) -> str | None:
    """The root a folded token shares with the other forms of its word: the Portuguese
    Snowball stem of its singular, irregular stems joined to their verbs'; None for stop
    words and tokens with digits."""
    if not token.isalpha() or token in STOP_WORDS:
        return None
    word = _singular(token)
    if word.endswith("n"):  # itens ~ item, as logins ~ login
        word = word[:-1] + "m"
    word = _replace_end(word, _ACCENTED)
    with _STEMMING:
        stem = _stemmer().stemWord(word)
    stem = _replace_end(fold(stem.rstrip("ãõ")), _IRREGULAR)
    return stem if len(stem) >= SHORTEST_STEM else fold(word)


@functools.lru_cache(maxsize=256)  # a page's tickets; a descrição may be 20 kB
def roots(*texts: str) -> tuple[str, ...]:
    """The distinct roots of the words of texts, in order."""
    return tuple(dict.fromkeys(r for text in texts for t in tokens(text) if (r := root(t))))


def stored_roots(assunto: str, descricao: str) -> str | None:
    """What tickets.search_roots holds: the roots of the assunto and descrição."""
    return " ".join(roots(assunto, descricao)) or None


_ABBREVIATION = re.compile(r"^([b-df-hj-np-tv-z]{2,4})e$")
"""NF-e, NFC-e, CT-e, MDF-e, NFS-e: a stem without vowels, then "e"."""


@dataclass(frozen=True)
class Term:
    """One word of a query: its tokens, and the ticket number it may name."""

    tokens: tuple[str, ...]
    period: str | None = None
    seq: int | None = None

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        """The tokens, and the other way of writing a fiscal document's abbreviation: "nfe"
        as "nf e" (NF-e), "nf e" as "nfe" (NFe)."""
        joined = "".join(self.tokens)
        match = _ABBREVIATION.match(joined)
        if match is None or len(self.tokens) > 2:
            return (self.tokens,)
        if len(self.tokens) == 1:
            return (self.tokens, (match.group(1), "e"))
        return (self.tokens, (joined,)) if self.tokens[1] == "e" else (self.tokens,)

    @property
    def root(self) -> str | None:
        """The root of a word of one token (see root()); None for others."""
        return root(self.tokens[0]) if len(self.tokens) == 1 else None


def parse(text: str | None) -> list[Term]:
    """Turn a user's query into terms; words without letters or digits are ignored."""
    terms = []
    for word in (text or "").split():
        toks = tuple(tokens(word))
        if not toks:
            continue
        m = _NUMBER.match(ascii_digits(word.strip()))
        if m and m.group(3):
            terms.append(Term(toks, None, int(m.group(3))))
        elif m:
            terms.append(Term(toks, m.group(1), int(m.group(2))))
        else:
            terms.append(Term(toks))
    return terms


def phrase_in(toks: tuple[str, ...], field: list[str]) -> bool:
    """Whether toks occur adjacent in field, the last one as a prefix."""
    n = len(toks)
    for i in range(len(field) - n + 1):
        if field[i : i + n - 1] == list(toks[:-1]) and field[i + n - 1].startswith(toks[-1]):
            return True
    return False


def term_matches(term: Term, period: str, seq: int, number: str, texts: list[str]) -> bool:
    """Whether one term matches a ticket with this number and these texts."""
    if term.seq is not None:
        if term.seq == seq and term.period in (None, period):
            return True
    elif phrase_in(term.tokens, tokens(number)):
        return True
    if any(phrase_in(toks, tokens(f)) for f in texts for toks in term.spellings):
        return True
    return term.root is not None and term.root in roots(*texts)
