"""R19, R21: a customer's "quero reabrir" at a closed ticket's page was offered as a new ticket
whose whole descrição would be "quero reabrir". It is now told that a closed ticket is never
reopened and asked what happened; what they write next is offered as a new ticket citing it."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt
from test_conversation_closed_follow_up import closed

from core.i18n import t


def at_closed_page(world):
    ticket = closed(world, how="approve")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"ticket {ticket.number}")
    return ticket, chat


@pytest.mark.parametrize("typed", ["quero reabrir", "reabrir", "pode reabrir?",
                                   "gostaria de reabrir o chamado", "reabre por favor",
                                   "reopen it please"])
def test_r19_asking_to_reopen_says_why_not_and_asks_what_happened(world, typed):
    ticket, chat = at_closed_page(world)
    chat.send(typed)
    assert chat.replies[0].text == pt("conv.tramite.reopen_closed", number=ticket.number)
    assert chat.state().step == "ticket.view"
    assert not (chat.state().data.get("typed") or {}).get("text")


def test_r19_what_happened_is_then_offered_as_a_new_ticket_citing_it(world):
    ticket, chat = at_closed_page(world)
    chat.send("quero reabrir")
    chat.send("O boleto 5531 voltou a sair com vencimento errado")
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text
    assert chat.state().data["typed"]["text"] == \
        "O boleto 5531 voltou a sair com vencimento errado"


def test_r19_a_reopen_with_the_matter_is_offered_as_before(world):
    ticket, chat = at_closed_page(world)
    chat.send("quero reabrir, o boleto voltou a sair errado")
    assert chat.replies[0].text == pt("conv.tramite.not_open_closed", number=ticket.number)
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text


@pytest.mark.parametrize("typed", ["quero reabrir o {number}", "pode reabrir o chamado {end}?",
                                   "reabrir ticket {number}", "please reopen ticket {number}"])
def test_r19_asking_at_the_menu_to_reopen_a_closed_ticket_by_number_says_why_not(world, typed):
    """'quero reabrir o 202611/0001' at the menu was offered as a new ticket whose whole
    descrição would be those words."""
    ticket = closed(world, how="auto")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(typed.format(number=ticket.number, end=int(ticket.number.split("/")[1])))
    assert pt("conv.tramite.reopen_closed", number=ticket.number) in chat.text
    assert chat.state().step == "ticket.view"
    assert chat.state().data["ticket"]["id"] == ticket.id
    assert not (chat.state().data.get("typed") or {}).get("text")
    chat.send("O boleto 5531 voltou a sair com vencimento errado")
    assert pt("conv.typed.follows_note", number=ticket.number) in chat.prompt.text


def test_r19_asking_at_the_menu_to_reopen_reads_in_english(world):
    world.speaks("carla", "en")
    ticket = closed(world, how="approve")
    chat = chat_for(world, "carla")
    chat.send("hi")
    chat.send(f"reopen {ticket.number} please")
    assert t("conv.tramite.reopen_closed", "en", number=ticket.number) in chat.text


def test_r19_r8_asking_to_reopen_another_companys_ticket_reveals_nothing(world):
    ticket = closed(world, how="approve")
    chat = chat_for(world, "rival")
    chat.send("oi")
    chat.send(f"quero reabrir o {ticket.number}")
    assert "Boleto" not in chat.text
    assert pt("conv.tramite.reopen_closed", number=ticket.number) not in chat.text


def test_r19_asking_to_reopen_as_a_sessions_first_message_says_why_not(world):
    ticket = closed(world, how="auto")
    chat = chat_for(world, "carla")
    chat.send(f"quero reabrir o {ticket.number}")
    assert pt("conv.tramite.reopen_closed", number=ticket.number) in chat.text
    assert chat.state().step == "ticket.view"
    assert not (chat.state().data.get("typed") or {}).get("text")


def test_r19_the_answer_to_reopen_at_the_menu_comes_before_the_page_as_at_the_page(world):
    """The page came first and the answer after it, the page's buttons above a plain message."""
    ticket = closed(world, how="approve")
    chat = chat_for(world, "carla")
    chat.send("oi")
    chat.send(f"quero reabrir o {ticket.number}")
    assert chat.replies[0].text == pt("conv.tramite.reopen_closed", number=ticket.number)
    assert chat.replies[-1].choices  # the page, last, with its buttons
