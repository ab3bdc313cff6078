"""R20: a rating typed at the menu. A customer who left the rating question ("Agora não", or a
new session) and writes "nota 10, a Ana foi ótima" was offered a new ticket with those words;
now, with a ticket of theirs closed in the last days and not rated, the words rate it, said
back to be confirmed, the words kept as the rating's comment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fakes.chat import chat_for, pt
from test_conversation_closing import awaiting
from test_conversation_rating import at_rating

from core.i18n import t
from core.models import Rating
from core.services import closing


def rated_later(world):
    """Carla's ticket approved, its rating left for later: the chat at the menu."""
    ticket, chat = at_rating(world)
    chat.click("Agora não")
    assert chat.prompt.text.endswith(pt("conv.menu.prompt"))
    return ticket, chat


def about(ticket, lang="pt_BR"):
    return t("conv.closing.rate_typed", lang, number=ticket.number, assunto=ticket.assunto)


def test_r20_a_mark_typed_at_the_menu_rates_the_ticket_closed_unrated_with_its_words(world):
    ticket, chat = rated_later(world)
    chat.send("nota 10, a Ana foi ótima")
    assert about(ticket) in chat.text
    assert world.ticket(ticket.id).rating is None  # said back first: not asked, so confirmed
    assert chat.prompt.text.endswith(pt("conv.closing.rate_named", rating="Ótimo"))
    assert chat.labels == ["Sim, Ótimo", "Outra avaliação", "Agora não"]
    chat.click("Sim, Ótimo")
    rated = world.ticket(ticket.id)
    assert rated.rating == Rating.GREAT
    assert rated.rating_comment == "nota 10, a Ana foi ótima"


def test_r20_feedback_typed_at_the_menu_asks_the_mark_and_keeps_the_words(world):
    ticket, chat = rated_later(world)
    chat.send("a Ana foi muito atenciosa, explicou tudo")
    assert about(ticket) in chat.text
    assert pt("conv.closing.ask_rating", number=ticket.number) in chat.prompt.text
    chat.click("Bom")
    rated = world.ticket(ticket.id)
    assert (rated.rating, rated.rating_comment) == (
        Rating.GOOD, "a Ana foi muito atenciosa, explicou tudo")


def test_r20_a_mark_typed_first_in_a_new_session_rates_the_ticket(world):
    ticket, chat = rated_later(world)
    chat.send("/start")
    chat.send("ótimo atendimento")
    assert about(ticket) in chat.text
    chat.send("sim")
    assert world.ticket(ticket.id).rating == Rating.GREAT


def test_r20_a_mark_said_back_can_be_another_or_left(world):
    ticket, chat = rated_later(world)
    chat.send("excelente")
    chat.click("Outra avaliação")
    assert chat.prompt.text.startswith(pt("conv.closing.ask_rating", number=ticket.number))
    chat.click("Agora não")
    assert world.ticket(ticket.id).rating is None


@pytest.mark.parametrize("typed", [
    "o atendimento foi ótimo mas agora a impressora não imprime",  # a new matter
    "ótimo",  # an assent, as before
    "bom dia"])
def test_r20_words_that_are_not_a_rating_are_not_taken_for_one(world, typed):
    ticket, chat = rated_later(world)
    chat.send(typed)
    assert about(ticket) not in chat.text
    assert world.ticket(ticket.id).rating is None


def test_r20_a_ticket_rated_since_is_said_rated_not_rated_again(world):
    """It was offered as a new ticket; test_conversation_rating_typed_rated says the rest."""
    ticket, chat = rated_later(world)
    world.run(closing.rate, world.ids["carla"], ticket.id, Rating.GOOD, None)
    chat.send("nota 10, a Ana foi ótima")
    assert f"já avaliou o atendimento do ticket {ticket.number}: Bom." in chat.text
    assert about(ticket) not in chat.text
    assert world.ticket(ticket.id).rating == Rating.GOOD  # never changed by words


def test_r20_a_ticket_closed_over_a_week_ago_is_not_guessed(world):
    ticket, chat = rated_later(world)
    world.now += timedelta(days=8)
    chat.send("ótimo atendimento")
    assert about(ticket) not in chat.text


def test_r20_a_colleagues_unrated_ticket_is_not_rated_by_anothers_words(world):
    ticket, _ = rated_later(world)
    joao = chat_for(world, "joao")
    joao.send("oi")
    joao.send("ótimo atendimento")
    assert about(ticket) not in joao.text
    assert world.ticket(ticket.id).rating is None


def test_r20_an_approval_pending_still_comes_first(world):
    ticket, chat = rated_later(world)
    other = awaiting(world, assunto="Boleto com vencimento errado")
    chat.send("/start")
    chat.send("ótimo atendimento")
    assert about(ticket) not in chat.text
    assert other.number in chat.text


def test_r20_a_rating_typed_at_the_menu_in_english(world):
    ticket, chat = rated_later(world)
    world.speaks("carla", "en")
    chat.send("great service, thanks")
    assert about(ticket, "en") in chat.text
    assert chat.prompt.text.endswith(t("conv.closing.rate_named", "en", rating="Great"))
    chat.click("Yes, Great")
    assert world.ticket(ticket.id).rating == Rating.GREAT
