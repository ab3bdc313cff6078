"""R5: at "Qual campo você quer corrigir?", "nada", "está tudo certo" or "registrar" go back
to the summary; they read "Não entendi"."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, to_summary


@pytest.mark.parametrize("typed", ["nada", "está tudo certo", "registrar", "nenhum", "deixa assim"])
def test_r5_nothing_to_fix_goes_back_to_the_summary(world, typed):
    chat = to_summary(chat_for(world, "carla"))
    chat.click("Corrigir")
    chat.send(typed)
    assert chat.state().step == "intake.resumo"
    assert chat.prompt.text.startswith("Confira o seu ticket")
