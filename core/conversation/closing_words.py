"""What a customer's own words say at the approval and rating questions (R19, R20)."""

from __future__ import annotations

import re
from collections.abc import Callable

from core.conversation import smalltalk
from core.conversation.turn import Turn
from core.kb import STOPWORDS
from core.models import Rating
from core.textmatch import fold

NEGATIONS = frozenset({"nao", "nem", "nunca", "not", "didnt", "doesnt", "isnt", "nothing",
                       "dont", "wasnt", "hasnt", "havent", "arent", "wont", "cant"})
APPROVE = frozenset({"aprovo", "aprovado", "aprovada", "aprovados", "aprovadas", "aprovar",
                     "aceito", "aceitar", "approve", "approved", "accept", "accepted"})
REFUSE = frozenset({"reprovar", "reprovo", "recuso", "recusar", "rejeito", "rejeitar", "reject",
                    "refuse", "decline"})
"""A refusal's own verbs; not "rejeitada": an NF-e rejected is a matter, no verdict."""
SOLVED = frozenset({"sim", "ok", "okay", "resolveu", "resolvido", "resolvida", "funcionou",
                    "funciona", "certo", "yes", "solved", "works", "worked", "fixed", "perfeito",
                    "work", "working",
                    "encerrar", "encerra", "fechar", "fecha", "close",
                    # the plural, for several tickets ("os dois funcionaram")
                    "resolveram", "resolvidos", "resolvidas", "funcionaram", "funcionam"})
BUT = frozenset({"mas", "porem", "entretanto", "contudo", "parte", "parcialmente", "parcial",
                 "ressalva", "ressalvas", "restricao", "restricoes", "but", "however", "partly",
                 "partially", "except", "restrictions", "reservations"})
"""Words that qualify an approval: it is one with restrictions, and they say which."""
STILL = frozenset({"continua", "persiste", "permanece", "still", "persists", "continues",
                   "remains"})
"""Words that say the problem is still there, whatever else the sentence says."""
_PROBLEM = r"(?:trav\w*|erro\w*|rejeit\w*|falh\w*|lent[oa]s?|problema\w*|congel\w*)"
STILL_THERE = re.compile(
    rf"\bainda\s+(?:(?:esta|estao|ta|fica|segue|da|dando|deu|com)\s+(?:\w+\s+)?)?"
    rf"(?:apresenta|aparece|acontece|ocorre|existe|{_PROBLEM})\b"
    rf"|\bvolt(?:ou|aram|a|am)\s+a\s+{_PROBLEM}"
    r"|\bkeeps?\s+(?:happening|crashing|freezing|failing|rejecting|showing up|coming back)\b")
"""The problem still (or again) there: "ainda trava", "ainda dá erro", "voltou a travar"; not
"ainda bem, funcionou", nor "ainda não testei" (nor "travou de novo", maybe another time);
"it keeps happening" in English."""
SAME_PROBLEM = re.compile(
    r"(?:(?:e|eh|ainda|continua|segue|mas|its|it s|still) )*(?:o |a |the )?"
    r"(?:(?:mesmo|mesma) (?:problema|erro|coisa|falha|rejeicao|situacao)(?: de antes)?"
    r"|same (?:problem|issue|error|thing)(?: as before)?)(?: ainda| continua| again)?")
"""The whole answer says the problem is the same ("mesmo problema", "é o mesmo erro", "same
issue"): it persists; "o mesmo problema aconteceu na loja 2" is a matter."""
LATER = re.compile(
    r"\b(?:vou|vamos|irei|iremos|preciso|tenho que|deixa eu) (?:\w+ )?"
    r"(?:testar|verificar|ver|conferir|validar|olhar|checar)\b"
    r"|\b(?:depois|amanha|mais tarde|logo|segunda) (?:eu )?(?:te |lhe |vos )?"
    r"(?:falo|aviso|digo|respondo|retorno|vejo|confiro|testo|verifico)\b"
    r"|\bainda nao (?:testei|testamos|verifiquei|vi|conferi|consegui testar|deu para testar)\b"
    r"|\b(?:i ll|i will|we ll|we will|let me) (?:\w+ )?(?:test|check|try|look)\b"
    r"|\bnot (?:tested|checked) (?:it )?yet\b")
"""The customer will try the solution first: the decision waits (Decidir depois)."""
LATER_ALONE = re.compile(r"(?:(?:maybe|talvez|deixa|deixe|fica|leave it) (?:pra |para |for )?)?"
                         r"(?:later|depois|mais tarde|not now|agora nao|nao agora|outra hora)"
                         r"(?: (?:eu )?(?:vejo|respondo|olho|decido))?"
                         r"(?: (?:thanks|thank you|obrigad[oa]|please|por favor))?")
