"""R19: "vou testar amanhã e te falo" at the approval question is Decidir depois, the words
offered as a trâmite for the team; they were kept as a reason for Não aprovar or Aprovar com
restrições and the same question asked again."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Status
from core.services import closing, handling


def at_decision(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    assert chat.state().step == "closing.decide"
    return ticket, chat


@pytest.mark.parametrize("typed", ["vou testar amanhã e te falo", "ainda não testei",
                                   "depois eu te aviso", "I'll test it tomorrow"])
def test_r19_saying_they_will_test_first_leaves_the_decision_for_later(world, typed):
    ticket, chat = at_decision(world)
    chat.send(typed)
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL
    assert chat.state().step == "ticket.said"
    assert pt("conv.closing.later_kept", number=ticket.number) in chat.prompt.text
    assert chat.state().data["tramite"]["said"] == typed


def test_r19_other_words_are_still_kept_for_the_reason(world):
    ticket, chat = at_decision(world)
    chat.send("o relatório de vendas mostra outro valor")
    assert chat.state().step == "closing.decide"
