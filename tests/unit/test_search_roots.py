"""R8: the roots that let a word's other forms find each other (storage.search.root)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from storage.search import fold, root


def _root(word: str) -> str | None:
    return root(fold(word))


@pytest.mark.parametrize("words", [
    ("rejeição", "rejeicao", "rejeições", "rejeitada", "rejeitado", "rejeitar", "rejeitou"),
    ("emitir", "emissão", "emissao", "emissões", "emitida", "emitido", "emite"),
    ("cancelamento", "cancelamentos", "cancelada", "cancelar", "cancelou"),
    ("nota", "notas"), ("fiscal", "fiscais"), ("erro", "erros"), ("item", "itens"),
    ("login", "logins"), ("xml", "xmls"), ("valor", "valores"), ("disponível", "disponíveis"),
    ("configuração", "configuracao", "configurações", "configurar", "configurado"),
    ("impressão", "impresso", "imprimir", "imprime"), ("inclusão", "incluir", "incluído"),
    ("devolução", "devolucao", "devolver", "devolvida"), ("decisão", "decidir"),
    ("resolução", "resolver", "resolvido"), ("suspensão", "suspender", "suspenso"),
])
def test_the_forms_of_a_word_share_its_root(words: tuple[str, ...]) -> None:
    assert len({_root(w) for w in words}) == 1, {w: _root(w) for w in words}


@pytest.mark.parametrize(("one", "other"), [
    ("nota", "notificação"), ("notas", "noturno"), ("contas", "contrato"), ("conta", "contato"),
    ("casa", "caso"), ("pedido", "pedágio"), ("emitir", "emitente"), ("fiscal", "fiscalização"),
    ("impressão", "impressora"), ("processo", "procedimento"), ("conversa", "converter"),
])
def test_words_that_only_start_alike_do_not(one: str, other: str) -> None:
    assert _root(one) != _root(other)


def test_stop_words_and_numbers_have_no_root() -> None:
    assert [_root(w) for w in ("para", "entre", "não", "São", "539", "nfe2")] == [None] * 6
    assert _root("parado") == "parado"
    assert _root("entrada") == "entrad"


def test_roots_are_the_same_from_many_threads() -> None:
    """The stemmer keeps the word it works on in itself: threads must not mix theirs."""
    words = [f"{stem}{end}" for stem in ("cancel", "rejeit", "configur", "atualiz", "integr")
             for end in ("ada", "ados", "amento", "ação", "ações", "ar", "ou", "ando")]
    expected = [root.__wrapped__(fold(w)) for w in words]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns inside a word, as a loaded desk's do
    try:
        with ThreadPoolExecutor(8) as pool:
            for _ in range(50):
                assert list(pool.map(lambda w: root.__wrapped__(fold(w)), words)) == expected
    finally:
        sys.setswitchinterval(switch)
