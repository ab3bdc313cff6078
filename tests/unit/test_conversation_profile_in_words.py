"""R11: "meu email mudou para …" or "meu novo telefone é …" at the menu changes it; it was
offered as a new ticket's descrição."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, mailed_code, pt


@pytest.mark.parametrize("typed", ["meu email mudou para carla.souza@exemplo.com.br",
                                   "novo e-mail: carla.souza@exemplo.com.br",
                                   "my new email is carla.souza@exemplo.com.br"])
def test_r11_a_new_email_told_in_words_changes_it(world, typed):
    """Told in words, the new address gets its confirmation code; typed, it is hers."""
    chat = chat_for(world, "carla")
    chat.reach = lambda: {"email"}
    chat.send("oi")
    chat.send(typed)
    assert "carla.souza@exemplo.com.br" in chat.text
    assert chat.state().step == "profile.email_code"
    chat.send(mailed_code(world.store, "carla.souza@exemplo.com.br"))
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).email == \
        "carla.souza@exemplo.com.br"
    assert chat.state().step == "profile.view"


@pytest.mark.parametrize("typed", ["meu novo telefone é (11) 98765-4321",
                                   "trocar telefone para 11 98765-4321"])
def test_r11_a_new_phone_told_in_words_changes_it(world, typed):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed)
    assert pt("conv.profile.phone_changed", phone="(11) 98765-4321") in chat.text
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).phone == "+5511987654321"


def test_r11_a_matter_naming_an_email_is_still_a_matter(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("o boleto não chega no email financeiro@mercado.com.br desde ontem")
    assert chat.state().step == "menu.typed"
    assert world.read(lambda uow: uow.users.get(world.ids["carla"])).email == \
        "carla@exemplo.com.br"
