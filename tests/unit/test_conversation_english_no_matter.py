"""R3: a bare "back", "continue" or "discard" at the menu, as "voltar", "continuar" and
"descartar" are, names a button, not a matter: it is not offered as a new ticket's
descrição ("Open a ticket with this message?")."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for

from core.i18n import t


@pytest.mark.parametrize("typed", ["back", "Back", "continue", "discard", "confirm"])
def test_r3_a_buttons_word_at_the_menu_is_no_ticket_to_open(world, typed):
    world.speaks("carla", "en")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send(typed)
    assert chat.state().step != "menu.typed"
    assert t("conv.typed.open", "en") not in chat.labels
