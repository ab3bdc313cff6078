"""R19: a refusal said with its own verb ("reprovo", "recuso a solução", "rejeito", "não
aceito") is Não aprovar; it was kept as words, the same question asked again."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation.closing_words import decision
from core.services import closing, handling


@pytest.mark.parametrize(("said", "decided"), [
    ("reprovar", "not_approve"), ("reprovo a solução", "not_approve"),
    ("recuso a solução", "not_approve"), ("rejeito", "not_approve"),
    ("não aceito", "not_approve"), ("I reject it", "not_approve"),
    ("aceito a solução", "approve"),
    ("a nota foi rejeitada de novo", None),  # an NF-e rejected: a matter, no verdict
])
def test_r19_a_refusal_in_its_own_words_is_not_approving(said, decided):
    assert decision(said) == decided


def test_r19_reprovar_typed_at_the_question_asks_for_the_reason(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.send("reprovo a solução")
    assert chat.state().step == "closing.reason"
    assert chat.prompt.text == pt("conv.closing.ask_reason", number=ticket.number)  # no
    # "Usar o que escrevi": the refusal is no reason
