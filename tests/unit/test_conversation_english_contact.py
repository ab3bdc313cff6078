"""R14: an English customer asking for the team's hours ("what are your hours?", "do you work
on saturday?", "what time do you close?") reads them, as "quais os horários de vocês?" and
"vocês atendem sábado?" do; problems told in the same words are still problems."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation import intents
from core.conversation.replies import Command
from core.i18n import t


@pytest.mark.parametrize("typed", [
    "what are your hours?", "what are your business hours?", "do you work on saturday?",
    "are you working today?", "what time do you close?", "when are you open?",
    "when do you open?", "what is your phone number?", "how do I reach support?",
    "vocês trabalham sábado?", "quando vocês abrem?"])
def test_r14_a_question_about_the_teams_hours_in_english_asks_for_them(typed):
    """"your" ("vocês") and "work" ("atendem") were not known: offered as a new ticket."""
    assert intents.command(typed) == (Command.CONTACT, "")


@pytest.mark.parametrize("typed", [
    "the till does not work on saturday", "the store closes early and the report is wrong",
    "my ticket number?", "your system crashed", "when I close the till it crashes",
    "close my ticket", "your ticket", "work", "close", "when do you close my ticket?"])
def test_r14_a_problem_told_with_those_words_is_no_question_about_hours(typed):
    assert intents.command(typed) is None or intents.command(typed)[0] != Command.CONTACT


def test_r14_the_english_customer_asking_on_a_tickets_page_reads_the_hours(world):
    """On a ticket's page the question was offered as a trâmite to send to the team."""
    world.speaks("carla", "en")
    ticket = world.open("carla", assunto="Pedido não confirma")
    chat = chat_for(world, "carla")
    chat.send(f"ticket {ticket.number}")
    chat.send("what are your hours?")
    assert "Monday to Friday" in chat.text
    assert t("conv.tramite.send_said", "en") not in chat.labels
