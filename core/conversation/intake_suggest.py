"""The item and the serviço a descrição already typed points to ("a nota foi rejeitada pela
SEFAZ": Suporte, Fiscal / NF-e), said at their questions and taken with a yes (R3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from core.catalog import Item, Servico, Tipo
from core.conversation import smalltalk
from core.kb import ENGLISH_STOPWORDS, STOPWORDS
from core.textmatch import contains, fold, name_words, unhyphenate

MIN_WORD = 3
"""Shorter words of a label ("e" of "NF-e", "/") name nothing."""
VAGUE = STOPWORDS | ENGLISH_STOPWORDS | {"new", "change", "system", "sistema"}
"""Words of a label found in any sentence ("the" of "Version update (copying the
executables)", "new" of "Training / new routines"): they point to no serviço."""
Option = TypeVar("Option", Item, Servico)


def keywords(option: Item | Servico) -> set[str]:
    """The words and phrases that point to an item or a serviço: its labels' words and its
    aliases."""
    labels = name_words(f"{option.label} {option.label_en or ''}")
    return {w for w in labels if len(w) >= MIN_WORD and w not in VAGUE} | {
        fold(a) for a in option.aliases if fold(a)}


def suggested(item: Item, text: str) -> Servico | None:
    """The one serviço of the item the text points to (best_of)."""
    return best_of(item.servicos, text)


def suggested_item(tipo: Tipo, text: str) -> Item | None:
    """The one item of the tipo the text points to ("o PDV trava": Suporte; best_of)."""
    return best_of(tipo.itens, text)


def best_of(options: Sequence[Option], text: str) -> Option | None:
    """The one option whose keywords the text holds most, more than any other's; None when the
    text points nowhere or to several alike."""
    folded = fold(unhyphenate(text))  # "NF-e" typed is "nfe", as at the question
    if not folded:
        return None
    scored = sorted(((sum(contains(folded, k) for k in keywords(s)), s) for s in options),
                    key=lambda pair: -pair[0])
    best = scored[0][0]
    if best == 0 or (len(scored) > 1 and scored[1][0] == best):
        return None
    return scored[0][1]


NAMED_WORDS = 4
"""A serviço named in passing is a short answer ("nfce", "é no PDV"), not a sentence."""


def named(item: Item, text: str) -> Servico | None:
    """The serviço a short answer names ("nfce", "o PDV"): suggested's, for a few words."""
    return suggested(item, text) if len(text.split()) <= NAMED_WORDS else None


def accepted(text: str) -> bool:
    """A yes to the item or serviço suggested ("sim", "isso", "pode ser")."""
    return smalltalk.yes_or_no(text, frozenset({"isso", "esse", "este", "ser", "that", "it"})
                               ) is True
