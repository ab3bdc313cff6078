"""R19: "aprovo com ressalva: o relatório ainda mostra o saldo antigo" typed at the approval
question kept the choice in its restriction, the ticket's line reading "aprovou com
restrições: aprovo com ressalva: o relatório…"; the restriction is now what follows."""

from __future__ import annotations

import pytest
from fakes.chat import pt
from test_conversation_closing import at_decision

from core.models import Decision

KEPT = "o relatório ainda mostra o saldo antigo"


@pytest.mark.parametrize("first", ["aprovo com ressalva: ", "Aprovo com restrições - ",
                                   "I approve with reservations: "])
def test_r19_the_choice_said_first_is_no_part_of_the_restriction(world, first):
    ticket, chat = at_decision(world)
    chat.send(first + KEPT)
    kept = KEPT
    assert pt("conv.closing.said", text=kept) in chat.prompt.text
    chat.click("Usar o que escrevi")
    stored = world.ticket(ticket.id)
    assert (stored.decision, stored.decision_comment) == (
        Decision.APPROVED_WITH_RESTRICTIONS, kept)