"""Decidir depois in other words, saying nothing for the team ("later", "agora não", "deixa
pra depois", "depois eu vejo", "maybe later")."""
RATINGS = {
    Rating.GREAT: {"otimo", "otima", "excelente", "perfeito", "adorei", "maravilhoso", "great",
                   "excellent", "perfect", "loved", "amazing", "awesome", "wonderful",
                   "fantastic", "incrivel", "fantastico"},
    Rating.GOOD: {"bom", "boa", "gostei", "good", "liked"},
    Rating.FAIR: {"regular", "razoavel", "mediano", "fair", "average"},
    Rating.POOR: {"ruim", "fraco", "bad", "poor"},
    Rating.TERRIBLE: {"pessimo", "pessima", "horrivel", "terrible", "awful", "horrible",
                      "worst"},
}


_NOT = re.compile(r"\b(\w+n) t\b")
"""An English negation folded apart ("didn't": "didn t"), joined as the word lists have it."""
BARE_NO = frozenset({"no", "nope", "nah"})


def folded_words(text: str) -> str:
    """The text folded, "didn't" as "didnt"."""
    return _NOT.sub(r"\1t", fold(text))


def bare_no(text: str) -> str | None:
    """"not_approve" for an English no alone at the approval question ("não" picks Não aprovar
    by its label; "no", "nope" name no label)."""
    words = set(fold(text).split())
    return "not_approve" if words and words <= BARE_NO else None


def decision(text: str) -> str | None:
    """"approve" when the words say the solution worked, "partial" when they qualify it
    ("funcionou em parte, mas…", "aprovo com ressalvas", "I approve, but it is still slow"),
    "not_approve" when they say it did not, None when they say neither."""
    folded = folded_words(text)
    words = set(folded.split())
    worked_but = words & (APPROVE | SOLVED) and words & BUT  # "funcionou em parte, mas…"
    still = words & STILL and not (words & APPROVE and words & BUT)  # "aprovo, mas continua…"
    if still or words & REFUSE or (words & NEGATIONS and words & (APPROVE | SOLVED)) \
            or NOTHING_CHANGED.search(folded) or SAME_PROBLEM.fullmatch(folded) \
            or (STILL_THERE.search(folded) and not worked_but):
        return "not_approve"
    if words & NEGATIONS:
        return None
    if words & (APPROVE | SOLVED) or praise(text):
        return "partial" if words & BUT else "approve"
    return "partial" if words & BUT - {"mas", "porem", "but", "however"} else None


PRAISE_WORDS = 6
"""The most words praise has ("ótimo atendimento, obrigada"); a longer text with "boa" in it
is a matter ("a nota boa é a 10125, mas…")."""


def praise(text: str) -> bool:
    """Whether the words thank or praise ("obrigada!", "excelente atendimento"), not greet
    ("bom dia"): at the approval, the solution worked (R19)."""
    said = smalltalk.kind(text)
    if said == "thanks":
        return True
    return said != "hello" and len(text.split()) <= PRAISE_WORDS \
        and rating(text) in (Rating.GREAT, Rating.GOOD)


BEST_FIRST = list(Rating)
NOTHING_CHANGED = re.compile(
    r"\b(?:resolveu|resolveram|funcionou|funcionaram|adiantou|adiantaram|mudou|mudaram)\s+nada\b")
STARS = re.compile(r"\b([1-5])\s*(?:estrelas?|stars?)\b")
MARK = re.compile(r"(?:nota\s*)?(\d{1,2})(?:\s*(?:de|em|of|out of)?\s*10)?")
"""A mark out of 10, as Brazilians give them ("nota 10", "8/10")."""
NOT_AT_ALL = re.compile(r"\bnada (?:bo[ma]|otim[oa]|excelente|perfeit[oa]|gostei)\b")
""""nada bom": not good at all (while "nada a reclamar" praises)."""
OUT_OF_FIVE = re.compile(r"(?:nota\s*)?([1-5])\s*(?:/|de|em|of|out of)\s*5")
"""A mark out of 5, as stars are ("4 de 5", "4/5")."""
SO_SO = re.compile(r"\bmais ou menos\b|\bso so\b")
"""Neither good nor bad: Regular ("so-so" folds to "so so")."""
STAR_SIGNS = "⭐★🌟"
"""Stars sent as such: "⭐⭐⭐⭐" is four of five."""


EXPLICIT = re.compile(
    r"\b(?:[1-5]\s*(?:estrelas?|stars?)|nota\s*\d{1,2}|[1-5]\s*(?:/|de|of|out of)\s*5)\b")
"""A mark given as one ("5 estrelas", "nota 10", "4/5"), not a word that may only praise."""


def explicit_rating(text: str) -> Rating | None:
    """The rating words name as a mark (stars, "nota 10", "4 de 5"), approving with them: "ótimo,
    funcionou" may only praise the solution, "5 estrelas" rates the service."""
    if any(sign in text for sign in STAR_SIGNS):
        return rating(text)
    given = EXPLICIT.search(fold(text))
    return rating(given.group(0)) if given and not set(fold(text).split()) & NEGATIONS \
        else None


