"""A typed yes to a value shown with its Manter button ("sim", "pode manter", "manter esta
descrição", "keep it"): that button, not new words for the field."""

from __future__ import annotations

from collections.abc import Callable

from core.conversation import smalltalk
from core.conversation.turn import Turn, current_prompt

KEEP = frozenset({
    "manter", "mantem", "mantenha", "mantenho", "mantendo", "deixa", "deixar", "assim",
    "esta", "essa", "este", "esse", "mesmo", "mesma", "descricao", "assunto", "versao",
    "keep", "it", "this", "that", "one", "as", "is", "description", "subject", "version",
    "ta", "bom", "good", "looks", "fine"})
"""The words a keep may have besides a yes ("pode manter assim", "keep this one"), or be one
("está bom", "looks good", "that's fine")."""
TAKE = KEEP | frozenset({
    "o", "a", "igual", "coisa", "ser", "usar", "usa", "use", "resumo", "sugestao", "sugerido",
    "da", "de", "do", "minha", "mensagem", "the", "same", "thing", "summary", "suggested",
    "my", "message"})
"""The words taking a summary offered may have ("o mesmo", "pode usar esse resumo")."""


def keeps(turn: Turn, text: str, button: str = "keep", words: frozenset[str] = KEEP) -> bool:
    """Whether the words say to keep the value shown, where a Manter button offers it."""
    prompt = current_prompt(turn.state)
    offered = prompt is not None and any(c.id.partition(":")[2] == button
                                         for c in prompt.choices)
    return offered and smalltalk.yes_or_no(text, words) is True


def or_keep(answer: Callable[[Turn, str], None],
            keep: Callable[[Turn, str], None]) -> Callable[[Turn, str], None]:
    """A text answer, unless its words take the Manter button ("manter" was joined to the
    descrição, "sim" refused as not describing the problem)."""

    def on_text(turn: Turn, text: str) -> None:
        if keeps(turn, text):
            keep(turn, "keep")
        elif keeps(turn, text, "suggested", TAKE):  # a summary offered: "o mesmo", "pode ser"
            keep(turn, "suggested")
        else:
            answer(turn, text)

    return on_text
