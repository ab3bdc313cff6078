"""Typed answers to a question with options: the option a label, number or word names."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from core.conversation import page_words
from core.conversation.replies import Expect
from core.conversation.smalltalk import AROUND, NO, YES
from core.conversation.turn import current_prompt
from core.conversation_state import ConversationState
from core.errors import InvalidInput
from core.kb import STOPWORDS
from core.textmatch import fold, name_words, stem, unhyphenate

OPTION_DIGITS = 9
"""The most digits read as an option's number ("30" past the last option names one saying it)."""


TEXT_OPTION_DIGITS = 2
"""At a free-text question whose numbers name options, a longer number is text ("4431")."""


def match_choice(state: ConversationState, text: str, numbers: bool = False) -> str | None:
    """A typed answer naming a choice: its label (or the first words of just one label when a
    choice is expected), or its number (past the last, the one label holding it: "30"); at a
    free-text question, its number only where `numbers` name options (Step.numbers_are_options)."""
    prompt = current_prompt(state)
    if prompt is None or not prompt.choices:
        return None
    raw = text.strip()
    if numbers and prompt.expect == Expect.TEXT and raw.isdecimal() and raw[0] != "0" \
            and len(raw) <= TEXT_OPTION_DIGITS:
        if int(raw) <= len(prompt.choices):
            return prompt.choices[int(raw) - 1].id.partition(":")[2]
        raise InvalidInput("conv.error.no_option_or_words", number=int(raw),
                           last=len(prompt.choices), count=len(prompt.choices))
    # "0002" is the end of a ticket number, not the second option; a number past
    # OPTION_DIGITS names none (and Python refuses int() of one past 4 300 digits).
    if raw.isdecimal() and raw[0] != "0" and len(raw) <= OPTION_DIGITS \
            and prompt.expect in (Expect.CHOICE, Expect.CONFIRM):
        index = int(raw)
        if 1 <= index <= len(prompt.choices):
            return prompt.choices[index - 1].id.partition(":")[2]
        # "30" past the last option: the one option that says it ("últimos 30 dias").
        saying = [c for c in prompt.choices if raw in fold(c.label).split()]
        if len(saying) == 1:
            return saying[0].id.partition(":")[2]
        raise InvalidInput("conv.error.choose_number", number=index, last=len(prompt.choices),
                           count=len(prompt.choices))
    folded = fold(raw)
    if not folded:
        return None
    labels = [(fold(c.label), c.id.partition(":")[2]) for c in prompt.choices]
    for label_text, value in labels:
        if label_text == folded:
            return value
    if prompt.expect in (Expect.CHOICE, Expect.CONFIRM) and len(folded) >= 3:
        # "suporte" for "Suporte TOTALL SISTEMAS", when it names exactly one option.
        starts = [v for text, v in labels if text.startswith(folded + " ")]
        if len(starts) == 1:
            return starts[0]
    return page_words.move(state, folded, {v for _, v in labels})  # "próximo", "mais"


def labels_typed(state: ConversationState, said: str) -> bool:
    """Whether a command word typed bare is an option's label on screen ("new" at "Which
    tab?" is the tab New, not a new ticket); a slash makes it the command."""
    prompt = current_prompt(state)
    typed = fold(said)
    return prompt is not None and bool(typed) and not said.startswith("/") and \
        any(fold(c.label) == typed for c in prompt.choices)


def mentions_option(state: ConversationState, text: str) -> bool:
    """Whether a text holds a real word of an option's label ("não quero registrar ainda" at
    the summary): about the options, not a value to keep."""
    prompt = current_prompt(state)
    real = {stem(w) for w in fold(unhyphenate(text)).split() if len(w) >= 4}
    return prompt is not None and any(
        real & {stem(w) for w in name_words(c.label)} for c in prompt.choices)


AMBIGUOUS_MAX = 6
NEGATIONS = frozenset({"nao", "nem", "sem", "nunca", "not", "without"})
"""A typed answer with a negation never picks an option by a shared word (not English "no":
it is Portuguese "no", in the, as in "erro no caixa")."""

