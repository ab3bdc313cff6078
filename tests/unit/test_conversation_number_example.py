"""R8: a ticket number not found is answered with an example of the number's shape; it was
always 202611/0001, a month long past (or still to come) for whoever reads it. The example
is this month's number, in the support timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes.chat import chat_for
from test_conversation_rating import in_english


@pytest.mark.parametrize("who", ["carla", "ana"])  # a customer, an agent
@pytest.mark.parametrize("typed", ["ticket 202611/0999", "ticket 0999"])
def test_r8_the_example_of_a_number_not_found_is_this_months(world, who, typed):
    # 2027-01-01 01:00 UTC is still December 31st in São Paulo
    world.now = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(typed)
    assert "(ex.: 202612/0001)" in chat.replies[0].text
    world.now = datetime(2027, 3, 10, 13, 0, tzinfo=UTC)
    in_english(world, who)
    chat.send(typed)
    assert "(e.g. 202703/0001)" in chat.text  # after a greeting: the chat is months old
    assert "202611/0001" not in chat.text


@pytest.mark.parametrize("who", ["carla", "ana"])  # a customer, an agent
def test_r8_the_chats_help_shows_a_number_of_this_month(world, who):
    """The chat's help (ajuda) said 'ticket 202611/0001' in every month; it is built when
    asked, so its example is this month's number in the support timezone."""
    world.now = datetime(2027, 3, 10, 13, 0, tzinfo=UTC)
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send("ajuda")
    assert "• ticket 202703/0001 —" in chat.text
    in_english(world, who)
    chat.send("help")
    assert "• ticket 202703/0001 —" in chat.text
    assert "202611/0001" not in chat.text


def test_telegrams_command_descriptions_carry_no_ticket_like_number():
    """The bot's command menu is registered once and read for months: '/ticket 202611/0001'
    there looks like a real ticket long past. It shows the number's shape instead."""
    import re

    from bots.telegram.menus import customer_menu, staff_menu

    for lang, shape in (("pt_BR", "AAAAMM/NNNN"), ("en", "YYYYMM/NNNN")):
        menu = customer_menu(lang) + staff_menu(lang)
        said = " ".join(c.description for c in menu)
        assert not re.search(r"\d{6}/\d{4}", said), said
        assert any(shape in c.description for c in menu if c.command == "ticket"), said
