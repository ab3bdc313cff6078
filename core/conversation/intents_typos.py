"""A customer's typo of the menu's words ("abrri tiket", "resumu", "perfli", "base de
conhecimeto", "nvoo ticket"): the request it nearly is runs, as "meus tikets" does; a problem
described ("o sistema trava") never reads as one (every word must be a request's)."""

from __future__ import annotations

from difflib import SequenceMatcher

from core.conversation import intents
from core.conversation.intents_words import near, vocabulary
from core.conversation.replies import Command, UserInput, parse
from core.models import User
from core.textmatch import fold

TARGETS = vocabulary(
    "abrir criar registrar novo nova ticket tickets chamado chamados resumo perfil ajuda",
    "base conhecimento artigos artigo menu meus minhas cadastro",
    "open create new summary profile help knowledge articles article")
"""The menu's words a typo is mended to: its options' and the requests' that name them."""
SHORTEST = 4
"""A shorter word is too often a real one a letter away ("meu", "nas")."""
OPENED_TYPO = "abri"
""""abri um chamado" as the first words: "abrir" with its r lost (no "já", no "eu": "eu abri um
chamado ontem" says a ticket opened before)."""


def _mended(word: str) -> str:
    """The one menu word a typed word is a typo of, or the word as typed."""
    if len(word) < SHORTEST or not word.isalpha() or word in TARGETS or word == OPENED_TYPO:
        return word
    found = {t for t in TARGETS if near(word, t)}
    return found.pop() if len(found) == 1 else word


def mend(text: str) -> str | None:
    """The text with its typos of menu words mended, or None when none was."""
    words = fold(text).split()
    fixed = [_mended(w) for w in words]
    if words[:1] == [OPENED_TYPO] and len(words) > 1:
        fixed[0] = "abrir"
    return " ".join(fixed) if fixed != words else None


def command(text: str) -> tuple[Command, str] | None:
    """The command a customer's request names, read again with its typos mended when it names
    none as typed."""
    asked = intents.command(text)
    if asked is not None:
        return asked
    mended = mend(text) if len(text) <= intents.MAX_WORDS * 20 else None
    if mended == "menu":  # "mneu"
        return Command.MENU, ""
    return intents.command(mended) if mended else None


def plain(user: User, text: str) -> tuple[Command, str] | None:
    """A request made only of request words (intents.command, not loose), a customer's read
    again with its typos mended ("abrri tiket" at a ticket's page is no trâmite)."""
    asked = intents.command(text, loose=False)
    if asked is not None or user.is_staff:
        return asked
    mended = mend(text) if len(text) <= intents.MAX_WORDS * 20 else None
    return intents.command(mended, loose=False) if mended else None


AROUND = vocabulary("um uma o a os as de do da meu meus minha minhas quero ver eu",
                    "i want to see my the a an")
"""Small words a request is typed with ("abrir um ticket")."""
LIKE = 0.7
"""How alike a word must be to a menu word to read as a try at it ("tikect", "conhecmento")."""
REQUEST_WORDS = 4


def _like(word: str) -> bool:
    """Whether a word is a menu word, or a try at one."""
    return word in TARGETS or len(word) >= SHORTEST and any(
        SequenceMatcher(None, word, t).ratio() >= LIKE for t in TARGETS)


def tried_request(text: str) -> bool:
    """Whether a short text is a try at a menu request, too mistyped to run ("abrri tikect"):
    no descrição, so a problem typed after it is not joined to it."""
    words = fold(text).split()
    asked = [w for w in words if w not in AROUND]
    return 0 < len(words) <= REQUEST_WORDS and bool(asked) and all(map(_like, asked))


CONTROL = ("cancelar", "voltar", "menu", "sair", "cancel")
"""The words that leave or go back, whose typo alone ("cancelr", "votlar", "mneu", "sari")
was kept as an answer (the assunto, a search) instead."""
REAL_WORDS = frozenset({"cancela", "cancele", "cancelo", "volta", "volte", "votar", "menus",
                        "saia", "saiu", "sais", "said", "canceled"})
"""Words a letter away from them that are words of their own (or handled as they are)."""


def control(user_input: UserInput) -> UserInput:
    """A customer's one-word typo of a word that leaves or goes back, read as that word."""
    word = fold(user_input.text or "") if user_input.kind == "text" else ""
    if len(word) < SHORTEST or not word.isalpha() or word in CONTROL or word in REAL_WORDS:
        return user_input
    found = {"cancelar" if c == "cancel" else c for c in CONTROL if near(word, c)}
    return parse(found.pop()) if len(found) == 1 else user_input
