"""R19: "desisto", "esquece", "deixa pra lá", "não quero mais" typed at the restriction's
question closed the ticket for good, approved with those words as its restriction (at the
reason's, sent it back to the team with them as the reason). They give the answer up, as
cancelar does: the ticket still awaits the approval."""

from __future__ import annotations

import pytest
from fakes.chat import pt
from test_conversation_closing_restriction_check import at_answer

from core.models import Status


@pytest.mark.parametrize("button", ["restrições", "Não aprovar"])
@pytest.mark.parametrize("typed", ["desisto", "esquece", "deixa pra lá", "não quero mais",
                                   "never mind"])
def test_r19_giving_up_at_the_restriction_or_the_reason_decides_nothing(world, button, typed):
    ticket, chat = at_answer(world, button)
    chat.send(typed)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert world.ticket(ticket.id).decision is None
    assert pt("conv.cancel.done") in chat.text
