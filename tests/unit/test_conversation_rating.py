"""R20: a number typed alone at the rating question. The options are Ótimo … Péssimo, so "5"
is the fifth option, Péssimo, and also five stars, Ótimo: the customer says which."""

from __future__ import annotations

import pytest
from fakes.chat import pt
from test_conversation_closing import at_decision

from core.models import Rating


def at_rating(world):
    ticket, chat = at_decision(world)
    chat.click("Aprovar")
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    return ticket, chat


def low_rating_notes(world):
    return [m for m in world.outbox() if m.kind == "agent.rated_low"]


def test_r20_five_typed_alone_asks_stars_or_option_and_records_the_stars(world):
    ticket, chat = at_rating(world)
    chat.send("5")  # was recorded as Péssimo, and the agent told of a low rating
    assert world.ticket(ticket.id).rating is None
    assert chat.prompt.text == pt("conv.closing.rate_digit", digit=5, option="Péssimo",
                                  stars="Ótimo")
    assert chat.labels == ["Ótimo (5 de 5 estrelas)", "Péssimo (a 5ª opção)", "Agora não"]
    chat.click("Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT
    assert low_rating_notes(world) == []


def test_r20_one_typed_alone_then_the_options_number_at_the_second_question(world):
    """Typed as text (Telegram and Slack show buttons, not numbers; the terminal, which numbers
    the options, sends a digit as that option): "2" at the second question is its second
    option, Ótimo (the first option)."""
    ticket, chat = at_rating(world)
    chat.send("1")
    assert chat.labels == ["Péssimo (1 de 5 estrelas)", "Ótimo (a 1ª opção)", "Agora não"]
    chat.send("2")
    assert world.ticket(ticket.id).rating == Rating.GREAT


@pytest.mark.parametrize(("typed", "rating"), [
    ("3", Rating.FAIR),  # the third option and three stars alike: no second question
    ("8", Rating.GOOD), ("10", Rating.GREAT), ("6", Rating.FAIR)])  # marks out of 10
def test_r20_numbers_that_mean_one_thing_are_recorded_at_once(world, typed, rating):
    ticket, chat = at_rating(world)
    chat.send(typed)  # "6" was "Agora não", "8" and "10" were "Não entendi"
    assert world.ticket(ticket.id).rating == rating


def test_r20_a_click_is_still_the_option_clicked(world):
    ticket, chat = at_rating(world)
    chat.click("Péssimo")
    assert world.ticket(ticket.id).rating == Rating.TERRIBLE
    assert len(low_rating_notes(world)) == 1
