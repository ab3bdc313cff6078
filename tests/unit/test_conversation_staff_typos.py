"""R12: a typo of the team's menu words ("fla", "resumu", "relatoro", "meus tikets") searched
the tickets for it and found nothing ("Busca: fla … Nenhum ticket aqui"): the command it is
nearest is offered ("Você quis dizer “Fila”?", its button), and a real search (a word some
ticket holds, a company's name) still searches."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t
from core.services import users


def agent(world, who="ana"):
    chat = chat_for(world, who)
    chat.send("oi")
    return chat


@pytest.mark.parametrize(("typed", "label", "step"), [
    ("fla", "conv.menu.queue", "queue.view"),
    ("Fial", "conv.menu.queue", "queue.view"),
    ("resumu", "conv.menu.summary", None),
    ("relatoro", "conv.menu.report", None),
    ("atrasdos", "conv.work.atrasados.button", "work.view"),
])
def test_r12_a_typo_of_a_menu_word_offers_that_command(world, typed, label, step):
    world.open("carla", assunto="Erro ao confirmar pedido de venda")
    chat = agent(world)
    chat.send(typed)
    assert chat.prompt.text == pt("conv.menu.did_you_mean", typed=typed, command=pt(label))
    assert chat.labels[0] == pt(label)
    assert "Busca" not in chat.text
    chat.click(pt(label))
    if step is not None:
        assert chat.state().step == step
    elif label == "conv.menu.report":
        assert "Relatório do atendimento" in chat.text
    else:
        assert chat.state().step.startswith("summary") or "Resumo" in chat.text, chat.text


@pytest.mark.parametrize("yes", ["sim", "isso", "s"])
def test_r12_a_yes_to_the_command_offered_runs_it(world, yes):
    chat = agent(world)
    chat.send("fla")
    chat.send(yes)
    assert chat.state().step == "queue.view"


def test_r12_other_words_at_the_offer_are_read_as_at_the_menu(world):
    ticket = world.open("carla", assunto="Erro ao confirmar pedido de venda")
    chat = agent(world)
    chat.send("fla")
    chat.send("pedido de venda")  # a search, as at the menu
    assert ticket.number in chat.text


def test_r12_a_word_a_ticket_holds_is_still_searched(world):
    """"relatorios" is one letter off "relatório", but a ticket is about Relatórios."""
    ticket = world.open("carla", assunto="Relatorios de vendas não abrem")
    world.open("joao", assunto="Boleto duplicado")
    chat = agent(world)
    chat.send("relatorios")
    assert pt("conv.menu.did_you_mean", typed="relatorios",
              command=pt("conv.menu.report")) not in chat.text
    assert ticket.number in chat.text


def test_r8_a_company_named_near_a_menu_word_is_still_its_listing(world):
    """"fiala" is near "fila", but Fiala Comércio is a client company."""
    world.run(users.add_company, "Fiala Comércio")
    world.run(users.add_user, name="Fábio Fiala", email="fabio@fiala.com.br",
              company_names=["Fiala Comércio"], trained=True)
    chat = agent(world)
    chat.send("fiala")
    assert pt("conv.menu.did_you_mean", typed="fiala",
              command=pt("conv.menu.queue")) not in chat.text
    assert chat.state().step == "list.view"


def test_r12_a_typo_in_english_offers_the_english_command(world):
    world.speaks("ana", "en")
    chat = agent(world)
    chat.send("queu")
    assert chat.prompt.text == t("conv.menu.did_you_mean", "en", typed="queu",
                                 command=t("conv.menu.queue", "en"))


def test_r7_a_customers_word_is_still_kept_as_a_matter(world):
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("resumu")
    assert pt("conv.menu.did_you_mean", typed="resumu",
              command=pt("conv.menu.summary")) not in chat.text


def test_r12_a_typo_at_the_summary_offers_the_command_too(world):
    """At the Resumo's counts 'relatoro' searched the tickets, as at the menu."""
    chat = agent(world)
    chat.send("resumo")
    chat.send("relatoro")
    assert chat.prompt.text == pt("conv.menu.did_you_mean", typed="relatoro",
                                  command=pt("conv.menu.report"))
