"""Words at a ticket's page that only say the user wants to write on it ("responder", "quero
comentar", "novo trâmite", an agent's "nota interna"): the question for the text (R7); or
only ask to reopen it ("quero reabrir"), which no closed ticket ever is (R19)."""

from __future__ import annotations

from core.textmatch import fold

VERBS = frozenset({
    "responder", "respondo", "responda", "comentar", "comento", "escrever", "escrevo",
    "adicionar", "acrescentar", "incluir", "reply", "answer", "comment", "write", "add"})
THINGS = frozenset({"tramite", "comentario", "comment", "note"})
"""Nouns that alone ask to write: "trâmite", "novo trâmite" (not "resposta": "preciso de uma
resposta" is a message)."""
AROUND = frozenset({
    "quero", "queria", "gostaria", "preciso", "vou", "deixa", "eu", "de", "um", "uma", "o", "a",
    "ao", "no", "na", "novo", "nova", "outro", "outra", "mais", "cliente", "ticket", "chamado",
    "mensagem", "resposta", "i", "want", "to", "d", "like", "let", "me", "the", "an", "new",
    "another", "customer", "message", "on", "this"})
NOTE = frozenset({"nota", "nota interna", "adicionar nota", "adicionar nota interna",
                  "escrever nota", "escrever nota interna", "nova nota", "!nota",
                  "note", "internal note", "add note", "add a note", "add an internal note"})
"""An agent's words for an internal note (a customer's "nota" is a nota fiscal)."""


def asks_to_write(text: str) -> bool:
    """Whether the words only ask to write a trâmite, saying nothing for it."""
    words = fold(text).split()
    return bool(words) and set(words) <= VERBS | THINGS | AROUND \
        and bool(set(words) & (VERBS | THINGS))


def asks_for_note(text: str) -> bool:
    """Whether an agent's words ask to write an internal note."""
    return " ".join(fold(text).split()) in NOTE


REOPEN = frozenset({"reabrir", "reabre", "reabra", "reabrisse", "reabertura", "reopen"})
AROUND_REOPEN = AROUND | frozenset({
    "pode", "podem", "podes", "da", "pra", "para", "por", "favor", "pf", "pfv", "ai", "esse",
    "este", "isso", "ele", "meu", "please", "can", "you", "could", "it", "pedir", "pedido"})


def asks_to_reopen(text: str) -> bool:
    """Whether the words only ask to reopen the ticket, saying nothing of what happened."""
    words = set(fold(text).split())
    return bool(words & REOPEN) and words <= REOPEN | AROUND_REOPEN
