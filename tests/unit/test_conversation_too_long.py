"""A message past the descrição's limit (policy.text_max) typed at the menu (R3)."""

from __future__ import annotations

from fakes.chat import chat_for, pt


def at_menu(world, who="carla"):
    chat = chat_for(world, who)
    chat.send("oi")
    assert chat.state().step == "menu.main"
    return chat


def test_r3_a_100_kb_message_at_the_menu_is_said_too_long_with_the_limit(world):
    """It was answered 'Não entendi. Escolha uma opção ou digite ajuda.'"""
    chat = at_menu(world)
    chat.send("x" * 100_000)
    limit = world.policy.text_max
    assert chat.replies[0].text == pt("conv.typed.too_long", length=100_000, max=limit)
    assert pt("conv.error.not_understood") not in chat.text
    assert chat.state().step == "menu.main"
    assert len(chat.state().model_dump_json()) < 5_000


def test_r3_a_long_matter_at_the_menu_keeps_what_fits_and_says_where_it_stops(world):
    """It was cut silently to the limit and offered as if whole."""
    chat = at_menu(world)
    text = "A nota fiscal 10125 foi rejeitada pela SEFAZ.\n" * 2500  # ~117 000 characters
    chat.send(text)
    limit = world.policy.text_max
    said = chat.replies[0].text
    assert said.startswith(pt("conv.typed.too_long_kept", length=len(text.strip()), max=limit,
                              kept=0, end="").split(": ")[0])
    assert str(limit) in said
    assert chat.state().step == "menu.typed"
    kept = chat.state().data["typed"]["text"]
    assert len(kept) <= limit
    assert str(len(kept)) in said


def test_r3_a_100_kb_number_at_the_menu_is_said_too_long_with_the_limit(world):
    """Digits alone crashed the step: Python refuses int() of a number past 4 300 digits."""
    chat = at_menu(world)
    chat.send("1" * 100_000)
    assert chat.replies[0].text == pt("conv.typed.too_long", length=100_000,
                                      max=world.policy.text_max)
    assert chat.state().step == "menu.main"


def test_r3_a_5000_digit_number_at_a_choice_names_no_option_and_asks_again(world):
    """Under the limit, at the item question: no option has that number (it crashed too)."""
    chat = at_menu(world)
    chat.send("/novo")
    question = chat.replies[-1].text
    chat.send("1" * 5_000)
    assert [r.text for r in chat.replies] == [pt("conv.error.choose"), question]
    assert chat.state().step == "intake.item"