SOFTWARE_WORDS = frozenset({"sistema", "sistemas", "system", "programa", "software"})
"""Words every customer's sentence may hold, which name no option ("Suporte TOTALL SISTEMAS")."""
AGAIN = re.compile(r"\b(?:de novo|outra vez|mais uma vez|again)\b")
""""travou de novo" says it happened again: no "novo" (the tab Novos, the alias of an
implementation request) is named by it."""
TYPO_MIN = 5
TYPO_RATIO = 0.85
TYPO_WORDS = 3
"""Only a short answer is read with typos forgiven; a sentence must share a word exactly."""


def close(word: str, words: set[str]) -> bool:
    """Whether a typed word is nearly one of the label's words (a letter off or swapped)."""
    return any(len(w) >= TYPO_MIN and _ratio_at_least(SequenceMatcher(None, word, w))
               for w in words)


def _ratio_at_least(m: SequenceMatcher[str]) -> bool:
    """ratio() >= TYPO_RATIO, its cheap upper bounds first (as difflib.get_close_matches):
    a pasted 100 KB word is never compared letter by letter."""
    return m.real_quick_ratio() >= TYPO_RATIO and m.quick_ratio() >= TYPO_RATIO \
        and m.ratio() >= TYPO_RATIO


def match_words(state: ConversationState, text: str, strict: bool = False) -> str | None:
    """At a question that takes only a click: the one option whose label has every word typed
    ("sped" for "Contabilidade / SPED"), else (unless strict) the one sharing a real word with
    it; several such options are named back to choose from."""
    prompt = current_prompt(state)
    folded = set(AGAIN.sub(" ", fold(unhyphenate(text))).split())  # "NF-e" typed is "nfe"
    if prompt is None or not folded or max(len(w) for w in folded) < 3:
        return None
    typed = {stem(w) for w in folded}  # "paradas" is "parada"
    answer = folded <= YES | NO | AROUND  # "não": "Não aprovar", never "(ex.: não emite notas)"
    labels = [(c, {stem(w) for w in name_words(f"{c.label} {c.words}")})
              for c in prompt.choices if not answer or set(fold(c.label).split()[:1]) & folded]
    found = [c for c, words in labels if typed <= words]
    if not found and not folded & NEGATIONS:  # "o pdv", "na nfe": the small words aside
        content = {stem(w) for w in folded if w not in STOPWORDS}
        found = [c for c, words in labels if content and content <= words]
    if not found and not folded & NEGATIONS and not strict:
        # "a loja está parada" for "Empresa ou área parada": the options sharing a real word,
        # as many as the other real words at least ("o caixa travou de novo" is no "Novos").
        real = {stem(w) for w in folded
                if len(w) >= 4 and w not in STOPWORDS and w not in SOFTWARE_WORDS}
        shared = {c.id: len(real & words) for c, words in labels}
        most = max(shared.values(), default=0)
        found = [c for c, _ in labels if most and shared[c.id] == most and _names(most, real)]
        if not found and len(real) <= TYPO_WORDS:  # a typo or a cognate: "estque", "support"
            found = [c for c, words in labels if _names(sum(
                len(w) >= TYPO_MIN and close(w, words) for w in real), real)]
    if len(found) == 1:
        return found[0].id.partition(":")[2]
    if 1 < len(found) <= AMBIGUOUS_MAX:
        raise InvalidInput("conv.error.ambiguous", text=text.strip()[:40],
                           options="; ".join(c.label for c in found))
    return None


def _names(shared: int, real: set[str]) -> bool:
    """Whether the words an option shares are an answer naming it, not a sentence about
    something else that merely holds one of them: at least as many as the others."""
    return shared > 0 and shared * 2 >= len(real)


SHORT_ANSWER_WORDS = 3


def short_choice(state: ConversationState, text: str) -> str | None:
    """At a question that takes text or a click: a few words typed, each a word of just one
    option's label ("sem observação" for "Encaminhar sem observação"), name that option, so
    they are not taken as the text itself."""
    prompt = current_prompt(state)
    typed = set(fold(unhyphenate(text)).split())
    if prompt is None or not typed or len(typed) > SHORT_ANSWER_WORDS or \
            max(len(w) for w in typed) < 3:
        return None
    found = [c.id.partition(":")[2] for c in prompt.choices
             if typed <= set(fold(unhyphenate(c.label)).split())]
    return found[0] if len(found) == 1 else None
