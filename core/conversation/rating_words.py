"""What words typed at the rating say besides a mark (R20): feedback about the service, to
keep as the rating's comment, or a new matter, to offer as a new ticket as before."""

from __future__ import annotations

import re

from core.conversation import smalltalk
from core.conversation.closing_words import (
    BUT,
    NEGATIONS,
    RATINGS,
    SOLVED,
    STILL,
    STILL_THERE,
    folded_words,
)
from core.kb import STOPWORDS
from core.textmatch import fold

SERVICE = re.compile(
    r"\b(?:atend\w*|atencios\w*|atencao|tecnic[oa]s?|suporte|equipe|analista\w*|pessoal"
    r"|demor\w*|rapid\w*|agil\w*|prestativ\w*|educad\w*|gentil\w*|simpatic\w*|pacien\w*"
    r"|cordia\w*|competen\w*|eficien\w*|profissiona\w*|respondeu|responderam|respondia"
    r"|resposta\w*|retorno\w*|retornou|retornaram|ninguem|explic\w*|ajudou|ajudaram|parabens"
    r"|obrigad[oa]|resolveu|resolveram|resolvido|resolvida|reclamar|espera\w*|esperei|dias"
    r"|service|support|agent|technician|staff|team|helpful|friendly|polite|kind|patient"
    r"|quick\w*|fast|slow\w*|long|waited|waiting|wait|responded|answered|replied|thanks"
    r"|thank|took|solved|fixed|nobody)\b")
"""Words about the service and the people who gave it: how fast, how kind, who answered."""
NEW_MATTER = re.compile(
    r"\b(?:trav\w*|erro\w*|rejeit\w*|falh\w*|problema\w*|congel\w*|impressora\w*|imprim\w*"
    r"|impressao|boleto\w*|nota fiscal|notas fiscais|nfe|nfce|sped|pdv|estoque|pedido\w*"
    r"|relatorio\w*|contrato\w*|parcela\w*|cadastr\w*|senha\w*|login|backup|servidor"
    r"|certificado\w*|xml|tela|sistema|preciso|precisamos|como faco|outra coisa|outro assunto"
    r"|agora (?:\w+ )?(?:nao|esta|ta|deu|da|apareceu|aparece)"
    r"|nao (?:\w+ )?(?:imprime|funciona|abre|emite|gera|carrega|aparece|entra|salva|calcula"
    r"|envia|conecta|consigo|consegue|sai|fecha|transmite|baixa|atualiza|integra)"
    r"|error\w*|crash\w*|bug|broken|printer|invoice\w*|password|login|cannot|can t|doesnt work"
    r"|not working|how do i|i need|now the)\b")
"""A new matter: something of the system broken now or wanted ("agora a impressora não
imprime", "preciso de outro relatório"), not the service given on the ticket just closed."""
FILLER = frozenset({
    "foi", "muito", "muita", "bem", "mesmo", "atendimento", "servico", "nota", "estrela",
    "estrelas", "tudo", "dez", "mais", "menos", "super", "realmente", "achei", "acho", "sim",
    "was", "very", "the", "it", "really", "so", "service", "all", "stars", "star", "out",
    "of", "is", "and", "my", "an", "too", "just", "overall", "pretty", "quite"})
"""Words that say the mark and nothing more ("foi muito bom", "ótimo atendimento")."""
MARK_WORDS = frozenset().union(*RATINGS.values())


def remark(text: str) -> bool:
    """Whether words naming a mark say more than the mark ("péssimo, ninguém me respondeu por
    3 dias"), not just it ("foi muito bom", "ótimo atendimento, obrigada", "nota 8")."""
    words = set(re.findall(r"[^\W\d_]+", fold(text)))
    said = words - MARK_WORDS - FILLER - STOPWORDS - smalltalk.WORDS
    return any(len(w) >= 3 for w in said)


def new_matter(text: str) -> bool:
    """Whether the words tell of something broken or wanted now: a new ticket's matter."""
    folded = fold(text)
    return NEW_MATTER.search(folded) is not None or STILL_THERE.search(folded) is not None


def feedback(text: str) -> bool:
    """Whether words naming no mark are feedback about the service ("demorou muito, mas
    resolveu", "o técnico foi muito atencioso", "took too long, but ok"), no new matter."""
    folded = fold(text)
    return SERVICE.search(folded) is not None and not new_matter(text) \
        and not set(folded.split()) <= smalltalk.WORDS | NEGATIONS


def feedback_words(text: str) -> bool:
    """Whether the words speak of the service at all (who answered, how fast, how kind)."""
    return SERVICE.search(fold(text)) is not None


_BUT_SPLIT = re.compile(r"\b(?:mas|porem|but|so que|however)\b")
NOW_ANOTHER = frozenset({"agora", "now", "outro", "outra", "another", "other"})
"""Words after the "mas" that make its problem a new one ("mas agora…", "but now…")."""
STILL_SAME = STILL | {"ainda", "yet", "again", "denovo", "novamente"}


def solved_then_new(text: str) -> bool:
    """Whether the words say the solution worked, then tell of a new problem ("funcionou, mas
    agora a impressora não imprime"), not the same one still there ("mas ainda dá erro")."""
    folded = folded_words(text)
    found = _BUT_SPLIT.search(folded)
    if found is None:
        return False
    first = set(re.findall(r"\w+", folded[:found.start()]))
    tail = folded[found.end():]
    then = set(re.findall(r"\w+", tail))
    return bool(first & SOLVED) and not first & (NEGATIONS | BUT) and bool(then & NOW_ANOTHER) \
        and not then & STILL_SAME and new_matter(tail)
