"""Small talk typed where no answer is pending: greetings, thanks, goodbyes and assents."""

from __future__ import annotations

import re

from core.conversation.fmt import preview
from core.errors import InvalidInput
from core.textmatch import fold

HELLO = frozenset({
    "oi", "ola", "opa", "bom", "boa", "dia", "tarde", "noite", "tudo", "bem", "e", "ai", "como",
    "vai", "voce", "hello", "hi", "hey", "good", "morning", "afternoon", "evening", "night",
    "how", "are", "doing", "there"})
THANKS = frozenset({"obrigado", "obrigada", "muito", "valeu", "grato", "grata", "thanks",
                    "thank", "thx", "ty", "cheers"})
THANKS_AROUND = frozenset({"you", "a", "lot", "much", "very", "so"})
"""Words around a thanks ("thank you", "thanks a lot"); "how are you" thanks for nothing."""
BYE = frozenset({"tchau", "ate", "logo", "mais", "bye", "goodbye", "see", "later", "cya"})
ASSENT = frozenset({
    "ok", "sim", "nao", "yes", "no", "blz", "beleza", "certo", "entendi", "show", "top",
    "legal", "otimo", "perfeito", "pronto", "fechado", "combinado", "hum", "hmm", "kkk",
    "seguir", "assim", "isso", "s", "n", "y", "okay", "sure", "cool", "got", "it", "alright",
    "yeah", "yep", "understood", "noted"})
WORDS = HELLO | THANKS | BYE | ASSENT | {"you"}


def kind(text: str) -> str | None:
    """"thanks", "bye", "hello" or "assent" when the text is only small talk, else None."""
    words = set(fold(text).split())
    if words & THANKS and words <= WORDS | THANKS_AROUND:
        return "thanks"
    if not words or not words <= WORDS:
        return None
    for name, group in (("bye", BYE), ("hello", HELLO)):
        if words & group:
            return name
    return "assent"


def refuse(text: str, key: str, numbers: bool = False) -> None:
    """Refuse small talk ("oi", "ok", "obrigada") where a matter must be told, with the text;
    with `numbers`, a number and articles alone too ("o 4", "4?": a ticket named, not told)."""
    if kind(text) is not None or numbers and says_nothing(text):
        raise InvalidInput(key, text=preview(text.strip(), 40))


ARTICLES = frozenset({"o", "a", "os", "as", "e", "do", "da", "no", "na", "n", "the", "and", "of"})
_WORD = re.compile(r"[^\W_]+")


def says_nothing(text: str) -> bool:
    """Whether the words are numbers and articles alone ("o 4", "4?", "no 2.")."""
    words = _WORD.findall(fold(text))
    return bool(words) and all(w.isdecimal() or w in ARTICLES for w in words)


SOLVED = frozenset({"resolvido", "resolvida", "resolveu", "resolvi", "resolvemos",
                    "solucionado", "solucionou", "funcionou", "funcionando", "solved", "fixed",
                    "works", "working", "sorted"})
SOLVED_AROUND = frozenset({"ja", "agora", "tudo", "certo", "deu", "problema", "foi", "aqui",
                           "consegui", "pessoal", "gente", "it", "is", "now", "all", "the",
                           "problem", "got", "its"})


def solved(text: str) -> bool:
    """Whether the words only say a problem got solved ("resolvido, obrigada", "já funcionou",
    "it works now"): no matter to open a ticket about."""
    words = set(fold(text).split())
    return bool(words & SOLVED) and not words & (NO | {"nunca", "never"}) \
        and words <= SOLVED | SOLVED_AROUND | WORDS


YES = frozenset({"sim", "s", "ok", "okay", "pode", "isso", "claro", "certo", "beleza", "blz",
                 "confirmo", "por", "favor", "pf", "yes", "y", "sure", "please", "yeah", "yep",
                 "yup", "correct", "right", "course", "absolutely", "exactly", "alright"})
NO = frozenset({"nao", "n", "no", "nope", "not", "nah"})
AROUND = frozenset({"agora", "ainda", "enquanto", "melhor", "obrigado", "obrigada", "valeu",
                    "now", "yet", "thanks", "thank", "you", "rather", "of", "really"})
"""Words around a yes or no that change neither ("agora não", "not now", "sim, obrigado")."""
GO_AHEAD = frozenset({"go", "ahead"})
"""An English yes in a verb's stead ("go ahead", "sure, go ahead"), as "pode" is."""
FORGET = frozenset({"esquece", "deixa", "pra", "para", "la", "forget", "it", "never", "mind",
                    "nevermind"})
"""A no in so many words ("esquece", "deixa pra lá", "forget it", "never mind")."""
REPLY_MAX = 5
"""Words a yes or no may have ("sim, pode enviar, por favor")."""


def yes_or_no(text: str, yes: frozenset[str] = frozenset(), no: frozenset[str] = frozenset()
              ) -> bool | None:
    """True for a short yes ("sim, pode enviar"), False for a short no ("não, descarta"), None
    for anything else; `yes` and `no` add the question's own verbs."""
    words = set(fold(text).split())
    if not words - AROUND or len(words) > REPLY_MAX or not words <= YES | NO | AROUND | yes | no:
        return None
    said_no = bool(words & NO) or bool(words & no and not words & (yes - no))
    return not said_no
