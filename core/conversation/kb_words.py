"""Words typed at a knowledge-base article or its results that say it did not help (R9)."""

from __future__ import annotations

import re

from core.textmatch import fold

NOT_HELPED = re.compile(
    r"\b(?:nao (?:me )?(?:resolveu|resolve|ajudou|ajuda|funcionou|funciona|serviu|adiantou"
    r"|deu certo|era isso|e isso|e o meu caso|e o caso|consegui|achei|encontrei)"
    r"|ainda (?:nao|da|esta|continua)|continua (?:dando|com|o mesmo|igual|sem)"
    r"|didn t (?:help|work|solve|fix)|did not (?:help|work|solve|fix)"
    r"|doesn t (?:help|work)|does not (?:help|work)|not (?:helpful|what i)"
    r"|still (?:not|the same|broken|getting|failing))\b")
"""The article did not solve it: "isso não resolveu", "não era isso", "that didn't help"."""
WANTS_PERSON = re.compile(
    r"\b(?:falar com (?:alguem|algum|um|uma|o|a|voces|atendente|humano)"
    r"|(?:quero|preciso|abrir|abre|abra) (?:de )?(?:um )?(?:ticket|chamado|atendimento|ajuda)"
    r"|talk to (?:someone|a human|an agent|support)|open a ticket|need help)\b")
"""The customer asks for a person or a ticket: "quero falar com alguém", "abrir chamado"."""
TOLD_WORDS = 5
"""Words beyond which a message says more than that it did not help: a problem to keep."""


def not_helped(text: str) -> bool:
    """Whether the words say the article or search did not help, or ask for a person."""
    folded = fold(text)
    return NOT_HELPED.search(folded) is not None or WANTS_PERSON.search(folded) is not None


def wants_person(text: str) -> bool:
    """Whether the words ask for a person or a ticket, not say that something failed."""
    folded = fold(text)
    return WANTS_PERSON.search(folded) is not None and NOT_HELPED.search(folded) is None


def tells_more(text: str) -> bool:
    """Whether the words tell the problem too ("não resolveu, continua a rejeição 539"), not
    only that it was not solved: kept as a ticket's descrição."""
    return len(text.split()) > TOLD_WORDS
