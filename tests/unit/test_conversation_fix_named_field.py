"""R5: "quero corrigir o assunto" at the summary asks the assunto again; it asked "Qual campo
você quer corrigir?" although the field was named."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt, to_summary


@pytest.mark.parametrize(("typed", "step"), [
    ("quero corrigir o assunto", "intake.assunto"), ("mudar a descrição", "intake.descricao"),
    ("trocar a versao", "intake.versao"), ("corrige o serviço", "intake.servico"),
    ("change the priority", "intake.prioridade")])
def test_r5_a_correction_naming_its_field_asks_that_field(world, typed, step):
    chat = to_summary(chat_for(world, "carla"))
    chat.send(typed)
    assert chat.state().step == step
    assert chat.state().data["intake"]["fixing"] is True


def test_r5_the_corrected_field_comes_back_to_the_summary(world):
    chat = to_summary(chat_for(world, "carla"))
    chat.send("quero corrigir o assunto")
    chat.send("Pedido 4431 não confirma")
    assert chat.prompt.text.startswith("Confira o seu ticket")
    assert "Assunto: Pedido 4431 não confirma" in chat.prompt.text


def test_r5_a_correction_naming_no_field_asks_which(world):
    chat = to_summary(chat_for(world, "carla"))
    chat.send("quero corrigir")
    assert chat.state().step == "intake.corrigir"
    assert chat.prompt.text == pt("conv.intake.ask_fix")