def rating(text: str) -> Rating | None:
    """The one rating a sentence names ("foi muito bom": Bom; "5 estrelas", "⭐⭐⭐⭐⭐",
    "nota 10": Ótimo; "4 de 5": Bom; "mais ou menos": Regular), None for none, several or a
    negated one."""
    folded = fold(text)
    words = set(folded.split())
    if words & NEGATIONS or NOT_AT_ALL.search(folded):
        return None
    signs = sum(map(text.count, STAR_SIGNS))
    if 1 <= signs <= len(BEST_FIRST):
        return BEST_FIRST[-signs]
    five = OUT_OF_FIVE.fullmatch(text.casefold().strip())
    if five:
        return BEST_FIRST[-int(five.group(1))]
    stars = STARS.search(folded)
    if stars:
        return BEST_FIRST[5 - int(stars.group(1))]
    mark = MARK.fullmatch(folded.replace("nota dez", "nota 10"))
    if mark and int(mark.group(1)) <= 10:
        n = int(mark.group(1))
        return BEST_FIRST[next(i for i, least in enumerate((9, 7, 5, 3, 0)) if n >= least)]
    if SO_SO.search(folded):
        return Rating.FAIR
    named = [r for r, names in RATINGS.items() if words & names]
    return named[0] if len(named) == 1 else None


MARK_WORDS = {"seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
              "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
"""A mark out of 10 typed alone in words."""


def mark_alone(text: str) -> int | None:
    """A mark out of 10 typed alone above our scale ("9", "oito", "10"): not said to be a mark
    as "nota 9" is, and our scale is 1 to 5 (Ótimo to Péssimo): read as "nota 9" is, said
    back to be confirmed."""
    folded = fold(text)
    mark = MARK_WORDS.get(folded, int(folded) if folded.isdecimal() else 0)
    return mark if 6 <= mark <= 10 else None


THUMBS = {"👍": (Rating.GREAT, Rating.GOOD), "👎": (Rating.POOR, Rating.TERRIBLE)}
THUMB_NOISE = re.compile("[\U0001F3FB-\U0001F3FF\uFE0F\\s]")
"""Skin tones, the emoji variation selector and spaces around a thumb."""


def rating_to_confirm(text: str) -> tuple[Rating, ...]:
    """The ratings a loose answer may mean, to be confirmed: "10" Ótimo, "8" Bom; "👍" Ótimo or
    Bom, "👎" Ruim or Péssimo; none for anything else."""
    mark = mark_alone(text)
    if mark is not None:
        return tuple(filter(None, [rating(f"nota {mark}")]))
    signs = set(THUMB_NOISE.sub("", text))
    return THUMBS[signs.pop()] if len(signs) == 1 and signs <= THUMBS.keys() else ()


def later(text: str) -> bool:
    """Whether words at the approval question say the customer will try it first ("vou
    testar amanhã e te falo", "ainda não testei")."""
    return LATER.search(fold(text)) is not None or later_alone(text)


def later_alone(text: str) -> bool:
    """Whether the words only say "later" ("depois", "not now"): the button, no message."""
    return LATER_ALONE.fullmatch(fold(text)) is not None


def approving(text: str) -> bool:
    """Whether words typed for the reason or the restriction approve instead ("aprovar",
    "funcionou"): a change of mind, with no reason in them (nor small talk: "ok", "sim")."""
    return decision(text) == "approve" and not gives_a_reason(text) \
        and smalltalk.kind(text) is None


def unless_approving(answer: Callable[[Turn, str], None]) -> Callable[[Turn, str], None]:
    """The reason or restriction typed, unless the words approve: then the approval is
    confirmed first (closing.confirm), those words kept as neither."""

    def on_text(turn: Turn, text: str) -> None:
        if approving(text):
            turn.go("closing.confirm")
        else:
            answer(turn, text)

    return on_text


def says_which(text: str) -> bool:
    """Whether words that approve with restrictions also say which ("mas o relatório sai sem
    a margem"), not only the choice itself ("aprovo com ressalvas")."""
    said = set(folded_words(text).split()) - APPROVE - SOLVED - BUT - STOPWORDS \
        - {"with", "aprovacao", "approval"}
    return any(len(w) >= 4 for w in said)


_CHOICE_FIRST = re.compile(
    r"\s*(?:eu\s+|i\s+)?(?:aprovo|aprovado|aprovada|aprovar|approve|approved)\s+(?:com|with)\s+"
    r"(?:ressalvas?|restri[cç](?:[aã]o|[oõ]es)|restrictions?|reservations?)\s*[:;,.–-]+\s*",
    re.IGNORECASE)
"""The choice said before the restriction: "aprovo com ressalva: …", "I approve with
reservations - …"."""


def restriction(text: str) -> str:
    """The restriction words say, the choice said before it left out ("aprovo com ressalva: o
    relatório…" is "o relatório…")."""
    first = _CHOICE_FIRST.match(text)
    return (text[first.end():] if first else text).strip() or text.strip()


def gives_a_reason(text: str) -> bool:
    """Whether words that say "not approved" also say why ("o saldo continua negativo")."""
    said = set(folded_words(text).split()) - NEGATIONS - APPROVE - SOLVED - REFUSE - STOPWORDS \
        - {"solucao", "solution", "resposta", "answer"}
    return any(len(w) >= 4 for w in said)
