"""R10, R19, R20: "voltar" at the session's offer of the tickets awaiting approval, at the
approval question and at the rating answered "Não entendi. Escolha uma das opções"; it now does
what its own "later" option does (Agora não, Decidir depois): nothing decided, nothing rated."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Status
from core.services import closing, handling


@pytest.fixture
def ticket(world):
    found = world.open("carla")
    world.run(handling.take, world.ids["ana"], found.id)
    world.run(closing.request_approval, world.ids["ana"], found.id, "Ajustamos o cadastro.",
              origin_id="erro_sistema")
    return found


@pytest.mark.parametrize("clicks", [[], ["Responder"]])
def test_r10_r19_voltar_at_the_offer_or_the_question_decides_nothing(world, ticket, clicks):
    chat = chat_for(world, "carla")
    chat.send("oi")
    for label in clicks:
        chat.click(label)
    chat.send("voltar")
    assert pt("conv.error.choose") not in chat.text
    assert chat.state().step == "menu.main", chat.text
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r20_voltar_at_the_rating_leaves_it_for_later(world, ticket):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    chat.click(pt("conv.closing.approve"))
    assert chat.state().step == "closing.rate"
    chat.send("voltar")
    assert pt("conv.error.choose") not in chat.text
    assert chat.state().step == "menu.main", chat.text
    assert world.ticket(ticket.id).rating is None
