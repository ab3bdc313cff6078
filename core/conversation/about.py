"""Someone asking who the bot is or what it does ("quem é você?", "o que você faz?", "who are
you?"): what it is and can do for them, then the question at hand again (nothing typed is lost)."""

from __future__ import annotations

import re

from core.conversation.confused import MESSAGE_STEPS
from core.conversation.turn import Turn, current_prompt
from core.textmatch import fold

_YOU = r"(?:voce|vc|voces|vcs|tu)"
_WHAT = r"(?:robo|bot|chatbot|humano|humana|pessoa|gente|maquina|ia|assistente|atendente)"
_EN_WHAT = r"(?:bot|robot|chatbot|human|person|real person|ai|machine|assistant)"
ASKED = re.compile(
    r"(?:(?:oi|ola|opa|mas|afinal|e|hi|hello|hey|but|so) )*(?:"
    rf"quem (?:e|eh|sao|seria) {_YOU}|com quem (?:eu )?(?:falo|to falando|estou falando)"
    rf"|(?:o )?que (?:e que )?{_YOU} (?:faz|fazem|e|eh|pode fazer|consegue fazer|sabe fazer)"
    rf"|{_YOU} (?:e|eh) (?:um |uma )?(?:{_WHAT})(?: de verdade| virtual)?"
    rf"|(?:isso|aqui) (?:e|eh) (?:um )?(?:robo|bot|chatbot)"
    r"|who (?:are|r) (?:you|u)|what (?:are|r) (?:you|u)|who am i (?:talking|speaking) (?:to|with)"
    r"|what (?:do|can) (?:you|u) do(?: for me)?"
    rf"|(?:are|r) (?:you|u) (?:a |an )?{_EN_WHAT}|is this (?:a |an )?{_EN_WHAT})")
"""The whole message asks what the bot is: "quem é você?", "vc é um robô?", "what can you
do?"; not "o que você faz quando a nota é rejeitada?" (a matter)."""


def asked(text: str) -> bool:
    """Whether the whole message asks who or what the bot is, or what it does."""
    return ASKED.fullmatch(fold(text)) is not None


def applies(turn: Turn, text: str) -> bool:
    """A "quem é você?" anywhere but a message being written for a ticket."""
    return turn.user_or_none is not None and turn.state.step not in MESSAGE_STEPS \
        and asked(text)


def explain(turn: Turn) -> None:
    """Say what the bot is and does, then ask the question at hand again, unchanged."""
    turn.say("conv.about_staff" if turn.user.is_staff else "conv.about")
    prompt = current_prompt(turn.state)
    if (turn.state.step or "").startswith("intake."):
        turn.say("conv.confused.intake_ways")
    if prompt is not None:
        turn.replies.append(prompt)
