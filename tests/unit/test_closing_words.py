"""R19: what a customer's words decide at the approval question, plurals included."""

from __future__ import annotations

import pytest

from core.conversation.closing_words import decision


@pytest.mark.parametrize(("said", "decided"), [
    ("funcionou, obrigada!", "approve"),
    ("os dois funcionaram, obrigada", "approve"),  # several tickets answered at once
    ("resolveram, podem encerrar", "approve"),
    ("foram resolvidos sim", "approve"),
    ("estão aprovados", "approve"),
    ("não funcionaram", "not_approve"),
    ("as correções não resolveram nada", "not_approve"),
    ("funcionaram em parte, mas o relatório continua sem margem", "not_approve"),
    ("funcionaram em parte, mas o relatório sai sem margem", "partial"),
    ("quando vocês atendem?", None),
])
def test_r19_words_decide_the_approval(said: str, decided: str | None) -> None:
    assert decision(said) == decided
