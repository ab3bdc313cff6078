"""R6, R13, R23: an English customer's questions about her tickets are read as the Portuguese
ones are: "is my ticket solved?" as "meu chamado foi resolvido?", "any update?" as "alguma
novidade?", "who is working on it?" as "quem está cuidando disso?", "is it free?" as "vai ser
cobrado?", "how long will it take?" as "quando vai ficar pronto?"."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation import intents
from core.conversation.listing_words import OPEN
from core.conversation.replies import Command
from core.i18n import t


@pytest.mark.parametrize("typed", ["is my ticket solved?", "has my ticket been resolved?",
                                   "was my ticket solved?", "did you solve my ticket?",
                                   "any update?", "any updates?"])
def test_r6_an_english_question_about_how_tickets_stand_lists_the_open_ones(typed):
    """Each was offered as a new ticket."""
    assert intents.command(typed) == (Command.TICKETS, OPEN)


@pytest.mark.parametrize(("typed", "aspect"), [
    ("who is working on it?", "who"), ("who's working on my ticket?", "who"),
    ("quem está trabalhando nisso?", "who"), ("is it free?", "cost"), ("é de graça?", "cost"),
    ("how long will it take?", "due"), ("when will you fix it?", "due")])
def test_r13_r23_a_question_about_the_ticket_shown_asks_its_aspect(typed, aspect):
    assert intents.aspect_asked(typed) == aspect


@pytest.mark.parametrize("typed", ["the update broke the invoice", "free shipping is wrong",
                                   "it takes too long to print"])
def test_r6_a_problem_told_with_those_words_is_still_a_problem(typed):
    assert intents.command(typed) is None
    assert intents.aspect_asked(typed) is None


def test_r13_how_long_on_a_tickets_page_says_its_delivery_deadline(world):
    world.speaks("carla", "en")
    ticket = world.open("carla", assunto="Pedido não confirma")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("how long will it take?")
    assert t("conv.ticket.asked_due", "en", number=ticket.number,
             due=t("conv.ticket.no_due", "en"),
             ending=t("conv.ticket.asked_send", "en")) in chat.text
