"""What a customer's own words say at the approval and rating questions (R19, R20)."""

from __future__ import annotations

from core.kb import STOPWORDS
from core.models import Rating
from core.textmatch import fold

NEGATIONS = frozenset({"nao", "nem", "nunca", "not", "didnt", "doesnt", "isnt", "nothing"})
APPROVE = frozenset({"aprovo", "aprovado", "aprovada", "aprovar", "approve", "approved"})
SOLVED = frozenset({"sim", "ok", "okay", "resolveu", "resolvido", "resolvida", "funcionou",
                    "funciona", "certo", "yes", "solved", "works", "worked", "fixed", "perfeito"})
STILL = frozenset({"continua", "persiste", "permanece", "still", "persists"})
"""Words that say the problem is still there, whatever else the sentence says."""
RATINGS = {
    Rating.GREAT: {"otimo", "otima", "excelente", "perfeito", "great", "excellent", "perfect"},
    Rating.GOOD: {"bom", "boa", "good"},
    Rating.FAIR: {"regular", "razoavel", "mediano", "fair", "average"},
    Rating.POOR: {"ruim", "fraco", "bad", "poor"},
    Rating.TERRIBLE: {"pessimo", "pessima", "horrivel", "terrible", "awful"},
}


def decision(text: str) -> str | None:
    """"approve" when the words say the solution worked, "not_approve" when they say it did
    not, None when they say neither."""
    words = set(fold(text).split())
    if words & STILL or (words & NEGATIONS and words & (APPROVE | SOLVED)):
        return "not_approve"
    if words & NEGATIONS:
        return None
    return "approve" if words & (APPROVE | SOLVED) else None


def rating(text: str) -> Rating | None:
    """The one rating a sentence names ("foi muito bom": Bom), None for none, several or a
    negated one."""
    words = set(fold(text).split())
    if words & NEGATIONS:
        return None
    named = [r for r, names in RATINGS.items() if words & names]
    return named[0] if len(named) == 1 else None


def gives_a_reason(text: str) -> bool:
    """Whether words that say "not approved" also say why ("o saldo continua negativo")."""
    said = set(fold(text).split()) - NEGATIONS - APPROVE - SOLVED - STOPWORDS
    return any(len(w) >= 4 for w in said)
