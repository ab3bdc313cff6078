"""R6, R14: "what's going on with my ticket?" asks about one's tickets, not the team's hours
("with", like "com", only joins words: it named Contato by itself); "what's happening with my
ticket?" lists the open ones, as "alguma novidade do meu chamado?" does."""

from __future__ import annotations

import pytest

from core.conversation import intents
from core.conversation.listing_words import OPEN
from core.conversation.replies import Command


@pytest.mark.parametrize("typed", ["what's going on with my ticket?",
                                   "o que está acontecendo com meu chamado?",
                                   "with my ticket", "com meu chamado"])
def test_r14_a_question_about_ones_ticket_is_never_the_teams_hours(typed):
    asked = intents.command(typed)
    assert asked is None or asked[0] != Command.CONTACT


def test_r6_whats_happening_with_my_ticket_lists_the_open_ones():
    assert intents.command("what's happening with my ticket?") == (Command.TICKETS, OPEN)


@pytest.mark.parametrize("typed", ["quero falar com alguém", "can I talk with someone?",
                                   "talk with support", "falar com o suporte"])
def test_r14_with_beside_a_contact_word_still_asks_for_the_team(typed):
    assert intents.command(typed) == (Command.CONTACT, "")
