"""R11: a business phone with its extension ("(11) 3333-4444 ramal 21") is kept with it; it
was refused as invalid, so a store's switchboard number could not be given at all."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.conversation.fmt import phone_shown
from core.errors import InvalidInput
from core.services.users import normalize_phone


@pytest.mark.parametrize("typed", ["(11) 3333-4444 ramal 21", "11 3333-4444 r. 21",
                                   "(11) 3333-4444, ramal 21", "+55 11 3333-4444 ext. 21",
                                   "(11) 3333-4444 x21"])
def test_r11_an_extension_is_kept_with_the_number(typed):
    assert normalize_phone(typed) == "+551133334444;ext=21"


@pytest.mark.parametrize("typed", ["ramal 21", "(11) 3333-4444 ramal", "123 ramal 21",
                                   "(11) 3333-4444 ramal 1234567"])
def test_r11_an_extension_alone_or_without_digits_is_still_refused(typed):
    with pytest.raises(InvalidInput):
        normalize_phone(typed)


def test_r11_the_extension_reads_as_people_write_it():
    assert phone_shown("+551133334444;ext=21", "pt_BR") == "(11) 3333-4444 ramal 21"
    assert phone_shown("+551133334444;ext=21", "en") == "(11) 3333-4444 ext. 21"
    assert phone_shown("+5511987654321") == "(11) 98765-4321"


def test_r11_the_profile_takes_a_phone_with_its_extension(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("meu perfil")
    chat.click(pt("conv.profile.change_phone"))
    chat.send("(11) 3333-4444 ramal 21")
    assert pt("conv.profile.phone_changed", phone="(11) 3333-4444 ramal 21") in chat.text
    assert "(11) 3333-4444 ramal 21" in chat.prompt.text
