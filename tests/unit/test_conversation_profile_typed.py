"""R11: a phone or an e-mail typed at the profile's page is taken as the new one; it read
"Não entendi" (only after Alterar telefone / Alterar e-mail was it read)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, mailed_code, pt


def at_profile(world):
    chat = chat_for(world, "carla")
    chat.send("perfil")
    assert chat.state().step == "profile.view"
    return chat


@pytest.mark.parametrize("typed", ["(11) 98765-4321", "11 98765-4321", "+55 11 98765-4321"])
def test_r11_a_phone_typed_at_the_profile_is_the_new_phone(world, typed):
    chat = at_profile(world)
    chat.send(typed)
    assert pt("conv.profile.phone_changed", phone="(11) 98765-4321") in chat.text
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).phone == "+5511987654321"
    assert chat.state().step == "profile.view"


def test_r11_an_email_typed_at_the_profile_is_the_new_email(world):
    chat = at_profile(world)
    chat.reach = lambda: {"email"}
    chat.send("Carla.Souza@Exemplo.com.br")
    assert pt("conv.profile.email_code_sent", email="carla.souza@exemplo.com.br") in chat.text
    chat.send(mailed_code(world.store, "carla.souza@exemplo.com.br"))
    assert pt("conv.profile.email_changed", email="carla.souza@exemplo.com.br") in chat.text
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).email == \
        "carla.souza@exemplo.com.br"


def test_r11_a_phone_too_short_is_refused_with_the_reason(world):
    chat = at_profile(world)
    chat.send("9876-5432")
    assert chat.replies[0].text == pt("error.phone_invalid")
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).phone is None


def test_r11_words_at_the_profile_still_name_its_options(world):
    chat = at_profile(world)
    chat.send("telefone")
    assert chat.state().step == "profile.phone"
