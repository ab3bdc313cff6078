"""R3: a person in several companies who opens a ticket from a message naming one of them ("o
SPED da padaria não valida") has that company said at the empresa's question, taken with a yes;
any other is still a tap away. Every company was listed with nothing said, and "sim" was "no
company named sim"."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.services import users


@pytest.fixture
def dora(world):
    world.run(users.add_company, "Padaria Pão Quente ME")
    world.run(users.add_user, name="Dora Dupla", email="dora@exemplo.com.br",
              company_names=["Mercado Exemplo", "Padaria Pão Quente ME"], trained=True)
    world.ids["dora"] = world.read(lambda uow: uow.users.by_email("dora@exemplo.com.br").id)
    return world


def to_empresa(world, message):
    chat = chat_for(world, "dora")
    chat.send("oi")
    chat.send(message)
    chat.click(pt("conv.typed.open"))
    assert chat.state().step == "intake.empresa"
    return chat


def company_id(world, name):
    return world.read(lambda uow: uow.companies.by_name(name).id)


@pytest.mark.parametrize("message", [
    "o SPED da padaria não valida, dá erro no registro C170",
    "na Pão Quente o caixa não abre desde ontem",
])
def test_r3_the_company_a_message_names_is_said_and_taken_with_a_yes(dora, message):
    chat = to_empresa(dora, message)
    assert pt("conv.intake.empresa_suggested", empresa="Padaria Pão Quente ME") \
        in chat.prompt.text
    assert chat.labels == ["Mercado Exemplo", "Padaria Pão Quente ME"]  # both still offered
    chat.send("sim")
    assert chat.state().data["intake"]["draft"]["company_id"] == \
        company_id(dora, "Padaria Pão Quente ME")
    assert chat.state().step == "intake.item"


def test_r3_another_company_chosen_over_the_one_said(dora):
    chat = to_empresa(dora, "o SPED da padaria não valida, dá erro no registro C170")
    chat.click("Mercado Exemplo")
    assert chat.state().data["intake"]["draft"]["company_id"] == \
        company_id(dora, "Mercado Exemplo")


@pytest.mark.parametrize("message", [
    "o caixa da loja 2 travou ao fechar a venda",  # names no company
    "o mercado e a padaria não emitem nota desde ontem",  # names both
])
def test_r3_no_company_said_when_the_message_names_none_or_both(dora, message):
    chat = to_empresa(dora, message)
    assert "parece ser" not in chat.prompt.text
    chat.send("sim")  # nothing to say yes to: the question again
    assert chat.state().step == "intake.empresa"
    assert chat.state().data["intake"]["draft"]["company_id"] is None


def test_r3_words_every_company_has_say_nothing(world):
    world.run(users.add_company, "Loja Norte")
    world.run(users.add_company, "Loja Leste")
    world.run(users.add_user, name="Gil Grupo", email="gil@exemplo.com.br",
              company_names=["Loja Norte", "Loja Leste"], trained=True)
    world.ids["dora"] = world.read(lambda uow: uow.users.by_email("gil@exemplo.com.br").id)
    chat = to_empresa(world, "a loja não consegue emitir a NFC-e desde ontem")
    assert "parece ser" not in chat.prompt.text
