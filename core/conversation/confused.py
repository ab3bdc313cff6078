"""A customer who says they did not understand ("não entendi", "como assim?", "?"): the
question at hand explained in other words, then asked again as it was (nothing typed is lost)."""

from __future__ import annotations

import re

from core.conversation.turn import IDLE, Turn, current_prompt
from core.i18n import has
from core.services.access import number_example
from core.textmatch import fold

PHRASES = frozenset({
    "nao entendi", "nao entendi nada", "nao entendo", "nao to entendendo",
    "nao estou entendendo", "nao compreendi", "nao compreendo", "nao ficou claro",
    "como assim", "como", "hein", "hem", "ahn", "han", "o que", "oque", "que", "o que e isso",
    "o que eu faco", "o que faco", "o que faco agora", "e agora", "explica", "me explica",
    "pode explicar", "nao sei o que fazer", "estou perdido", "estou perdida", "to perdido",
    "to perdida", "confuso", "confusa", "i don t understand", "i do not understand",
    "i dont understand", "don t understand", "what", "what do you mean", "huh", "what now"})
WHAT_TO_WRITE = re.compile(
    r"(?:o que|oque|que) (?:eu )?(?:devo |tenho que |preciso )?"
    r"(?:coloco|colocar|escrevo|escrever|ponho|por|preencho|preencher|digito|digitar)"
    r"(?: (?:aqui|ai|nisso|nesse campo|neste campo))?"
    r"|o que e (?:isso|assunto|o assunto|descricao|a descricao)"
    r"|nao sei o que (?:colocar|escrever|por|preencher|digitar)(?: aqui)?"
    r"|what (?:should|do|can) i (?:write|put|type)(?: here)?")
"""A question about what the question asks ("o que coloco aqui?"), never an answer to it."""
UNSURE = frozenset({"nao sei", "sei la", "i don t know", "i dont know", "idk", "dunno",
                    "no idea", "not sure", "no clue"})
"""At a question that takes words (the assunto, the descrição), not knowing what to write; at
the intake's options (the item, the module, the priority), not knowing which to pick."""
WORD_STEPS = frozenset({"intake.assunto", "intake.descricao", "intake.item", "intake.servico",
                        "intake.prioridade"})
MESSAGE_STEPS = frozenset({"ticket.tramite", "ticket.said"})
"""Where words are a message to the team: "não entendi" there is about their answer."""


def confused(text: str) -> bool:
    """Whether the whole message says the user did not understand (or is only "?")."""
    stripped = text.strip()
    if stripped and set(stripped) <= {"?", "!", " "} and "?" in stripped:
        return True
    return fold(text) in PHRASES or WHAT_TO_WRITE.fullmatch(fold(text)) is not None


def applies(turn: Turn, text: str) -> bool:
    """A customer's "não entendi" at a question (not a message being written to the team)."""
    user = turn.user_or_none
    return user is not None and not user.is_staff and \
        turn.state.step not in MESSAGE_STEPS and (confused(text) or (
            turn.state.step in WORD_STEPS and fold(text) in UNSURE))


def explain(turn: Turn) -> None:
    """Say what the question at hand asks, in other words, and ask it again unchanged."""
    step = turn.state.step or IDLE
    prompt = current_prompt(turn.state)
    own = f"conv.confused.{step}"
    if has(own, turn.lang):
        turn.say(own)
    elif step == IDLE or prompt is None:
        turn.say("conv.confused.intro")
        turn.say("conv.help", example=number_example(turn.ctx))
    else:
        turn.say(f"conv.confused.expect_{prompt.expect.value}")
    if step.startswith("intake."):
        turn.say("conv.confused.intake_ways")
    if prompt is not None:
        turn.replies.append(prompt)
