"""R19, R20: a customer who approves again a solution she approved days before ("aprovado",
"aprovo a solução do 202611/0001", "funcionou") was offered a new ticket whose descrição
would be those words. She is now told she approved it already (closed for good), then asked
the rating if it has none, or told it was rated. A mark typed is rating_typed's, as before."""

from __future__ import annotations

import pytest
from fakes.chat import chat_for, pt

from core.models import Rating
from core.services import closing, handling


def approved(world, rating=None):
    ticket = world.open("carla", assunto="Reajuste zera parcela")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(closing.request_approval, world.ids["ana"], ticket.id, "Instale o pacote.",
              origin_id="erro_sistema")
    world.run(closing.approve, world.ids["carla"], ticket.id)
    if rating is not None:
        world.run(closing.rate, world.ids["carla"], ticket.id, rating)
    world.advance(days=2)
    chat = chat_for(world, "carla")
    chat.send("oi")
    return ticket, chat


@pytest.mark.parametrize("typed", ["aprovado", "aprovo a solução do {number}", "funcionou"])
def test_r19_r20_approving_again_says_so_and_offers_nothing_to_open(world, typed):
    ticket, chat = approved(world, Rating.GOOD)
    chat.send(typed.format(number=ticket.number))
    assert "já aprovou a solução do ticket" in chat.text
    assert pt("error.already_rated", number=ticket.number) in chat.text
    assert not (chat.state().data.get("typed") or {}).get("text")
    assert world.ticket(ticket.id).rating == Rating.GOOD


def test_r19_r20_approving_again_an_unrated_ticket_asks_its_rating(world):
    ticket, chat = approved(world)
    chat.send("aprovado")
    assert "já aprovou a solução do ticket" in chat.text
    assert chat.prompt.text == pt("conv.closing.ask_rating", number=ticket.number)
    chat.click("Ótimo")
    assert world.ticket(ticket.id).rating == Rating.GREAT


def test_r19_not_approving_after_approving_is_offered_as_a_new_ticket_as_before(world):
    ticket, chat = approved(world, Rating.GOOD)
    chat.send("o reajuste voltou a zerar a parcela")
    assert "já aprovou" not in chat.text
    assert chat.state().data["typed"]["text"] == "o reajuste voltou a zerar a parcela"
