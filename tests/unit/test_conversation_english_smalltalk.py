"""Small talk and short yes/no answers in English: "how are you?" was thanked ("You are
welcome!"), "goodbye", "got it", "okay" and "see you later" were matters to open a ticket
about, "yeah", "yep", "of course" were no answer at a yes-or-no question."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.conversation import smalltalk
from core.i18n import t


@pytest.mark.parametrize(("typed", "kind"), [
    ("how are you?", "hello"), ("how are you doing", "hello"), ("hey there", "hello"),
    ("good night", "hello"), ("thank you", "thanks"), ("thanks a lot", "thanks"),
    ("thx", "thanks"), ("see you", "bye"), ("see you later", "bye"), ("goodbye", "bye"),
    ("okay", "assent"), ("got it", "assent"), ("cool", "assent"), ("alright", "assent"),
    ("sure", "assent"), ("yeah", "assent"),
    # Portuguese as before
    ("tudo bem?", "hello"), ("muito obrigada", "thanks"), ("até logo", "bye"), ("ok", "assent"),
])
def test_english_small_talk_is_small_talk(typed, kind):
    assert smalltalk.kind(typed) == kind


@pytest.mark.parametrize(("typed", "said"), [
    ("yeah", True), ("yep", True), ("yup", True), ("correct", True), ("right", True),
    ("of course", True), ("absolutely", True), ("exactly", True), ("alright", True),
    ("not really", False), ("nope", False),
    ("sim", True), ("claro", True), ("não", False), ("of", None), ("really", None),
])
def test_english_yes_and_no(typed, said):
    assert smalltalk.yes_or_no(typed) is said


def test_how_are_you_at_an_english_menu_is_a_greeting(world):
    def english(uow):
        user = uow.users.get(world.ids["carla"])
        user.language = "en"
        uow.users.update(user)
        uow.commit()

    world.read(english)
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send("how are you?")
    assert chat.replies[0].text == t("conv.smalltalk.hello", "en", name="Carla")
    chat.send("goodbye")
    assert chat.replies[0].text == t("conv.smalltalk.bye", "en")
