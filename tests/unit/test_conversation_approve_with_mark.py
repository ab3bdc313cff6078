"""A mark given with the approval ("funcionou, 5 estrelas!") is the rating too (R19, R20): it
approved, then asked the rating as if nothing had been said. Words that may only praise the
solution ("ótimo, funcionou") still ask; going back drops the mark."""

from __future__ import annotations

import pytest
from fakes.chat import pt
from test_conversation_closing import at_decision

from core.models import Rating, Status


@pytest.mark.parametrize(("said", "mark"), [
    ("funcionou, 5 estrelas!", Rating.GREAT),
    ("resolveu, nota 10", Rating.GREAT),
    ("aprovo ⭐⭐⭐⭐", Rating.GOOD),
])
def test_r20_a_mark_said_with_the_approval_rates_the_service(world, said, mark):
    ticket, chat = at_decision(world)
    chat.send(said)
    assert chat.state().step == "closing.confirm"
    chat.click(pt("conv.closing.confirm_yes"))
    stored = world.ticket(ticket.id)
    assert stored.status == Status.CLOSED
    assert (stored.rating, stored.rating_comment) == (mark, None)
    assert "registrei a sua avaliação do atendimento" in chat.text
    assert chat.state().step == "closing.rate_comment"  # a comment offered, as after a tap
    chat.send("a Ana foi muito atenciosa")
    assert world.ticket(ticket.id).rating_comment == "a Ana foi muito atenciosa"


def test_r20_a_mark_said_at_the_confirmation_rates_too(world):
    ticket, chat = at_decision(world)
    chat.send("funcionou")
    chat.send("sim, 4 estrelas")
    assert world.ticket(ticket.id).rating == Rating.GOOD


def test_r20_praise_that_may_be_for_the_solution_still_asks_the_rating(world):
    ticket, chat = at_decision(world)
    chat.send("ótimo, funcionou")
    chat.click(pt("conv.closing.confirm_yes"))
    assert world.ticket(ticket.id).rating is None
    assert chat.state().step == "closing.rate"


def test_r20_going_back_from_the_confirmation_drops_the_mark(world):
    ticket, chat = at_decision(world)
    chat.send("funcionou, 5 estrelas")
    chat.click(pt("conv.closing.back"))
    chat.click("Aprovar")
    assert world.ticket(ticket.id).status == Status.CLOSED
    assert world.ticket(ticket.id).rating is None
    assert chat.state().step == "closing.rate"
