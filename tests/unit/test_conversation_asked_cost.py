"""R23: a customer's question about what the ticket shown costs ("quanto vai custar?", "vai
ser cobrado?") is answered from the ticket: its charge, the answer given and the quote, or
that it has none and nothing is charged without their prior authorization; the words are
still offered as its trâmite."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.i18n import t
from core.services import billing


def at_page(world, ticket, who="carla"):
    chat = chat_for(world, who)
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    return chat


@pytest.mark.parametrize("typed", ["quanto vai custar?", "vai ser cobrado?", "tem custo?",
                                   "qual o valor do orçamento?"])
def test_r23_asking_the_cost_of_a_billable_ticket_says_its_charge_and_quote(world, typed):
    """'quanto vai custar?' was only offered as a trâmite, the quote on the page unmentioned."""
    ticket = world.open("carla", assunto="Alterar layout do boleto")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    world.run(billing.set_quote, world.ids["ana"], ticket.id, "4 h, R$ 720,00")
    chat = at_page(world, ticket)
    chat.send(typed)
    answer = chat.replies[0].text
    assert answer.startswith(f"Ticket {ticket.number}: ")
    assert "R$ 720,00" in answer
    assert "Alteração de layout" in answer
    assert pt("conv.ticket.charge_pending") in answer
    assert chat.state().step == "ticket.said"  # still theirs to send, if they want
    assert chat.state().data["tramite"]["said"] == typed


def test_r23_asking_the_cost_of_a_ticket_without_charge_says_none_without_consent(world):
    ticket = world.open("carla")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "erro_sistema")
    chat = at_page(world, ticket)
    chat.send("quanto vai custar?")
    assert chat.replies[0].text == pt("conv.ticket.asked_no_charge", number=ticket.number,
                                      ending=pt("conv.ticket.asked_send"))
    assert "Erro de sistema" not in chat.text  # a covered origin is the team's business


@pytest.mark.parametrize("typed", ["o valor da parcela fica zerado", "não consigo pagar o boleto"])
def test_r23_a_problem_about_values_asks_nothing(world, typed):
    ticket = world.open("carla")
    chat = at_page(world, ticket)
    chat.send(typed)
    assert pt("conv.ticket.asked_no_charge", number=ticket.number,
              ending=pt("conv.ticket.asked_send")) not in chat.text


def test_r23_the_cost_answer_reads_in_english(world):
    world.speaks("carla", "en")
    ticket = world.open("carla")
    chat = at_page(world, ticket)
    chat.send("how much will it cost?")
    assert chat.replies[0].text == t("conv.ticket.asked_no_charge", "en", number=ticket.number,
                                     ending=t("conv.ticket.asked_send", "en"))


@pytest.mark.parametrize("typed", ["quanto vai custar o {number}?",
                                   "o chamado {end} vai ser cobrado?",
                                   "vai ser cobrado o {number}?"])
def test_r23_asking_the_cost_of_a_ticket_named_at_the_menu_answers_it_on_its_page(world, typed):
    """'vai ser cobrado o 202611/0001?' at the menu was offered as a trâmite of it (or a new
    ticket), the cost unanswered."""
    ticket = world.open("carla", assunto="Alterar layout do boleto")
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "layout")
    world.run(billing.set_quote, world.ids["ana"], ticket.id, "4 h, R$ 720,00")
    chat = chat_for(world, "carla")
    chat.send("oi")  # the charge's authorization asked first (R23)
    chat.send("menu")
    chat.send(typed.format(number=ticket.number, end=int(ticket.number.split("/")[1])))
    assert "R$ 720,00" in chat.replies[0].text
    assert chat.replies[0].text.startswith(f"Ticket {ticket.number}: ")
    assert chat.state().step == "ticket.view"
    assert not (chat.state().data.get("typed") or {}).get("text")


def test_r23_asking_at_the_menu_in_english_whether_a_ticket_costs_says_it_does_not(world):
    world.speaks("carla", "en")
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send(f"how much will ticket {ticket.number} cost?")
    assert chat.replies[0].text == t("conv.ticket.asked_no_charge", "en", number=ticket.number,
                                     ending=t("conv.ticket.asked_add", "en"))
    assert chat.state().step == "ticket.view"


def test_r23_the_answer_at_the_menu_says_to_add_a_trame_not_to_send_a_message_kept(world):
    """At the menu no message is kept to send: the answer's 'envie a mensagem como trâmite'
    named an offer that was not there."""
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"quanto vai custar o {ticket.number}?")
    assert pt("conv.ticket.asked_send") not in chat.replies[0].text
    assert chat.replies[0].text.endswith(pt("conv.ticket.asked_add"))


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "how much will ticket {number} cost?"), ("en", "who is working on ticket {number}?"),
    ("en", "how long will ticket {number} take?"), ("pt_BR", "quem está cuidando do {number}?"),
    ("pt_BR", "qual o prazo do {number}?")])
def test_r13_r23_a_question_naming_a_ticket_ends_by_saying_to_add_a_trame_in_either_language(
        world, lang, typed):
    """The menu's answer said 'add a trâmite' only while its catalog sentence matched the one
    the page says, word for word: each answer now ends as the place it is given asks."""
    world.speaks("carla", lang)
    ticket = world.open("carla")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed.format(number=ticket.number))
    answer = chat.replies[0].text
    assert ticket.number in answer
    assert answer.endswith(t("conv.ticket.asked_add", lang))
    assert t("conv.ticket.asked_send", lang) not in answer
    assert chat.state().step == "ticket.view"
