"""R6, R19: a news question ("já resolveram?", "alguma novidade?", "any news?") typed away
from the menu is answered as it is there: at the listing it lists the open tickets (it
searched for the word "abertos"), at a ticket's page it says how that ticket stands before
the words are offered as its trâmite, and at the approval question the approval notice put on
screen it says the solution awaits her answer (it was taken for "funcionou" and asked to
confirm the approval)."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t
from core.models import Status
from core.services import closing, handling, tramites


def test_r6_alguma_novidade_at_the_listing_lists_the_open_tickets_not_a_search(world):
    first = world.open("carla", assunto="Erro reajuste contrato de venda")
    second = world.open("carla", assunto="Boleto com juros errados")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send("meus tickets")
    chat.send("alguma novidade?")
    assert pt("conv.list.searching", text="abertos") not in chat.text
    assert first.number in chat.text
    assert second.number in chat.text


@pytest.mark.parametrize("typed", ["já resolveram?", "alguma novidade?", "tem retorno?"])
def test_r6_a_news_question_at_a_tickets_page_says_how_it_stands_before_the_offer(world, typed):
    ticket = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(tramites.add_tramite, world.ids["ana"], ticket.id, "Estamos verificando.")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send(typed)
    said = chat.text
    assert f"Situação do ticket {ticket.number}: Em atendimento, com Ana Atendente." in said
    assert "A última resposta da equipe foi em" in said
    assert said.index("Situação do ticket") < said.index("Envio como trâmite")
    assert chat.state().step == "ticket.said"  # still hers to send, if she wants the team


def test_r6_a_news_question_at_a_page_nobody_answered_says_so(world):
    ticket = world.open("carla", assunto="Erro reajuste contrato de venda")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    chat.send("já resolveram?")
    assert f"Situação do ticket {ticket.number}: Novo, ainda sem responsável." in chat.text
    assert pt("conv.ticket.news_none") in chat.text


def test_r6_any_news_at_a_tickets_page_in_english(world):
    world.speaks("carla", "en")
    ticket = world.open("carla", assunto="Contract readjustment error")
    world.run(handling.take, world.ids["ana"], ticket.id)
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send(f"ticket {ticket.number}")
    chat.send("any news?")
    assert f"Ticket {ticket.number}: In progress, with Ana" in chat.text, chat.text
    assert t("conv.ticket.news_none", "en") in chat.text


def awaiting(world):
    ticket = world.open("carla", assunto="Erro reajuste contrato de venda")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Corrigido no pacote.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.click("Responder")
    return ticket, chat


@pytest.mark.parametrize("typed", ["já resolveram?", "alguma novidade?"])
def test_r19_a_news_question_at_the_approval_says_the_solution_awaits_her_answer(world, typed):
    ticket, chat = awaiting(world)
    chat.send(typed)
    assert pt("conv.closing.confirm_approve", number=ticket.number) not in chat.text
    assert pt("conv.closing.news_asked", number=ticket.number) in chat.text
    assert chat.state().step == "closing.decide"
    assert world.ticket(ticket.id).status == Status.AWAITING_APPROVAL


def test_r19_any_news_at_the_approval_in_english(world):
    world.speaks("carla", "en")
    ticket = world.open("carla", assunto="Contract readjustment error")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Fixed in the package.",
              origin_id="erro_sistema")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.click(t("conv.closing.offer_item", "en", number=ticket.number))
    chat.send("is it fixed yet?")
    assert t("conv.closing.news_asked", "en", number=ticket.number) in chat.text
    assert chat.state().step == "closing.decide"
