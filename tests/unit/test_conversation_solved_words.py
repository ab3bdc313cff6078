"""R7: a customer's "resolvido, obrigada" at the menu, with no solution awaiting their answer,
is told how to let the team know on the ticket, not offered as a new ticket; with a solution
awaiting approval the same words still decide it (R19)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t
from core.services import closing, handling


@pytest.mark.parametrize("typed", ["resolvido, obrigada", "já funcionou!", "problema resolvido",
                                   "it works now, thanks"])
def test_r7_a_customer_saying_it_got_solved_is_not_offered_a_ticket(world, typed):
    """'resolvido, obrigada' was offered as a new ticket's descrição."""
    world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert pt("conv.smalltalk.solved", name="Carla") in chat.text
    assert pt("conv.typed.open") not in chat.labels
    assert "typed" not in chat.state().data


@pytest.mark.parametrize("typed", ["resolvido o pedido mas a nota não sai",
                                   "não funcionou", "ainda não resolveu"])
def test_r7_a_problem_with_the_same_words_is_still_offered(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert pt("conv.smalltalk.solved", name="Carla") not in chat.text


def test_r19_with_a_solution_awaiting_the_words_approve_it(world):
    ticket = world.open("carla")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "carla")
    chat.send("oi")
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Feito.", "erro_sistema")
    chat.send("funcionou, obrigada")
    assert pt("conv.smalltalk.solved", name="Carla") not in chat.text


def test_r7_the_solved_answer_reads_in_english(world):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("it works now")
    assert t("conv.smalltalk.solved", "en", name="Carla") in chat.text
